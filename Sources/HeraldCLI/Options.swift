// Options shared by the commands that render HTML.

import ArgumentParser
import Foundation
import HeraldEmail
import HeraldHTML
import HeraldTemplates

extension HTMLFlavor: ExpressibleByArgument {}
extension RawHTMLPolicy: ExpressibleByArgument {}

struct HTMLOptionGroup: ParsableArguments {
    @Option(help: "HTML rules: commonmark, gfm (exactly as their specs say) or herald (GFM plus heading ids and CJK line joining).")
    var flavor: HTMLFlavor = .herald

    @Option(name: .customLong("raw-html"), help: "HTML written in posts: escape, sanitize or keep.")
    var rawHTML: RawHTMLPolicy = .sanitize

    @Flag(name: .customLong("toc"), help: "Add a table of contents to pages.")
    var tableOfContents = false

    @Option(name: .customLong("templates"), help: "A folder of templates (html/page.mustache, …) used instead of the built-in ones.", completion: .directory)
    var templatesFolder: String?

    var options: HTMLOptions {
        HTMLOptions(flavor: flavor, rawHTML: rawHTML, tableOfContents: tableOfContents)
    }

    var templates: TemplateSource {
        TemplateSource(userFolder: templatesFolder.map { URL(fileURLWithPath: $0) })
    }

    func validate() throws {
        if let templatesFolder {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: templatesFolder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ValidationError("templates folder '\(templatesFolder)' does not exist")
            }
        }
    }
}

/// Options of the plain-text email body.
struct TextOptionGroup: ParsableArguments {
    @Option(help: "Wrap plain text at this many display columns (a Chinese character takes two).")
    var width: Int = 72

    @Flag(help: "Write plain text as format=flowed (RFC 3676).")
    var flowed = false

    var options: PlainTextOptions { PlainTextOptions(width: width, flowed: flowed) }

    func validate() throws {
        guard (20...998).contains(width) else { throw ValidationError("--width must be between 20 and 998") }
    }
}

/// Who `herald build` addresses its email messages to.
struct AddressOptionGroup: ParsableArguments {
    @Option(name: .customLong("email-from"), help: "The sender of the email messages, e.g. 'News <news@example.org>'.")
    var from: String?

    @Option(name: .customLong("email-to"), help: "The recipients of the email messages (the list address); comma-separated or repeated.")
    var to: [String] = []

    @Option(name: .customLong("reply-to"), help: "Where replies to the email messages go.")
    var replyTo: String?

    @Option(name: .customLong("list-unsubscribe"), help: "The https: or mailto: address readers unsubscribe at.")
    var listUnsubscribe: String?

    func emailOptions(text: PlainTextOptions, fromFlag: String, toFlag: String) throws -> EmailOptions {
        try EmailOptions.parsing(
            text: text, from: from, to: to, replyTo: replyTo, listUnsubscribe: listUnsubscribe,
            fromFlag: fromFlag, toFlag: toFlag)
    }
}
