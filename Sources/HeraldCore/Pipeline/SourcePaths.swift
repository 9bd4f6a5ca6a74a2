// Source paths as keys: two spellings of one file (`a/../b.md`, `./b.md`) name one post.

import Foundation

/// Normalizes the paths posts are known by.
public enum SourcePaths {
    /// `path` made absolute (against the current folder) with `.` and `..` resolved.
    public static func standardized(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.path
    }
}
