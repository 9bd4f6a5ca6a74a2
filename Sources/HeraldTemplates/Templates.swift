// Default templates of every backend, built into the binary, and a user's replacements on disk.

public import Foundation
public import HeraldCore
import Mustache

/// Where a backend's templates come from: a user's folder first (`--templates DIR`), then the
/// defaults compiled into Herald from the repository's `templates/` folder.
public struct TemplateSource: Sendable {
    /// The user's template folder, holding one sub-folder per backend (`html/`, `email/`, …),
    /// or nil for the built-in templates only.
    public var userFolder: URL?

    public init(userFolder: URL? = nil) { self.userFolder = userFolder }

    /// The built-in templates, keyed by path relative to `templates/` (`html/page.mustache`).
    public static var builtIn: [String: String] { EmbeddedTemplates.files }

    /// The text of the template at `path` (`html/page.mustache`): the user's file if it exists,
    /// else the built-in one, else nil.
    public func text(_ path: String) throws -> String? {
        if let file = userFile(path) {
            return try String(contentsOf: file, encoding: .utf8)
        }
        return Self.builtIn[path]
    }

    /// The user's file that replaces the template at `path`, if there is one.
    public func userFile(_ path: String) -> URL? {
        guard let userFolder else { return nil }
        // A user may point at the backend's own folder (`--templates mine/html`).
        let candidates = [
            userFolder.appendingPathComponent(path),
            userFolder.appendingPathComponent((path as NSString).lastPathComponent),
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }

    /// A template at `path` that does not parse, as one diagnostic at the line and column the
    /// parser stopped in the file the text came from (the user's file, else the built-in path).
    public func parseError(_ error: any Error, path: String) -> Diagnostic {
        let file = userFile(path)?.relativePath ?? path
        guard let error = error as? MustacheTemplate.ParserError else {
            return .error("template-invalid", file: file, "cannot parse template: \(error)")
        }
        // The parser counts characters; Herald's columns count Unicode scalars.
        let context = error.context
        let column = String(context.line.prefix(max(context.columnNumber - 1, 0))).unicodeScalars.count + 1
        return .error(
            "template-invalid", file: file, at: SourceLocation(line: context.lineNumber, column: column),
            Self.message(for: error.error))
    }

    private static func message(for error: any Error) -> String {
        switch error as? MustacheTemplate.Error {
        case .sectionCloseNameIncorrect: "section closed with a name that does not match the one it opened with"
        case .unfinishedName: "unfinished tag name"
        case .expectedSectionEnd: "section is never closed"
        case .invalidSetDelimiter: "badly formed set-delimiter tag"
        case .transformAppliedToInheritanceSection: "a transform cannot be applied to an inheritance section"
        case .illegalTokenInsideInheritSection: "only blocks may appear inside an inheritance section"
        case .textInsideInheritSection: "text may not appear inside an inheritance section"
        case .invalidConfigVariableSyntax: "badly formed configuration tag"
        case .unrecognisedConfigVariable: "unknown configuration variable"
        case nil: "unexpected end of template"
        }
    }

    /// A digest of every template this source can give: the built-in ones and every file in
    /// the user's folder, by path and contents. Two builds with the same fingerprint render
    /// with the same templates.
    public var fingerprint: String {
        var text = ""
        for (path, contents) in Self.builtIn.sorted(by: { $0.key < $1.key }) {
            text += "\(path)\u{0}\(sha256Hex(Array(contents.utf8)))\n"
        }
        if let userFolder {
            text += "user: \(userFolder.standardizedFileURL.path)\n"
            let files = FileManager.default.enumerator(atPath: userFolder.path).map { $0.compactMap { $0 as? String } } ?? []
            for path in files.sorted() {
                guard let data = FileManager.default.contents(atPath: userFolder.appendingPathComponent(path).path) else { continue }
                text += "\(path)\u{0}\(sha256Hex(data))\n"
            }
        }
        return sha256Hex(Array(text.utf8))
    }

    /// All template names under `folder` (`html`), built-in and the user's, without extension.
    public func names(in folder: String, extension ext: String = "mustache") -> [String] {
        var names = Set<String>()
        for key in Self.builtIn.keys where key.hasPrefix(folder + "/") && key.hasSuffix("." + ext) {
            names.insert(String(key.dropFirst(folder.count + 1).dropLast(ext.count + 1)))
        }
        if let userFolder {
            for candidate in [userFolder.appendingPathComponent(folder), userFolder] {
                for name in (try? FileManager.default.contentsOfDirectory(atPath: candidate.path)) ?? [] where name.hasSuffix("." + ext) {
                    names.insert(String(name.dropLast(ext.count + 1)))
                }
            }
        }
        return names.sorted()
    }
}
