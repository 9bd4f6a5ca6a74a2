// Stubs are posts: the parser the build uses reads a stub as the translated post, with the
// source text standing in for what is not translated yet.

import Foundation
public import HeraldCore
import HeraldMarkdown

public struct TranslationParser: PostParser {
    public var base: MarkdownParser
    /// Refuse to publish a stub with a smaller share of translated segments (0 to 100).
    public var minTranslated: Double?

    public init(base: MarkdownParser = MarkdownParser(), minTranslated: Double? = nil) {
        self.base = base
        self.minTranslated = minTranslated
    }

    public func parse(_ bytes: [UInt8], path: String) throws -> Post {
        let post = try base.parse(bytes, path: path)
        guard StubReader.isStub(post.metadata) else { return post }
        let stub = try StubReader.read(bytes, path: path)
        if let minTranslated, stub.percentTranslated < minTranslated {
            throw DiagnosticError(.error(
                "translation-incomplete", file: path,
                String(format: "only %.0f%% of the segments are translated (at least %.0f%% wanted)", stub.percentTranslated, minTranslated)))
        }
        // The stub's front matter as written, then its body as resolved.
        let text = String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var frontMatterEnd = 0
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let close = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        {
            frontMatterEnd = close + 1
        }
        let resolved = lines[..<frontMatterEnd].joined(separator: "\n") + "\n" + stub.resolvedMarkdown
        var translated = try base.parse(Array(resolved.utf8), path: path)
        var document = translated.document
        document.metadata.title = stub.resolvedTitle ?? document.metadata.title
        document.metadata.summary = stub.resolvedSummary ?? document.metadata.summary
        translated.document = document
        // The missing-title warning is about the stub's empty title, which the source fills.
        translated.diagnostics.removeAll { $0.id == "missing-title" && stub.resolvedTitle != nil }
        // A translation lives beside its source: its own name, so both can be built together.
        if let lang = post.metadata.lang, !translated.slug.hasSuffix("-" + lang) {
            translated.slug += "-" + (Slug.pathComponent(lang) ?? "translation")
        }
        return translated
    }
}
