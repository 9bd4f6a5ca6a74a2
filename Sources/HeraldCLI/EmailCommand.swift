// `herald email`: one post as a ready-to-send MIME message, the same bytes `herald build` writes.

import ArgumentParser
import Foundation
import HeraldCore
import HeraldEmail

struct EmailCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "email",
        abstract: "Write one post as a ready-to-send email message (.eml).",
        discussion: """
            The message is multipart/alternative: the plain text (as `herald build` writes it \
            to email/<slug>.txt) first, an email-safe HTML rendering second. The same post and \
            settings always give the same bytes, the same as `herald build`'s email/<slug>.eml. \
            Send it with `herald send FILE.eml`.
            """)

    @Argument(help: "The post.", completion: .file(extensions: ["md"]))
    var post: String

    @OptionGroup(title: "Email") var addresses: AddressOptionGroup

    @Option(name: [.customShort("o"), .customLong("out"), .customLong("output")], help: "Write the message to this file instead of standard output.", completion: .file(extensions: ["eml"]))
    var out: String?

    @OptionGroup var project: ProjectOptionGroup

    @OptionGroup(title: "Text") var text: TextOptionGroup

    func execute(_ console: Console) throws -> Int32 {
        guard let settings = Project.load(flags, console: console) else { return 1 }
        let options: EmailOptions
        do {
            options = try settings.email(addresses)
            guard options.canWriteMessages else {
                throw DiagnosticError(.error("email-address-missing", "a message needs a sender and recipients: --from and --to, or email.from and email.to in herald.yml"))
            }
        } catch {
            console.report(error.diagnostics)
            return 1
        }
        let report = settings.pipeline().load([.file(post)])
        console.report(report.diagnostics)
        guard let loaded = report.posts.first else { return 1 }
        settings.noteMissingBaseURL(console, what: "the message does not link to the post's page")
        do {
            let backend = EmailBackend(options: options, templates: settings.templates)
            let encoded = try backend.message(loaded, context: settings.context).encoded()
            if let out {
                try OutputWriter.writeFile(encoded, to: out)
            } else {
                console.outData(encoded)
            }
            return 0
        } catch {
            console.report(error.diagnostics)
            return 1
        }
    }
}

extension EmailCommand {
    var flags: Flags {
        var flags = Flags()
        project.apply(to: &flags)
        text.apply(to: &flags)
        return flags
    }
}
