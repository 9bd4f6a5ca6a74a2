// What a build leaves in its output folder for the next one: `.herald/build-cache`. For every
// post it names the digests of the source and of each file the post was made from, the files
// written for it, its diagnostics, and what a listing needs of it; for the whole build, the
// settings it was made with. A rebuild with the same settings reads no post whose files are
// unchanged and writes nothing that would come out the same.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Herald's version, as `herald --version` shows it and build caches record it.
public enum HeraldVersion {
    public static let string = "0.1.0"

    /// The version, and the size and time of the running executable: a cache written by
    /// another build of Herald (a newer one, or one made while developing it) is not trusted.
    public static let build: String = {
        var info = stat()
        guard stat("/proc/self/exe", &info) == 0 else { return string }
        return "\(string) (\(info.st_size) bytes, \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec))"
    }()
}

/// The build cache: `.herald/build-cache` in the output folder, in the binary form of
/// `BuildCacheFormat.swift`.
struct BuildCache: Sendable {
    static let fileName = ".herald/build-cache"
    /// The layout of the file; another one is not read.
    static let layoutVersion = 5
    /// How many sources make one part of the file (parts are decoded on every core at once).
    static let entriesPerPart = 64

    /// ``HeraldVersion/build`` of the Herald that wrote the cache.
    var herald: String
    /// A digest of the pipeline's settings: parser, checks, transforms, backends, site.
    var settings: String
    /// One entry per source the last build read, by standardized path.
    var sources: [String: Source]
    /// The outputs made from what all posts say of themselves (indexes, tag pages, a sitemap),
    /// and the digest of that.
    var listing: Collection
    /// The outputs made from all posts (feeds, books), and the digest of what they were made from.
    var collection: Collection
    /// Files the build listed in its manifest without writing them (translation stubs).
    var extra: [ManifestEntry]
    /// Sources' entries as a cache file holds them: a cache read from a file has all of its
    /// entries here; a new cache, the ones it keeps exactly as they were read, which are copied
    /// when it is written rather than encoded again.
    var asRead: EntriesAsRead? = nil

    /// Where each source's entry (its key, then the entry) lies in the bytes of a cache file.
    struct EntriesAsRead: Sendable {
        var bytes: [UInt8]
        var ranges: [String: Range<Int>]

        /// The entries of `keys` only.
        func keeping(_ keys: [String]) -> EntriesAsRead {
            EntriesAsRead(
                bytes: bytes, ranges: Dictionary(keys.compactMap { key in ranges[key].map { (key, $0) } }, uniquingKeysWith: { first, _ in first }))
        }
    }

    struct Source: Sendable {
        /// The path as the user named it (diagnostics and the manifest use it).
        var path: String
        var digest: String
        /// The source file's stamp when it was read, if it had settled then: while the file
        /// keeps it, ``digest`` is its digest without reading it again.
        var stamp: FileStamp?
        /// Every other file the post was made from, by standardized path, with its digest
        /// (``BuildCache/absent`` for a file that did not exist).
        var dependencies: [String: String]
        /// What the build reported about the post.
        var diagnostics: [Diagnostic]
        /// The files written for the post.
        var outputs: [ManifestEntry]
        /// What a listing needs of the post; nil for a draft left out.
        var listed: Listing?
    }

    struct Listing: Sendable {
        var slug: String
        var lang: String
        var metadata: PostMetadata
        var translationKey: String?
        /// The translations the post's outputs were made with.
        var translations: [Translation]
    }

    struct Collection: Sendable {
        var key: String
        var outputs: [ManifestEntry]
        /// The posts the outputs show in full (a feed's newest), by standardized path: an edit
        /// of another post leaves them as they are.
        var shows: [String] = []
    }

    /// The digest a missing file is recorded with.
    static let absent = "absent"

    /// The cache in `folder` as the last build wrote it: nil when there is none, or with a
    /// note when it cannot be read or was written by something else (it is then left aside).
    /// Whether it may be trusted is ``isTrusted(settings:)``.
    static func load(in folder: URL) -> (cache: BuildCache?, note: Diagnostic?) {
        let file = folder.appendingPathComponent(fileName)
        guard let bytes = try? SourceFiles.bytes(atPath: file.path) else { return (nil, nil) }
        func ignored(_ why: String) -> (BuildCache?, Diagnostic?) {
            (nil, .note(.buildCacheIgnored, file: file.path, "\(why): building every post"))
        }
        do {
            return (try decoded(bytes), nil)
        } catch .foreign {
            return ignored("the build cache is not one this Herald writes")
        } catch {
            return ignored("the build cache cannot be read")
        }
    }

    /// Whether a build with `settings` may trust the cache: made by this Herald, with these
    /// settings (another cache is silently built over).
    func isTrusted(settings: String) -> Bool {
        herald == HeraldVersion.build && self.settings == settings
    }

    /// The digest of `bytes`.
    static func digest(_ bytes: some DataProtocol) -> String { sha256Hex(bytes) }

    /// The digest of the file at `path`: ``absent`` when there is none, `folder` for a folder.
    static func digest(ofFileAt path: String) -> String {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else { return absent }
        if isFolder.boolValue { return "folder" }
        guard let data = FileManager.default.contents(atPath: path) else { return absent }
        return digest(data)
    }
}

/// What the file system says of a file without reading it: where it is, its size, and when
/// its bytes and its entry last changed. A file whose stamp is the one it had when it was read
/// holds the bytes it held then, unless the stamp was taken so soon after a change that a
/// second change could leave the times as they were (times are coarse on some file systems):
/// such a stamp is not kept (see ``init(path:)``).
struct FileStamp: Sendable, Hashable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    /// Nanoseconds since 1970 of the last change to the bytes, and to the entry (a rename,
    /// a change of owner or mode, or of the bytes).
    var modified: Int64
    var changed: Int64

    /// How long a file's times must lie in the past for its stamp to be kept.
    static let settling: Int64 = 3_000_000_000

    /// The stamp of the regular file at `path` (following links); nil when there is none, or
    /// when the file changed less than ``settling`` ago (or claims a time in the future).
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        self.init(info)
    }

    /// The stamp of the file `name` in the folder open as `folder` (following links), as
    /// ``init(path:)`` gives it.
    init?(name: UnsafePointer<CChar>, in folder: Int32) {
        var info = stat()
        guard fstatat(folder, name, &info, 0) == 0 else { return nil }
        self.init(info)
    }

    /// The stamp `info` gives a regular file; nil for anything else, or a file that changed
    /// less than ``settling`` ago.
    private init?(_ info: stat) {
        guard (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        func nanoseconds(_ time: timespec) -> Int64 { Int64(time.tv_sec) &* 1_000_000_000 &+ Int64(time.tv_nsec) }
        self.init(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modified: nanoseconds(info.st_mtim), changed: nanoseconds(info.st_ctim))
        guard nanoseconds(now) - max(modified, changed) >= Self.settling else { return nil }
    }

    init(device: UInt64, inode: UInt64, size: Int64, modified: Int64, changed: Int64) {
        self.device = device
        self.inode = inode
        self.size = size
        self.modified = modified
        self.changed = changed
    }
}

extension FileStamp {
    /// The stamps of the files at `paths` (none for a nil path), as ``init(path:)`` gives them.
    /// Each file is looked at in its folder, opened once for all its files: the system walks
    /// the folder's path once instead of once per file. Consecutive files of one folder (a
    /// folder of posts) are looked at without making any string.
    static func stamps(of paths: [String?]) -> [FileStamp?] {
        var descriptors: [String: Int32] = [:]
        defer { for descriptor in descriptors.values where descriptor >= 0 { close(descriptor) } }
        var last: (folder: String, descriptor: Int32)?
        return paths.map { path -> FileStamp? in
            guard let path else { return nil }
            return path.withCString { cPath -> FileStamp? in
                let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(cPath).assumingMemoryBound(to: UInt8.self), count: path.utf8.count)
                guard let slash = bytes.lastIndex(of: UInt8(ascii: "/")), slash + 1 < bytes.count else { return FileStamp(path: path) }
                // The folder as ``SourcePaths/folderAndName(_:)`` spells it: `/` for a file at the root.
                let folder = UnsafeBufferPointer(rebasing: bytes[..<max(slash, 1)])
                let descriptor: Int32
                if let last, last.folder.utf8.elementsEqual(folder) {
                    descriptor = last.descriptor
                } else {
                    let name = String(decoding: folder, as: UTF8.self)
                    descriptor = descriptors[name] ?? open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
                    descriptors[name] = descriptor
                    last = (name, descriptor)
                }
                // A folder that cannot be opened so (one that may be searched but not read)
                // leaves its files to be looked at by their paths.
                guard descriptor >= 0 else { return FileStamp(path: path) }
                return FileStamp(name: cPath + slash + 1, in: descriptor)
            }
        }
    }
}

extension Manifest {
    /// The manifest a build left in `folder`; nil when there is none or it cannot be read.
    static func read(in folder: URL) -> (manifest: Manifest?, damaged: Bool) {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent("manifest.json").path) else { return (nil, false) }
        guard let manifest = try? JSONDecoder().decode(Manifest.self, from: data) else { return (nil, true) }
        return (manifest, false)
    }
}

extension BuildCache.Listing {
    /// What a listing needs of `listed`. Where each front matter key was written matters to
    /// diagnostics, which are kept as they were said; a listing does not need it.
    init(_ listed: ListedPost) {
        var metadata = listed.metadata
        metadata.keyLocations = [:]
        self.init(
            slug: listed.slug, lang: listed.lang, metadata: metadata, translationKey: listed.translationKey,
            translations: listed.translations)
    }
}
