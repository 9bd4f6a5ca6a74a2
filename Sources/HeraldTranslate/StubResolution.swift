// Stubs are posts: the `stubs` transform turns a translation stub, as the parser read it, into
// the translated post, with the source text standing in for what is not translated yet.

import Foundation
public import HeraldCore

/// The transform that resolves translation stubs (`post.zh.md`) into the posts they translate
/// into. Other posts pass unchanged.
public struct StubResolution: Transform {
    public let name = "stubs"
    /// Refuse to publish a stub with a smaller share of translated segments (0 to 100).
    public var minTranslated: Double?

    public init(minTranslated: Double? = nil) {
        self.minTranslated = minTranslated
    }

    public var fingerprint: String { settings.text }

    /// The transform's settings written out (see ``SettingsText``).
    public var settings: SettingsText {
        var settings = SettingsText("StubResolution")
        settings.add("name", name)
        settings.add("minTranslated", minTranslated)
        return settings
    }

    public func apply(to post: inout Post, context: TransformContext) throws {
        guard StubReader.isStub(post.metadata), let source = post.source else { return }
        let text = source.text
        let stub = try StubReader.read(source)
        if let minTranslated, stub.percentTranslated < minTranslated {
            throw DiagnosticError(.error(
                .translationIncomplete, file: post.sourcePath,
                String(format: "only %.0f%% of the segments are translated (at least %.0f%% wanted)", stub.percentTranslated, minTranslated)))
        }
        // The stub's front matter as written, then its body as resolved.
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        var frontMatterEnd = 0
        if lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let close = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        {
            frontMatterEnd = close + 1
        }
        let resolved = lines[..<frontMatterEnd].joined(separator: "\n") + "\n" + stub.resolvedMarkdown
        var translated = try context.parser.parse(Array(resolved.utf8), path: post.sourcePath)
        var document = translated.document
        document.metadata.title = stub.resolvedTitle ?? document.metadata.title
        document.metadata.summary = stub.resolvedSummary ?? document.metadata.summary
        translated.document = document
        // What the parser said of the stub as written stands (its places are the file's); the
        // missing-title warning is about the stub's empty title, which the source fills.
        translated.diagnostics = post.diagnostics.filter { !($0.id == .missingTitle && stub.resolvedTitle != nil) }
        // A translation is its source's in another language: in a site of several languages it
        // keeps its source's name in its language's folder; in a site of one, its own name
        // beside its source, so both can be built together.
        translated.translationKey = post.translationKey
        translated.lang = post.lang
        let ownFolder = post.metadata.lang.map { lang in context.build.languages.contains { LanguageTags.matches(lang, $0.tag) } } ?? false
        if let lang = post.metadata.lang, !ownFolder, !translated.slug.hasSuffix("-" + lang) {
            translated.slug += "-" + (Slug.pathComponent(lang) ?? "translation")
        }
        // Checks and stub tools read the stub as written.
        translated.source = post.source
        post = translated
    }
}
