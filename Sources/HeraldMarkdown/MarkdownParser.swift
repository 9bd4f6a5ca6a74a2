// File -> Post: decodes the bytes, splits and decodes the front matter, parses the body with
// cmark-gfm, and settles the post's slug and language.

import Foundation
public import HeraldCore

/// Parses Markdown posts with front matter. The ``PostParser`` the pipeline uses.
public struct MarkdownParser: PostParser {
    /// How the parser treats a block at the top of the file that looks like front matter.
    public enum FrontMatterMode: Sendable {
        /// A `---` or `+++` first line opens front matter; what is wrong in it is an error.
        case required
        /// Only a well-formed, non-empty mapping is front matter; anything else is Markdown,
        /// as a Markdown spec reads it (`---` is a thematic break there).
        case ifWellFormed
    }

    public var syntax: MarkdownSyntax
    public var frontMatter: FrontMatterMode
    /// Whether a post whose front matter has errors (a date that does not exist, a list as a
    /// title) is still read, with the metadata that could be read and the errors in its
    /// diagnostics, so that `herald check` reports the body's findings too. Off for building:
    /// such a post is refused. Either way, a post whose body cannot be found (undecodable
    /// bytes, front matter never closed) is refused.
    public var readsBodyAfterFrontMatterErrors: Bool

    public init(syntax: MarkdownSyntax = .gfm, frontMatter: FrontMatterMode = .required, readsBodyAfterFrontMatterErrors: Bool = false) {
        self.syntax = syntax
        self.frontMatter = frontMatter
        self.readsBodyAfterFrontMatterErrors = readsBodyAfterFrontMatterErrors
    }

    public var fingerprint: String { settings.text }

    /// The parser's settings written out (see ``SettingsText``).
    public var settings: SettingsText {
        var settings = SettingsText("MarkdownParser")
        settings.add("syntax", raw: syntax.settings.text)
        settings.add("frontMatter", raw: frontMatter == .required ? "required" : "ifWellFormed")
        settings.add("readsBodyAfterFrontMatterErrors", readsBodyAfterFrontMatterErrors)
        return settings
    }

    /// Decodes, splits and parses a file. The post keeps its decoded text (``Post/source``).
    public func parse(_ bytes: [UInt8], path: String) throws -> Post {
        let (decoded, sourceDiagnostics) = SourceText.decode(bytes, path: path)
        guard let source = decoded else { throw DiagnosticError(sourceDiagnostics) }
        var front = FrontMatter.parse(source)
        if frontMatter == .ifWellFormed
            && (front.failed || (front.format != .none && front.metadata.keyLocations.isEmpty))
        {
            front = FrontMatterResult(
                metadata: PostMetadata(), format: .none, body: source.text[...], bodyFirstLine: 1,
                diagnostics: [], failed: false)
        }
        var diagnostics = sourceDiagnostics + front.diagnostics
        if front.failed && !(readsBodyAfterFrontMatterErrors && front.format != .none) { throw DiagnosticError(diagnostics) }
        let document = parseBody(front.body, firstLine: front.bodyFirstLine, metadata: front.metadata, source: source)
        let slug = Self.slug(for: front.metadata, path: path, diagnostics: &diagnostics)
        let lang = front.metadata.lang ?? Self.language(of: document)
        return Post(sourcePath: path, document: document, slug: slug, lang: lang, diagnostics: diagnostics, source: source)
    }

    /// Parses Markdown text without front matter (positions start at line 1).
    public func parseMarkdown(_ text: String, metadata: PostMetadata = PostMetadata()) -> Document {
        let (decoded, _) = SourceText.decode(Array(text.utf8), path: "<input>")
        guard let source = decoded else { return Document(metadata: metadata) }
        return parseBody(source.text[...], firstLine: 1, metadata: metadata, source: source)
    }

    private func parseBody(_ body: Substring, firstLine: Int, metadata: PostMetadata, source: SourceText) -> Document {
        let converter = CmarkConverter(syntax: syntax) { line, byteColumn in
            source.location(line: line + firstLine - 1, utf8Column: byteColumn)
        }
        var document = converter.convert(body, metadata: metadata)
        document.linkDefinitions = LinkDefinitionScanner.scan(document, source: source, firstLine: firstLine)
        return document
    }

    /// The slug from the front matter, else from the file name (`2019-08-news.md` gives
    /// `2019-08-news`; a `.zh.md` language suffix is dropped), made safe as a path component.
    static func slug(for metadata: PostMetadata, path: String, diagnostics: inout [Diagnostic]) -> String {
        if let wanted = metadata.slug {
            if let safe = Slug.pathComponent(wanted) {
                if safe != wanted {
                    diagnostics.append(
                        .warning("slug-sanitized", file: path, at: metadata.keyLocations["slug"],
                            "slug '\(wanted)' is not a safe file name; using '\(safe)'"))
                }
                return safe
            }
            diagnostics.append(
                .warning("slug-sanitized", file: path, at: metadata.keyLocations["slug"],
                    "slug '\(wanted)' has no usable characters; using the file name"))
        }
        var name = SourcePaths.fileName(path)
        for suffix in [".markdown", ".md"] where name.lowercased().hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
            break
        }
        if let dot = name.lastIndex(of: "."), name.distance(from: dot, to: name.endIndex) <= 6 {
            let tail = name[name.index(after: dot)...]
            if tail.allSatisfy({ $0.isLetter || $0 == "-" }) && tail.count >= 2 { name = String(name[..<dot]) }
        }
        return Slug.pathComponent(name) ?? "post"
    }

    /// The language of a document's prose (its title and text, no code), counted text by text.
    static func language(of document: Document) -> String {
        var tally = LanguageDetector.Tally()
        tally.add(document.metadata.title ?? "")
        for id in document.descendants() {
            if case .text(let text) = document[id].kind { tally.add(text) }
        }
        return tally.language
    }
}
