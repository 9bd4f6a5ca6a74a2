// `herald templates export DIR`: the built-in templates (the backends', and the posts of
// `herald new`) as files, a starting point for `--templates DIR`.

import ArgumentParser
import Foundation
import HeraldCore
import HeraldTemplates

struct TemplatesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "templates",
        abstract: "Work with the templates the backends render through and new posts start from.",
        subcommands: [TemplatesExportCommand.self])
}

struct TemplatesExportCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the built-in templates into a folder, to edit and use with --templates.",
        discussion: """
            Writes every built-in template into DIR, one sub-folder per backend \
            (DIR/html/page.mustache, DIR/email/footer.mustache, …) and the posts `herald new` \
            starts from (DIR/new/default.md, DIR/new/monthly.md, …). Build with --templates DIR \
            to use them. Nothing is written when a template is already there, unless --force.
            """)

    @Argument(help: "The folder to write the templates into (created when missing).", completion: .directory)
    var folder: String

    @Flag(help: "Replace templates that are already in the folder.")
    var force = false

    func execute(_ console: Console) throws -> Int32 {
        let templates = TemplateSource.builtIn.sorted { $0.key < $1.key }
        func shown(_ path: String) -> String { (folder as NSString).appendingPathComponent(path) }

        if !force {
            let existing = templates.map(\.key).filter { FileManager.default.fileExists(atPath: shown($0)) }
            guard existing.isEmpty else {
                console.report(existing.map {
                    .error("template-exists", file: shown($0), "already exists, not replaced (use --force to replace it)")
                })
                return 1
            }
        }
        for (path, text) in templates {
            do {
                try OutputWriter.writeFile(Data(text.utf8), to: shown(path), creatingFolder: true)
            } catch {
                console.report(error.diagnostics)
                return 1
            }
            console.out("wrote \(shown(path))\n")
        }
        console.out("exported \(templates.count) templates: build with --templates \(folder)\n")
        return 0
    }
}
