// Local files a post refers to (images next to the post), found safely: never outside the
// post's own folder tree, whatever the link says.

public import Foundation

/// A local file referenced by a post.
public struct LocalAsset: Hashable, Sendable {
    /// The reference as written in the post, without query or fragment (`images/a.png`).
    public var reference: String
    /// The path relative to the post's folder, normalised (`images/a.png`).
    public var relativePath: String
    /// Where the file is on disk.
    public var file: URL
}

public enum LocalAssets {
    /// Whether a link destination names a local file: no scheme, not site-absolute, not a
    /// fragment.
    public static func isLocal(_ destination: String) -> Bool {
        let bytes = destination.utf8
        guard let first = bytes.first, first != UInt8(ascii: "/"), first != UInt8(ascii: "#"), first != UInt8(ascii: "?") else { return false }
        guard let colon = bytes.firstIndex(of: UInt8(ascii: ":")) else { return true }
        let scheme = bytes[..<colon]
        // Most schemes are ASCII, read byte by byte; any other text before the colon by its
        // characters (a letter of any script counts).
        if scheme.allSatisfy({ $0 < 0x80 }) {
            return !scheme.allSatisfy { byte in
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                    UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                    true
                default: false
                }
            }
        }
        return !Substring(scheme).allSatisfy { $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == "." }
    }

    /// A destination split where its query or fragment starts: `b.md#part` gives `b.md` and
    /// `#part`.
    public static func splitSuffix(_ destination: String) -> (path: String, suffix: String) {
        guard let cut = destination.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return (destination, "") }
        return (String(destination[..<cut]), String(destination[cut...]))
    }

    /// Resolves `destination` against the folder of the post at `postPath`. Returns nil when it
    /// is not local, or leaves the post's folder (`../x`, an absolute path, or a symbolic link
    /// pointing outside).
    public static func resolve(_ destination: String, postPath: String) -> LocalAsset? {
        guard isLocal(destination) else { return nil }
        let reference = splitSuffix(destination).path
        let decoded = reference.removingPercentEncoding ?? reference
        guard !decoded.isEmpty, !decoded.contains("\0"), !decoded.contains("\\") else { return nil }
        var components: [String] = []
        for part in decoded.split(separator: "/", omittingEmptySubsequences: true) {
            switch part {
            case ".": continue
            case "..":
                guard !components.isEmpty else { return nil }
                components.removeLast()
            default: components.append(String(part))
            }
        }
        guard !components.isEmpty else { return nil }
        let folder = URL(fileURLWithPath: postPath).deletingLastPathComponent().standardizedFileURL
        var file = folder
        for component in components { file.appendPathComponent(component) }
        // Symbolic links must not lead out of the folder tree either.
        let realFolder = folder.resolvingSymlinksInPath().path
        let realFile = file.resolvingSymlinksInPath().path
        guard realFile.hasPrefix(realFolder.hasSuffix("/") ? realFolder : realFolder + "/") else { return nil }
        // What the post refers to, whether it exists yet or not, is part of what it is made from.
        FileDependencies.record(file.path)
        return LocalAsset(reference: reference, relativePath: components.joined(separator: "/"), file: file)
    }

    /// The local images of a post that exist inside its folder tree, once each.
    public static func images(of post: Post) -> [LocalAsset] {
        var seen: Set<String> = []
        var assets: [LocalAsset] = []
        let document = post.document
        for id in document.descendants() {
            guard case .image(let link) = document[id].kind,
                let asset = resolve(link.destination, postPath: post.sourcePath),
                !seen.contains(asset.relativePath)
            else { continue }
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: asset.file.path, isDirectory: &isFolder), !isFolder.boolValue else { continue }
            seen.insert(asset.relativePath)
            assets.append(asset)
        }
        return assets
    }
}
