// Writes a build's outputs atomically inside the output folder, and the manifest that lists them.

public import Foundation

import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One line of `manifest.json`.
public struct ManifestEntry: Codable, Hashable, Sendable {
    public var source: String?
    public var format: String
    public var lang: String?
    public var path: String
    public var bytes: Int
    public var sha256: String

    public init(source: String?, format: String, lang: String?, path: String, bytes: Int, sha256: String) {
        self.source = source
        self.format = format
        self.lang = lang
        self.path = path
        self.bytes = bytes
        self.sha256 = sha256
    }
}

/// `manifest.json`: every file a build wrote.
public struct Manifest: Codable, Hashable, Sendable {
    public var outputs: [ManifestEntry]

    public init(outputs: [ManifestEntry] = []) { self.outputs = outputs }

    public func encoded() throws -> Data {
        try plainEncoding() ?? StableJSON.encode(self)
    }

    /// The bytes ``StableJSON`` gives for the manifest, written directly (Foundation's encoder
    /// takes longer than the rest of an incremental build's bookkeeping); nil when a string
    /// would need an escape, or the list is empty, which the encoder writes.
    func plainEncoding() -> Data? {
        guard !outputs.isEmpty else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(outputs.count * 320)
        out += "{\n  \"outputs\" : [\n".utf8
        for (index, entry) in outputs.enumerated() {
            // The keys in sorted order, the absent ones left out.
            out += "    {\n      \"bytes\" : ".utf8
            out.appendDecimal(entry.bytes)
            guard Self.field("format", entry.format, into: &out), entry.lang.map({ Self.field("lang", $0, into: &out) }) ?? true,
                Self.field("path", entry.path, into: &out), Self.field("sha256", entry.sha256, into: &out),
                entry.source.map({ Self.field("source", $0, into: &out) }) ?? true
            else { return nil }
            out += (index + 1 < outputs.count ? "\n    },\n" : "\n    }\n").utf8
        }
        out += "  ]\n}\n".utf8
        return Data(out)
    }

    /// Appends `,` and a line `"key" : "value"` to `out`; false when the value needs an escape.
    /// (A function of its own, not one nested in ``plainEncoding()``: a nested function that
    /// changes the bytes would keep them in a box checked at every access.)
    private static func field(_ key: StaticString, _ value: String, into out: inout [UInt8]) -> Bool {
        let quote = UInt8(ascii: "\""), backslash = UInt8(ascii: "\\")
        out += ",\n      \"".utf8
        out.append(contentsOf: UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
        out += "\" : \"".utf8
        let start = out.count
        out += value.utf8
        let clean = out.withUnsafeBufferPointer { bytes in
            !bytes[start...].contains { $0 < 0x20 || $0 == quote || $0 == backslash }
        }
        out.append(quote)
        return clean
    }
}

/// Writes files under one folder. Every write goes to a temporary file beside the target and is
/// renamed into place, so a failed or interrupted build never leaves a half-written file.
/// Paths that would leave the folder are refused.
public struct OutputWriter: Sendable {
    public let root: URL
    /// ``root``'s path, for the many stat calls of a rebuild.
    private let rootPath: String
    /// ``root``, opened when the writer is made (if it exists), for the stat calls of a rebuild:
    /// relative to it, the kernel walks only an output's own path.
    private let folder: OpenFolder

    public init(root: URL) {
        self.root = root.standardizedFileURL
        rootPath = self.root.path
        folder = OpenFolder(path: rootPath)
    }

    /// A folder held open, closed when the last copy of the writer goes.
    private final class OpenFolder: Sendable {
        /// The open folder, or -1 when it could not be opened (it did not exist yet).
        let descriptor: Int32

        init(path: String) { descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC) }

        deinit { if descriptor >= 0 { close(descriptor) } }
    }

    public enum PathError: Error, CustomStringConvertible {
        case unsafe(String)

        public var description: String {
            switch self {
            case .unsafe(let path): "refusing to write outside the output folder: '\(path)'"
            }
        }
    }

    /// Checks that `path` is relative, has no empty, `.` or `..` component, and no NUL or
    /// backslash, and returns its components.
    public static func safeComponents(_ path: String) throws -> [String] {
        guard isSafe(path) else { throw PathError.unsafe(path) }
        return path.split(separator: "/").map(String.init)
    }

    /// Writes `data` to `path` (relative to the root) atomically and returns its manifest entry.
    @discardableResult
    public func write(_ output: Output) throws -> ManifestEntry {
        try write(output, entry: Self.entry(output))
    }

    /// Writes `output` unless the file already holds exactly it: `previous` (what the last
    /// build's manifest says of the file) has the same digest and the file on disk its size.
    /// Returns the manifest entry and whether the file was written.
    public func write(_ output: Output, unlessSameAs previous: ManifestEntry?) throws -> (entry: ManifestEntry, written: Bool) {
        let entry = Self.entry(output)
        if let previous, previous.bytes == entry.bytes, previous.sha256 == entry.sha256, holds(previous) { return (entry, false) }
        return (try write(output, entry: entry), true)
    }

    private func write(_ output: Output, entry: ManifestEntry) throws -> ManifestEntry {
        guard Self.isSafe(output.path) else { throw PathError.unsafe(output.path) }
        // Joined as text: a file URL would ask the file system whether each part is a folder.
        let (folder, name) = SourcePaths.folderAndName(rootPath + "/" + output.path)
        // The folder is made when the file cannot be created for want of it (the first file
        // written in it), not asked after for every file.
        try Self.writeAtomically(output.contents, folder: folder, name: name, creatingFolder: true)
        return entry
    }

    /// The manifest's line for `output`.
    static func entry(_ output: Output) -> ManifestEntry {
        ManifestEntry(
            source: output.source, format: output.format, lang: output.lang, path: output.path,
            bytes: output.contents.count, sha256: sha256Hex(output.contents))
    }

    /// Whether the file `entry` lists is in the folder with the size it lists.
    public func holds(_ entry: ManifestEntry) -> Bool {
        guard Self.isSafe(entry.path) else { return false }
        var info = stat()
        let found = folder.descriptor >= 0 ? fstatat(folder.descriptor, entry.path, &info, 0) : stat(rootPath + "/" + entry.path, &info)
        return found == 0 && (info.st_mode & S_IFMT) == S_IFREG && Int(info.st_size) == entry.bytes
    }

    /// ``safeComponents(_:)``'s test, without making the components.
    static func isSafe(_ path: String) -> Bool {
        let slash = UInt8(ascii: "/"), backslash = UInt8(ascii: "\\")
        guard path.utf8.first != slash, !path.utf8.contains(where: { $0 == 0 || $0 == backslash }) else { return false }
        return SourcePaths.namesOnly(path.utf8)
    }

    /// Removes the file `entry` lists, and the folders it leaves empty up to the root; returns
    /// whether there was a file to remove. Only a path inside the folder is ever removed (a
    /// translation stub listed beside its post is not); a file already gone is not an error.
    @discardableResult
    public func remove(_ entry: ManifestEntry) throws(FileError) -> Bool {
        let components: [String]
        do { components = try Self.safeComponents(entry.path) } catch { return false }
        var target = components.reduce(root) { $0.appendingPathComponent($1) }
        guard unlink(target.path) == 0 else {
            if errno == ENOENT { return false }
            throw FileError.posix(path: target.path)
        }
        for _ in components.dropLast() {
            target.deleteLastPathComponent()
            // Fails, and stops here, when the folder still holds something.
            guard rmdir(target.path) == 0 else { break }
        }
        return true
    }

    /// ``createFolder(_:)`` for a path, asking the file system once when the folder is there
    /// (as it is for all but the first file written in it).
    static func createFolder(atPath folder: String) throws(FileError) {
        var info = stat()
        if stat(folder, &info) == 0, (info.st_mode & S_IFMT) == S_IFDIR { return }
        if mkdir(folder, 0o777) == 0 { return }
        // Folders above it missing, another thread making it, or a reason to give.
        try createFolder(URL(fileURLWithPath: folder))
    }

    /// Creates `folder` and the folders above it that are missing.
    static func createFolder(_ folder: URL) throws(FileError) {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            var reason = FileError.reason(of: error)
            if (error as NSError).code == CocoaError.fileWriteFileExists.rawValue || reason == FileError.reason(errno: EEXIST) {
                reason = "a file is where a folder is needed"
            }
            throw FileError(path: folder.path, reason: reason)
        }
    }

    /// Writes `data` to the file at `path` atomically (creating its folder first with
    /// `creatingFolder`): what a command writes outside a build, a message, a book, a stub. When
    /// it cannot, a `write-failed` error names the file and says why in plain words.
    public static func writeFile(_ data: Data, to path: String, creatingFolder: Bool = false) throws(DiagnosticError) {
        let target = URL(fileURLWithPath: path)
        do {
            if creatingFolder { try createFolder(target.deletingLastPathComponent()) }
            try writeAtomically(data, to: target)
        } catch {
            throw DiagnosticError(.error(.writeFailed, file: path, "cannot write: \(FileError.reason(of: error))"))
        }
    }

    /// Writes to a unique temporary file in the target's folder, flushes it, and renames it over
    /// the target. On any failure the temporary file is removed and the target is untouched.
    public static func writeAtomically(_ data: Data, to target: URL) throws {
        try writeAtomically(data, folder: target.deletingLastPathComponent().path, name: target.lastPathComponent)
    }

    /// ``writeAtomically(_:to:)`` for the file `name` in the folder at `folder`, which is made
    /// first (with the folders above it) when it is missing and `creatingFolder` is set.
    static func writeAtomically(_ data: Data, folder: String, name: String, creatingFolder: Bool = false) throws {
        let inFolder = folder.hasSuffix("/") ? folder : folder + "/"
        let target = inFolder + name
        let (fd, temporary) = try createTemporary(beside: name, in: inFolder, creatingFolder: creatingFolder)
        var ok = false
        defer {
            if !ok { unlink(temporary) }
        }
        var failure: Int32 = 0
        data.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = Glibc.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                offset += count
            }
        }
        if close(fd) != 0 && failure == 0 { failure = errno }
        if failure == 0 && rename(temporary, target) != 0 { failure = errno }
        guard failure == 0 else { throw FileError.posix(failure, path: target) }
        ok = true
    }

    /// Numbers the temporary files of this process, which its id tells from another's.
    private static let temporaryCount = Atomic<Int>(0)
    private static let processID = getpid()

    /// Creates a new, empty temporary file for `name` in `inFolder` (a path ending in `/`),
    /// readable by all as a published file is (less what the umask takes away), and returns
    /// its descriptor and path. A name left by an earlier process is passed over.
    private static func createTemporary(beside name: String, in inFolder: String, creatingFolder: Bool) throws(FileError) -> (Int32, String) {
        var madeFolder = !creatingFolder
        while true {
            let number = temporaryCount.wrappingAdd(1, ordering: .relaxed).oldValue
            let temporary = "\(inFolder).\(name).herald-\(processID)-\(number)"
            let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
            if fd >= 0 { return (fd, temporary) }
            let code = errno
            switch code {
            case EEXIST, EINTR:
                continue
            case ENOENT where !madeFolder, ENOTDIR where !madeFolder:
                // The folder is missing, or a file stands where it should be: made, or a reason given.
                try createFolder(atPath: String(inFolder.dropLast()))
                madeFolder = true
            default:
                throw FileError.posix(code, path: inFolder + name)
            }
        }
    }
}
