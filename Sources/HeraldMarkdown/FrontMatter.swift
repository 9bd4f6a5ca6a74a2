// Front matter: splits a post into its `---` YAML or `+++` TOML block and the Markdown body,
// and decodes the block into PostMetadata. The entry point the Markdown parser calls.

public import HeraldCore

/// How a post's front matter is written.
public enum FrontMatterFormat: String, Hashable, Sendable {
    /// Between `---` lines.
    case yaml
    /// Between `+++` lines.
    case toml
    /// The post has no front matter.
    case none
}

/// A post cut into its front matter and its body, with the file lines where each starts.
public struct FrontMatterSplit: Hashable, Sendable {
    public var format: FrontMatterFormat
    /// The lines between the fences, each with its line break.
    public var frontMatter: String
    /// The 1-based file line of the first line of `frontMatter` (the line after the opening fence).
    public var frontMatterFirstLine: Int
    /// The Markdown after the closing fence (the whole text when there is no front matter), a
    /// part of the source's text.
    public var body: Substring
    /// The 1-based file line where `body` starts: body line N is file line N + bodyFirstLine - 1.
    public var bodyFirstLine: Int
}

/// What ``FrontMatter/parse(_:)`` found: the metadata, the body to hand to cmark, and the
/// problems, located in the file.
public struct FrontMatterResult: Sendable {
    public var metadata: PostMetadata
    public var format: FrontMatterFormat
    public var body: Substring
    /// The 1-based file line where `body` starts.
    public var bodyFirstLine: Int
    public var diagnostics: [Diagnostic]
    /// True when an error means the post cannot be built.
    public var failed: Bool
}

/// Reads the front matter of posts.
public enum FrontMatter {
    /// Splits `source` and decodes its front matter. Never throws: every problem is a diagnostic.
    public static func parse(_ source: SourceText) -> FrontMatterResult {
        let split: FrontMatterSplit
        do {
            split = try Self.split(source)
        } catch {
            return FrontMatterResult(
                metadata: PostMetadata(), format: .none, body: source.text[...], bodyFirstLine: 1,
                diagnostics: [error], failed: true)
        }
        let (metadata, diagnostics) = MetadataDecoder.decode(split, in: source)
        return FrontMatterResult(
            metadata: metadata, format: split.format, body: split.body, bodyFirstLine: split.bodyFirstLine,
            diagnostics: diagnostics, failed: diagnostics.contains { $0.severity == .error })
    }

    /// Cuts the front matter from the body. A file whose first line is `---` (YAML) or `+++`
    /// (TOML), trailing blanks allowed, has front matter up to the next such line (`...` also
    /// closes YAML); a block that is never closed is an error at the opening line.
    public static func split(_ source: SourceText) throws(Diagnostic) -> FrontMatterSplit {
        let fences: [(open: Substring, close: Set<String>, format: FrontMatterFormat)] = [
            ("---", ["---", "..."], .yaml), ("+++", ["+++"], .toml),
        ]
        let first = trimmedTrailingBlanks(source.line(1))
        guard let fence = fences.first(where: { $0.open == first }) else {
            return FrontMatterSplit(
                format: .none, frontMatter: "", frontMatterFirstLine: 1, body: source.text[...], bodyFirstLine: 1)
        }
        let closing = (2..<source.lineCount + 1).first {
            fence.close.contains(String(trimmedTrailingBlanks(source.line($0))))
        }
        guard let closing else {
            throw .error(
                "front-matter-unterminated", file: source.path, at: SourceLocation(line: 1, column: 1),
                "front matter opened here is never closed (expected '\(fence.open)')")
        }
        return FrontMatterSplit(
            format: fence.format, frontMatter: source.lines(2, through: closing - 1), frontMatterFirstLine: 2,
            body: source.text(fromLine: closing + 1), bodyFirstLine: closing + 1)
    }

    private static func trimmedTrailingBlanks(_ line: Substring) -> Substring {
        var line = line
        while let last = line.last, last == " " || last == "\t" { line.removeLast() }
        return line
    }
}
