// Flags shared by the commands. Every flag that has a `herald.yml` key is optional here: when
// it is not given, the file's value applies (see Project.swift), then Herald's default.

import ArgumentParser
import Foundation
import HeraldCore
import HeraldEmail
import HeraldHTML

extension HTMLFlavor: ExpressibleByArgument {}
extension RawHTMLPolicy: ExpressibleByArgument {}

/// What the command line said of the settings `herald.yml` also holds; nil where it said nothing.
struct Flags {
    var config: String?
    var baseURL: String?
    var title: String?
    var filters: [String] = []
    var templates: String?
    var flavor: HTMLFlavor?
    var rawHTML: RawHTMLPolicy?
    var tableOfContents: Bool?
    var width: Int?
    var flowed: Bool?
}

/// The configuration file and the site's settings.
struct ProjectOptionGroup: ParsableArguments {
    @Option(help: "The configuration file (default: the nearest herald.yml in the current folder or above).", completion: .file())
    var config: String?

    @Option(name: .customLong("base-url"), help: "The absolute URL the site is published at (herald.yml: site.base-url).")
    var baseURL: String?

    @Option(name: .long, help: "The site's title (herald.yml: site.title).")
    var title: String?

    @Option(name: .customLong("filter"), help: "A program that changes each post's document as JSON (repeatable; herald.yml: filters).")
    var filters: [String] = []

    @Option(help: "A folder of templates (html/page.mustache, …) used instead of the built-in ones (herald.yml: templates).", completion: .directory)
    var templates: String?

    func apply(to flags: inout Flags) {
        flags.config = config
        flags.baseURL = baseURL
        flags.title = title
        flags.filters = filters
        flags.templates = templates
    }
}

/// How posts are read and rendered as HTML.
struct HTMLOptionGroup: ParsableArguments {
    @Option(help: "HTML rules: commonmark, gfm (exactly as their specs say) or herald (GFM plus heading ids and CJK line joining).")
    var flavor: HTMLFlavor?

    @Option(name: .customLong("raw-html"), help: "HTML written in posts: escape, sanitize or keep.")
    var rawHTML: RawHTMLPolicy?

    @Flag(name: .customLong("toc"), inversion: .prefixedNo, help: "Add a table of contents to pages.")
    var tableOfContents: Bool?

    func apply(to flags: inout Flags) {
        flags.flavor = flavor
        flags.rawHTML = rawHTML
        flags.tableOfContents = tableOfContents
    }
}

/// Options of the plain-text email body.
struct TextOptionGroup: ParsableArguments {
    @Option(help: "Wrap plain text at this many display columns (a Chinese character takes two; default 72).")
    var width: Int?

    @Flag(inversion: .prefixedNo, help: "Write plain text as format=flowed (RFC 3676).")
    var flowed: Bool?

    func apply(to flags: inout Flags) {
        flags.width = width
        flags.flowed = flowed
    }

    func validate() throws {
        if let width, !(20...998).contains(width) { throw ValidationError("--width must be between 20 and 998") }
    }
}

/// Who email messages are addressed to.
struct AddressOptionGroup: ParsableArguments {
    @Option(name: [.customLong("from"), .customLong("email-from")], help: "The sender of the email messages, e.g. 'News <news@example.org>' (herald.yml: email.from).")
    var from: String?

    @Option(name: [.customLong("to"), .customLong("email-to")], help: "The recipients (the list address); comma-separated or repeated (herald.yml: email.to).")
    var to: [String] = []

    @Option(name: .customLong("reply-to"), help: "Where replies to the email messages go (herald.yml: email.reply-to).")
    var replyTo: String?

    @Option(name: .customLong("list-unsubscribe"), help: "The https: or mailto: address readers unsubscribe at (herald.yml: email.list-unsubscribe).")
    var listUnsubscribe: String?
}
