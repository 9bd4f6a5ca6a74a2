// Default templates of every backend, built into the binary, and a user's replacements on disk.

public import Foundation

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
        if let userFolder {
            let file = userFolder.appendingPathComponent(path)
            if FileManager.default.fileExists(atPath: file.path) {
                return try String(contentsOf: file, encoding: .utf8)
            }
            // A user may point at the backend's own folder (`--templates mine/html`).
            let flat = userFolder.appendingPathComponent((path as NSString).lastPathComponent)
            if FileManager.default.fileExists(atPath: flat.path) {
                return try String(contentsOf: flat, encoding: .utf8)
            }
        }
        return Self.builtIn[path]
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
