// `herald email`: one post as a ready-to-send MIME message.

import ArgumentParser
import Foundation
import HeraldCore
import HeraldEmail
import HeraldMarkdown
import HeraldTranslate
import HeraldTemplates

struct EmailCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "email",
        abstract: "Write one post as a ready-to-send email message (.eml).",
        discussion: """
            The message is multipart/alternative: the plain text (as `herald render --to text` \
            writes it) first, an email-safe HTML rendering second. The same post and options \
            always give the same bytes. Send it with `herald send FILE.eml`.
            """)

    @Argument(help: "The post.", completion: .file(extensions: ["md"]))
    var post: String

    @Option(help: "The sender, e.g. 'Lantern News <news@example.org>'.")
    var from: String

    @Option(help: "The recipients (the list address); comma-separated or repeated.")
    var to: [String]

    @Option(name: .customLong("reply-to"), help: "Where replies go.")
    var replyTo: String?

    @Option(name: .customLong("list-unsubscribe"), help: "The https: or mailto: address readers unsubscribe at.")
    var listUnsubscribe: String?

    @Option(name: .shortAndLong, help: "Write the message to this file instead of standard output.", completion: .file(extensions: ["eml"]))
    var output: String?

    @Option(name: .customLong("base-url"), help: "The address the site is published at, for links to the post.")
    var baseURL: String = "http://localhost:8000/"

    @Option(name: .long, help: "The newsletter's name, for the footer.")
    var title: String = "Herald"

    @OptionGroup(title: "Text") var text: TextOptionGroup

    @Option(name: .customLong("templates"), help: "A folder of templates (email/header.mustache, …) used instead of the built-in ones.", completion: .directory)
    var templatesFolder: String?

    func execute(_ console: Console) throws -> Int32 {
        do {
            let options = try EmailOptions.parsing(
                text: text.options, from: from, to: to, replyTo: replyTo, listUnsubscribe: listUnsubscribe)
            guard let data = FileManager.default.contents(atPath: post) else {
                console.report([.error("read-failed", file: post, "cannot read file")])
                return 1
            }
            let bytes = [UInt8](data)
            let parser = TranslationParser()
            var parsed = try parser.parse(bytes, path: post)
            console.report(parsed.diagnostics)
            parsed = LinkedPosts.rewrite([parsed], parser: parser, includingGiven: true)[0]
            let backend = EmailBackend(
                options: options, templates: TemplateSource(userFolder: templatesFolder.map { URL(fileURLWithPath: $0) }))
            let message = try backend.message(parsed, context: BuildContext(baseURL: baseURL, siteTitle: title))
            let encoded = message.encoded()
            if let output {
                try OutputWriter.writeAtomically(encoded, to: URL(fileURLWithPath: output))
            } else {
                console.outData(encoded)
            }
            return 0
        } catch let error as DiagnosticError {
            console.report(error.diagnostics)
            return 1
        } catch {
            console.report([.error("write-failed", file: output ?? "<stdout>", "cannot write message: \(error)")])
            return 1
        }
    }
}
