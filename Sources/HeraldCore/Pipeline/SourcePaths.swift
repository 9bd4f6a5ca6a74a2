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
        // Most paths are standard already (those found by listing a folder named absolutely).
        if path.utf8.first == UInt8(ascii: "/"), path.utf8.count == 1 || namesOnly(path.utf8.dropFirst()) { return path }
        let path = path.hasPrefix("~") ? (path as NSString).expandingTildeInPath : path
        let absolute = path.hasPrefix("/") ? path : folder + "/" + path
        // Read as bytes, as the file system reads a path: each component is written after a
        // slash, and `..` takes back the last one written.
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var out: [UInt8] = []
        out.reserveCapacity(absolute.utf8.count)
        var starts: [Int] = []
        for component in absolute.utf8.split(separator: slash) {
            if component.count == 1 && component.first == dot { continue }
            if component.count == 2 && component.first == dot && component.last == dot {
                if let start = starts.popLast() { out.removeSubrange(start...) }
                continue
            }
            starts.append(out.count)
            out.append(slash)
            out += component
        }
        return out.isEmpty ? "/" : String(decoding: out, as: UTF8.self)
    }

    /// The standardized path of `relative` (a link's path, percent escapes decoded) read from
    /// the folder of the post at `postPath`.
    public static func beside(post postPath: String, _ relative: String) -> String {
        // A file's name followed by `..` is its folder.
        standardized(postPath + "/../" + relative)
    }

    /// The last component of `path` (`post.md` of `posts/post.md`, `posts` of `posts/`), as
    /// Foundation's `lastPathComponent` gives it, found on the bytes.
    public static func fileName(_ path: String) -> String {
        let bytes = path.utf8
        var end = bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "/") { end = bytes.index(before: end) }
        // Only slashes (or nothing): as Foundation says.
        guard end > bytes.startIndex else { return (path as NSString).lastPathComponent }
        let start = bytes[..<end].lastIndex(of: UInt8(ascii: "/")).map { bytes.index(after: $0) } ?? bytes.startIndex
        return String(path[start..<end])
    }

    /// Whether every component of `path` between its slashes is a name: none is empty, `.` or
    /// `..` (so neither end is a slash, and an empty path is not one).
    static func namesOnly(_ path: some Sequence<UInt8>) -> Bool {
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        // One pass over the bytes (asked of every output at every rebuild): the length of the
        // component being read, and whether it is all dots.
        var length = 0
        var onlyDots = true
        for byte in path {
            if byte == slash {
                guard length > 0, !(onlyDots && length <= 2) else { return false }
                length = 0
                onlyDots = true
                continue
            }
            length += 1
            if byte != dot { onlyDots = false }
        }
        return length > 0 && !(onlyDots && length <= 2)
    }

    /// `path` cut at its last slash, found on the bytes: the folder (`/` for a file at the root,
    /// empty for a bare name) and the name after it (empty after a trailing slash).
    public static func folderAndName(_ path: String) -> (folder: String, name: String) {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return ("", path) }
        let folder = String(path[..<slash])
        return (folder.isEmpty ? "/" : folder, String(path[path.utf8.index(after: slash)...]))
    }

    /// `path` as a person in the current folder would type it: relative when it is inside that
    /// folder, absolute otherwise.
    public static func shown(_ path: String) -> String {
        let here = standardized(FileManager.default.currentDirectoryPath)
        let path = standardized(path)
        return path.hasPrefix(here + "/") ? String(path.dropFirst(here.count + 1)) : path
    }
}
