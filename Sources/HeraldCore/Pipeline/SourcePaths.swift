// Source paths as keys: two spellings of one file (`a/../b.md`, `./b.md`) name one post.

import Foundation

/// Normalizes the paths posts are known by.
public enum SourcePaths {
    /// `path` made absolute (against the current folder) with `.` and `..` resolved.
    public static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }

    /// `path` as a person in the current folder would type it: relative when it is inside that
    /// folder, absolute otherwise.
    public static func shown(_ path: String) -> String {
        let here = standardized(FileManager.default.currentDirectoryPath)
        let path = standardized(path)
        return path.hasPrefix(here + "/") ? String(path.dropFirst(here.count + 1)) : path
    }
}
