// The EPUB backend: `epub/<slug>.epub` for each post of a build.

import Foundation
public import HeraldCore
public import HeraldTemplates

public struct EPUBBackend: Backend {
    public let format = "epub"
    public let templates: TemplateSource
    /// Shared by the books of this backend: compressors passed on, shared entries deflated once.
    let compression = ZipCompression()

    public init(templates: TemplateSource = TemplateSource()) {
        self.templates = templates
    }

    public var fingerprint: String { settings.text }

    /// The backend's settings written out (see ``SettingsText``).
    public var settings: SettingsText {
        var settings = SettingsText("EPUBBackend")
        settings.add("format", format)
        settings.add("templates", raw: templates.fingerprint)
        settings.derived("compression")
        return settings
    }

    public func render(_ post: Post, context: BuildContext) throws -> [Output] {
        let writer = EPUBWriter(options: EPUBOptions(baseURL: context.baseURL), templates: templates, compression: compression)
        let book = try writer.book([post])
        // Warnings about one post's book are the post's: they reach the build's report.
        if book.diagnostics.contains(where: { $0.severity == .error }) { throw DiagnosticError(book.diagnostics) }
        return [
            Output(
                path: "epub/\(context.outputName(slug: post.slug, lang: post.lang)).epub", contents: book.data, format: format, lang: post.lang,
                source: post.sourcePath, diagnostics: book.diagnostics)
        ]
    }
}
