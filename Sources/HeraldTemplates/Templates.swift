// Default templates of every backend, built into the binary, and a user's replacements on disk.

public import Foundation
public import HeraldCore

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
    public func parseError(_ error: TemplateSyntaxError, path: String) -> Diagnostic {
        let file = userFile(path)?.relativePath ?? path
        return .error("template-invalid", file: file, at: SourceLocation(line: error.line, column: error.column), error.message)
    }

    /// Parses every template of `folder` (`html`, `email`) that `include` accepts by name, into
    /// one library: the first that does not parse stops it, as a diagnostic at its line.
    public func library(_ folder: String, escaping: TemplateEscaping, include: (String) -> Bool = { _ in true }) throws(DiagnosticError) -> TemplateLibrary {
        var library = TemplateLibrary(escaping: escaping)
        for name in names(in: folder) where include(name) {
            let path = "\(folder)/\(name).mustache"
            let text: String?
            do {
                text = try self.text(path)
            } catch {
                throw DiagnosticError(.error("template-invalid", file: userFile(path)?.relativePath ?? path, "cannot read the template: \(FileError.reason(of: error))"))
            }
            guard let text else { continue }
            do {
                try library.register(text, named: name, file: userFile(path)?.relativePath ?? path)
            } catch {
                throw DiagnosticError(parseError(error, path: path))
            }
        }
        return library
    }

    /// What the templates this source can give are made from: the build of Herald that holds
    /// the built-in ones (a changed built-in template is a new executable, so they need not be
    /// read and digested at every build), and every file in the user's folder by path and
    /// digest. Two builds with the same fingerprint render with the same templates.
    public var fingerprint: String {
        let builtIn = "built-in: \(HeraldVersion.build)"
        guard let userFolder else { return builtIn }
        var text = builtIn + "\nuser: \(userFolder.standardizedFileURL.path)\n"
        let files = FileManager.default.enumerator(atPath: userFolder.path).map { $0.compactMap { $0 as? String } } ?? []
        for path in files.sorted() {
            guard let data = FileManager.default.contents(atPath: userFolder.appendingPathComponent(path).path) else { continue }
            text += "\(path)\u{0}\(sha256Hex(data))\n"
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
