// The email backend: `email/<slug>.txt` (the plain-text body as it is sent) and, when the
// sender and recipients are known, `email/<slug>.eml`, a ready-to-send MIME message.

import Foundation
public import HeraldCore
import HeraldHTML
public import HeraldTemplates

/// Who a newsletter message is from and to, and how it is laid out.
public struct EmailOptions: Sendable {
    public var text: PlainTextOptions
    public var from: MailAddress?
    public var to: [MailAddress]
    public var replyTo: MailAddress?
    /// The address (`https:` or `mailto:`) readers unsubscribe at: a `List-Unsubscribe` header
    /// and a line in the footer.
    public var listUnsubscribe: String?
    /// Recipients of the mail in a language of the site, by the language's tag, instead of ``to``.
    public var toByLanguage: [String: [MailAddress]] = [:]

    public init(
        text: PlainTextOptions = PlainTextOptions(), from: MailAddress? = nil, to: [MailAddress] = [],
        replyTo: MailAddress? = nil, listUnsubscribe: String? = nil
    ) {
        self.text = text
        self.from = from
        self.to = to
        self.replyTo = replyTo
        self.listUnsubscribe = listUnsubscribe
    }

    /// The options written out, for the backend's fingerprint (see ``SettingsText``).
    public var settings: SettingsText {
        func address(_ address: MailAddress?) -> String { address?.description.debugDescription ?? "nil" }
        var settings = SettingsText("EmailOptions")
        settings.add("text", raw: text.settings.text)
        settings.add("from", raw: address(from))
        settings.add("to", to, address)
        settings.add("replyTo", raw: address(replyTo))
        settings.add("listUnsubscribe", listUnsubscribe)
        settings.add("toByLanguage", toByLanguage) { "[" + $0.map(address).joined(separator: ", ") + "]" }
        return settings
    }

    /// Whether a whole message can be written (a sender and at least one recipient).
    public var canWriteMessages: Bool { from != nil && (!to.isEmpty || toByLanguage.values.contains { !$0.isEmpty }) }

    /// Who the mail of a post in `lang` goes to: its site language's recipients, else ``to``.
    public func recipients(lang: String, context: BuildContext) -> [MailAddress] {
        context.siteLanguage(of: lang).flatMap { toByLanguage[$0.tag] } ?? to
    }
}

public struct EmailBackend: Backend {
    public let format = "email"
    public let options: EmailOptions
    public let templates: TemplateSource
    /// The templates, parsed once for the whole build: the text ones and the HTML one.
    private let libraries: Result<(text: TemplateLibrary, html: TemplateLibrary), DiagnosticError>

    public init(options: EmailOptions = EmailOptions(), templates: TemplateSource = TemplateSource()) {
        self.options = options
        self.templates = templates
        // The text templates (`header`, `footer`) write values as they are; the HTML one escapes them.
        self.libraries = Result { () throws(DiagnosticError) in
            (
                try templates.library("email", escaping: .none) { !$0.hasPrefix("html") },
                try templates.library("email", escaping: .html) { $0.hasPrefix("html") }
            )
        }
    }

    public var fingerprint: String { settings.text }

    /// The backend's settings written out (see ``SettingsText``).
    public var settings: SettingsText {
        var settings = SettingsText("EmailBackend")
        settings.add("format", format)
        settings.add("options", raw: options.settings.text)
        settings.add("templates", raw: templates.fingerprint)
        settings.derived("libraries")
        return settings
    }

    public func render(_ post: Post, context: BuildContext) throws -> [Output] {
        // The text and the HTML part read the same document, its addresses made absolute once.
        let document = absoluteDocument(post, context: context)
        // So do the header, footer and HTML templates the same values.
        let values = templateValues(post, context: context, renderer: PlainTextRenderer(options: options.text, lang: post.lang))
        let text = try plainText(post, document: document, context: context, values: values)
        let name = "email/" + context.outputName(slug: post.slug, lang: post.lang)
        var outputs = [Output(path: "\(name).txt", text: text, format: format, lang: post.lang, source: post.sourcePath)]
        if options.from != nil, !options.recipients(lang: post.lang, context: context).isEmpty {
            let message = try message(post, document: document, context: context, text: text, values: values)
            outputs.append(Output(path: "\(name).eml", contents: message.encoded(), format: format, lang: post.lang, source: post.sourcePath))
        }
        return outputs
    }

    /// The post with every link and image address made absolute, as a mail reader needs them
    /// (when the site's address is known).
    func absoluteDocument(_ post: Post, context: BuildContext) -> Document {
        var document = post.document
        if let url = context.pageURL(slug: post.slug, lang: post.lang) { document.makeURLsAbsolute(base: url) }
        return document
    }

    /// The plain text of the post's body with its notes and links, without the header and
    /// footer templates (`herald render --to text`).
    public func body(_ post: Post, context: BuildContext) -> String {
        PlainTextRenderer(options: options.text, lang: post.lang).render(absoluteDocument(post, context: context))
    }

    /// The plain-text email: the header template, the body, its notes and links, the footer.
    public func plainText(_ post: Post, context: BuildContext) throws -> String {
        try plainText(post, document: absoluteDocument(post, context: context), context: context)
    }

    /// ``plainText(_:context:)`` of the post's document with absolute addresses, made already
    /// (and the templates' values, when they are).
    func plainText(_ post: Post, document: Document, context: BuildContext, values: [String: TemplateValue]? = nil) throws -> String {
        let renderer = PlainTextRenderer(options: options.text, lang: post.lang)
        let body = renderer.render(document)
        let values = values ?? templateValues(post, context: context, renderer: renderer)
        let header = try renderTemplate("header", lang: post.lang, values: values)
        let footer = try renderTemplate("footer", lang: post.lang, values: values)
        var parts: [String] = []
        for (part, isTemplate) in [(header, true), (body, false), (footer, true)] {
            // The body is laid out already; template output is made to follow the same rules.
            let text = isTemplate ? tidy(part, renderer: renderer).joined(separator: "\n") : String(part.withoutSurroundingNewlines)
            if !text.isEmpty { parts.append(text) }
        }
        return parts.joined(separator: "\n\n") + "\n"
    }

    /// The HTML part: the post rendered by the HTML renderer, with absolute addresses, no
    /// scripts or anchors, and inline styles (mail readers ignore style sheets).
    public func html(_ post: Post, context: BuildContext) throws -> String {
        try html(post, document: absoluteDocument(post, context: context), context: context)
    }

    /// ``html(_:context:)`` of the post's document with absolute addresses, made already (and
    /// the templates' values, when they are).
    func html(_ post: Post, document: Document, context: BuildContext, values: [String: TemplateValue]? = nil) throws -> String {
        let renderer = HTMLRenderer(
            options: HTMLOptions(flavor: .herald, rawHTML: .sanitize, markup: WebMarkup(headingAnchors: false)))
        let content = InlineStyles.apply(to: renderer.render(document).html)
        var values = values ?? templateValues(post, context: context, renderer: PlainTextRenderer(options: options.text, lang: post.lang))
        if case .text(let title) = values["title"], title.utf8.contains(10) {
            values["title"] = .text(title.replacingOccurrences(of: "\n", with: " "))
        }
        values["content"] = .text(content)
        values["isChinese"] = .bool(post.lang.hasPrefix("zh"))
        let library = try libraries.get().html
        return try library.render(values, withTemplate: templateName("html", lang: post.lang, in: library)) ?? ""
    }

    /// The values the header, footer and HTML templates see.
    func templateValues(_ post: Post, context: BuildContext, renderer: PlainTextRenderer) -> [String: TemplateValue] {
        let metadata = post.metadata
        // A title is one line of text, whatever control characters its front matter held.
        let title = HeaderText.clean(post.displayTitle)
        let titleLines = renderer.wrap(title)
        var values: [String: TemplateValue] = [
            "title": .text(titleLines.joined(separator: "\n")),
            "titleRule": .text(String(repeating: "=", count: max(titleLines.map { DisplayWidth.of($0) }.max() ?? 0, 3))),
            "lang": .text(post.lang),
            "slug": .text(post.slug),
            "siteTitle": .text(context.title(lang: post.lang)),
            "author": .text(DateText.joinNames(metadata.authors, lang: post.lang)),
            "hasAuthors": .bool(!metadata.authors.isEmpty),
            "tags": .texts(metadata.tags),
        ]
        if let summary = metadata.summary { values["summary"] = .text(summary) }
        if let date = metadata.date {
            values["date"] = .text(date.isoDate)
            values["dateDisplay"] = .text(DateText.display(date, lang: post.lang))
        }
        // Without the site's address there is no page to point at: the templates leave the line out.
        if let baseURL = context.baseURL {
            values["baseURL"] = .text(baseURL)
            if let url = context.pageURL(slug: post.slug, lang: post.lang) { values["url"] = .text(url) }
        }
        if let unsubscribe = options.listUnsubscribe { values["unsubscribe"] = .text(unsubscribe) }
        for (key, value) in metadata.extra where values[key] == nil { values[key] = value.templateValue }
        return values
    }

    /// Lines of template output made to follow the text's rules: wrapped to the width (URLs
    /// whole), no trailing white space except in the signature separator `-- `, no tabs, and no
    /// blank lines at either end.
    func tidy(_ text: String, renderer: PlainTextRenderer) -> [String] {
        var lines: [String] = []
        // (Foundation's replacing is slow even when there is nothing to replace: it is asked
        // only when there is.)
        let text = text.utf8.contains(13) ? text.replacingOccurrences(of: "\r\n", with: "\n") : text
        // Split at the line feed's byte (a line feed is one byte and one character): splitting
        // the characters finds grapheme boundaries first.
        for raw in text.utf8.split(separator: 10, omittingEmptySubsequences: false) {
            let raw = Substring(raw)
            var line = raw.utf8.contains(9) ? raw.replacingOccurrences(of: "\t", with: "    ") : String(raw)
            if line == "-- " {
                lines.append(line)
                continue
            }
            // Spaces at the end (most lines have none: their last byte says so).
            while let last = line.utf8.last, last == 0x20 || (0x09...0x0D).contains(last) || last >= 0x80, line.last?.isWhitespace == true {
                line.removeLast()
            }
            if DisplayWidth.of(line) <= renderer.options.width {
                lines.append(line)
            } else {
                lines += TextWrapper.wrap(line, width: renderer.options.width, protected: Self.urlRanges(in: line))
            }
        }
        while lines.first?.isEmpty == true { lines.removeFirst() }
        while lines.last?.isEmpty == true { lines.removeLast() }
        // Flowed text must not let a template line that begins with a space or "From " lose it.
        if renderer.options.flowed {
            lines = lines.map { $0.hasPrefix(" ") || $0.hasPrefix("From ") || $0.hasPrefix(">") ? " " + $0 : $0 }
        }
        return lines
    }

    /// The scalar ranges of the `scheme://…` addresses in `line`.
    static func urlRanges(in line: String) -> [Range<Int>] {
        let scalars = Array(line.unicodeScalars)
        var ranges: [Range<Int>] = []
        var start = 0
        while start < scalars.count {
            var end = start
            while end < scalars.count, scalars[end] != " " { end += 1 }
            let word = String(scalars: scalars[start..<end])
            if word.contains("://") || word.hasPrefix("mailto:") { ranges.append(start..<end) }
            start = end + 1
        }
        return ranges
    }

    // MARK: Templates

    func renderTemplate(_ name: String, lang: String, values: [String: TemplateValue]) throws -> String {
        let library = try libraries.get().text
        return try library.render(values, withTemplate: templateName(name, lang: lang, in: library)) ?? ""
    }

    /// The most specific template for `lang`: `footer.zh-CN`, then `footer.zh`, then `footer`.
    func templateName(_ name: String, lang: String, in library: TemplateLibrary) -> String {
        var candidates: [String] = []
        let parts = lang.split(separator: "-")
        for count in stride(from: parts.count, to: 0, by: -1) {
            candidates.append(name + "." + parts.prefix(count).joined(separator: "-"))
        }
        return candidates.first { library.contains($0) } ?? name
    }
}
