// `herald translate`: translation stubs beside their posts, their status, and PO exchange.

import ArgumentParser
import Foundation
import HeraldCore
import HeraldTranslate

struct TranslateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "translate",
        abstract: "Create, update and exchange translation stubs.",
        subcommands: [TranslateStubCommand.self, TranslateStatusCommand.self, TranslateImportCommand.self],
        defaultSubcommand: TranslateStubCommand.self)
}

struct TranslateStubCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "stub",
        abstract: "Create or update the stub of a post in another language (the default).",
        discussion: """
            Writes POST's translation stub beside it (post.md → post.zh.md), or merges the \
            source's changes into the existing stub: unchanged segments keep their translation, \
            changed ones keep it marked stale with the previous source, new ones are untranslated, \
            removed ones move to the obsolete section. With --format po, writes a PO file instead.
            """)

    @Argument(help: "The source post.", completion: .file(extensions: ["md"]))
    var post: String

    @Option(help: "The language to translate into, a BCP 47 tag (zh, en, zh-TW, …; herald.yml: translate.to).")
    var to: String?

    @Option(help: "stub (Markdown beside the post) or po (a gettext PO file).")
    var format: Format = .stub

    @Option(name: [.customShort("o"), .customLong("out"), .customLong("output")], help: "With --format po: the file to write (default: standard output).", completion: .file(extensions: ["po"]))
    var out: String?

    @Option(help: "The configuration file (default: the nearest herald.yml in the current folder or above).", completion: .file())
    var config: String?

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case stub, po
    }

    func execute(_ console: Console) throws -> Int32 {
        guard let settings = Project.load(Flags(config: config), console: console) else { return 1 }
        do {
            let languages = to.map { [$0] } ?? settings.config.translateTo ?? []
            guard !languages.isEmpty else {
                throw DiagnosticError(.error(.optionInvalid, "name the language to translate into: --to zh, or translate.to in herald.yml"))
            }
            let load = settings.loader()
            for lang in try languages.map(LanguageTags.parse) {
                switch format {
                case .stub:
                    let (path, report) = try Translator.update(sourcePath: post, lang: lang, load: load)
                    console.out("\(path): \(report.kept) kept, \(report.stale) stale, \(report.added) new, \(report.obsolete) obsolete\n")
                case .po:
                    let po = try Translator.exportPO(sourcePath: post, lang: lang, poPath: out, load: load)
                    if let out {
                        try OutputWriter.writeFile(Data(po.utf8), to: out)
                        console.out("wrote \(out)\n")
                    } else {
                        console.out(po)
                    }
                }
            }
            return 0
        } catch {
            console.report(error.diagnostics)
            return 1
        }
    }
}

struct TranslateStatusCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Count translated, stale and untranslated segments of stubs.",
        discussion: "Each PATH is a stub or a folder searched for stubs (*.md with a translation block).")

    @Argument(help: "Stubs or folders (default: the current folder).", completion: .file(extensions: ["md"]))
    var paths: [String] = ["."]

    @Flag(help: "Write JSON.")
    var json = false

    @Option(name: .customLong("min-translated"), help: "Exit with status 1 if a stub has a smaller share of translated segments (percent).")
    var minTranslated: Double?

    struct Row: Encodable {
        var stub: String
        var source: String?
        var lang: String?
        var translated: Int
        var stale: Int
        var untranslated: Int
        var obsolete: Int
        var percent: Double
    }

    @Option(help: "The configuration file (default: the nearest herald.yml in the current folder or above).", completion: .file())
    var config: String?

    func execute(_ console: Console) throws -> Int32 {
        guard let settings = Project.load(Flags(config: config), console: console) else { return 1 }
        let minTranslated = minTranslated ?? settings.config.minTranslated
        let (files, diagnostics) = Pipeline.collectSources(paths)
        console.report(diagnostics)
        var rows: [Row] = []
        var failed = !diagnostics.isEmpty
        for file in files {
            guard let data = FileManager.default.contents(atPath: file),
                String(decoding: data.prefix(4096), as: UTF8.self).contains("translation:")
            else { continue }
            do {
                let stub = try Translator.currentState(stubPath: file, load: settings.loader())
                let counts = stub.counts
                rows.append(Row(
                    stub: file, source: stub.sourcePath, lang: stub.lang, translated: counts.translated, stale: counts.stale,
                    untranslated: counts.untranslated, obsolete: stub.obsolete.count,
                    percent: (stub.percentTranslated * 10).rounded() / 10))
            } catch let error as DiagnosticError {
                if error.diagnostics.contains(where: { $0.id == .notAStub }) { continue }
                console.report(error.diagnostics)
                failed = true
            }
        }
        let below = rows.filter { row in minTranslated.map { row.percent < $0 } ?? false }
        if json {
            console.out(try StableJSON.text(rows))
        } else {
            for row in rows {
                console.out(String(format: "%@: %.1f%% translated (%d translated, %d stale, %d untranslated, %d obsolete)\n",
                    row.stub, row.percent, row.translated, row.stale, row.untranslated, row.obsolete))
            }
            if rows.isEmpty { console.out("no translation stubs found\n") }
        }
        for row in below {
            console.report([.error("translation-incomplete", file: row.stub, String(format: "%.1f%% translated, below %.0f%%", row.percent, minTranslated ?? 0))])
        }
        return failed || !below.isEmpty ? 1 : 0
    }
}

struct TranslateImportCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Fill a stub from a PO file, under the same merge rules.")

    @Argument(help: "The PO file.", completion: .file(extensions: ["po"]))
    var file: String

    @Option(help: "The source post (default: the one the PO file names).", completion: .file(extensions: ["md"]))
    var source: String?

    @Option(help: "The configuration file (default: the nearest herald.yml in the current folder or above).", completion: .file())
    var config: String?

    func execute(_ console: Console) throws -> Int32 {
        guard let settings = Project.load(Flags(config: config), console: console) else { return 1 }
        do {
            let (path, _) = try Translator.importPO(file, sourceOverride: source, load: settings.loader())
            let stub = try Translator.currentState(stubPath: path, load: settings.loader())
            let counts = stub.counts
            console.out(String(format: "%@: filled from %@: %.1f%% translated (%d translated, %d stale, %d untranslated)\n",
                path, file, stub.percentTranslated, counts.translated, counts.stale, counts.untranslated))
            return 0
        } catch {
            console.report(error.diagnostics)
            return 1
        }
    }
}
