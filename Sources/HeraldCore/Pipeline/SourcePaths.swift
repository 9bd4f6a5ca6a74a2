// Source paths as keys: two spellings of one file (`a/../b.md`, `./b.md`) name one post.

import Foundation

/// Normalizes the paths posts are known by.
public enum SourcePaths {
    /// `path` made absolute (against the current folder) with `.` and `..` resolved.
    /// A leading `~` is the home folder. Symbolic links are kept, and the file system is not
    /// asked anything: this runs for every post, several times.
    public static func standardized(_ path: String) -> String {
        standardized(path, in: path.hasPrefix("/") ? "/" : FileManager.default.currentDirectoryPath)
    }

    /// ``standardized(_:)`` with `folder` as the current folder (asked once for many paths).
    public static func standardized(_ path: String, in folder: String) -> String {
        let path = path.hasPrefix("~") ? (path as NSString).expandingTildeInPath : path
        let absolute = path.hasPrefix("/") ? path : folder + "/" + path
        var components: [Substring] = []
        for component in absolute.split(separator: "/") {
            switch component {
            case ".": continue
            case "..": if !components.isEmpty { components.removeLast() }
            default: components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// The standardized path of `relative` (a link's path, percent escapes decoded) read from
    /// the folder of the post at `postPath`.
    public static func beside(post postPath: String, _ relative: String) -> String {
        // A file's name followed by `..` is its folder.
        standardized(postPath + "/../" + relative)
    }

    /// `path` as a person in the current folder would type it: relative when it is inside that
    /// folder, absolute otherwise.
    public static func shown(_ path: String) -> String {
        let here = standardized(FileManager.default.currentDirectoryPath)
        let path = standardized(path)
        return path.hasPrefix(here + "/") ? String(path.dropFirst(here.count + 1)) : path
    }
}
