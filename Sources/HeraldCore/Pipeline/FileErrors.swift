// The system's reasons in plain words: every command says `permission denied` or `no such file
// or folder` the same way, whatever layer (Foundation, a C call) met the problem.

import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file operation that failed, with the system's reason in plain words.
public struct FileError: Error, Sendable, CustomStringConvertible {
    public var path: String
    /// `no such file or folder`, `permission denied`, `no space left on device`, …
    public var reason: String

    public init(path: String, reason: String) {
        self.path = path
        self.reason = reason
    }

    /// The error of the C call that just failed on `path` (from `errno`).
    public static func posix(_ code: Int32 = errno, path: String) -> FileError {
        FileError(path: path, reason: reason(errno: code))
    }

    public var description: String { reason }

    /// `error`'s reason in plain words: a system error's own words in lower case, the others
    /// as they describe themselves.
    public static func reason(of error: any Error) -> String {
        if let error = error as? FileError { return error.reason }
        if let error = error as? DiagnosticError { return error.diagnostics.first?.message ?? "\(error)" }
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return reason(errno: Int32(ns.code)) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? any Error {
            let inner = underlying as NSError
            if inner.domain == NSPOSIXErrorDomain { return reason(errno: Int32(inner.code)) }
        }
        if ns.domain == NSCocoaErrorDomain {
            switch CocoaError.Code(rawValue: ns.code) {
            case .fileNoSuchFile, .fileReadNoSuchFile: return reason(errno: ENOENT)
            case .fileReadNoPermission, .fileWriteNoPermission: return reason(errno: EACCES)
            case .fileWriteOutOfSpace: return reason(errno: ENOSPC)
            case .fileWriteVolumeReadOnly: return reason(errno: EROFS)
            case .fileReadCorruptFile, .fileReadInapplicableStringEncoding: return "not readable as text"
            case .fileReadTooLarge: return "file too large"
            default: break
            }
        }
        return "\(error)"
    }

    /// The C library's words for `code`, in lower case (`No such file or directory` → `no
    /// such file or directory`).
    public static func reason(errno code: Int32) -> String {
        guard let text = strerror(code) else { return "error \(code)" }
        return String(cString: text).lowercased()
    }
}

/// Reading the files a command is given.
public enum SourceFiles {
    /// The bytes of the file at `path`, or a `read-failed` error saying why in plain words.
    public static func read(_ path: String) throws(DiagnosticError) -> [UInt8] {
        FileDependencies.record(path)
        do {
            return try bytes(atPath: path)
        } catch {
            throw DiagnosticError(.error(.readFailed, file: path, "cannot read: " + error.reason))
        }
    }

    /// The bytes of the file at `path`, read straight into an array (no `Data` to copy them
    /// from), without recording it as a file a post was made from.
    static func bytes(atPath path: String) throws(FileError) -> [UInt8] {
        func cannotRead(_ reason: String) -> FileError { FileError(path: path, reason: reason) }
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw cannotRead(FileError.reason(errno: errno)) }
        defer { close(fd) }
        // The size the file has now: read into storage of that size at once, with one byte more
        // to see that it ends there; a file that grew meanwhile is read on a chunk at a time.
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw cannotRead(FileError.reason(errno: errno)) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw cannotRead("is a folder") }
        var failure: Int32 = 0
        var size = max(Int(info.st_size), 0) + 1
        var bytes: [UInt8] = []
        while failure == 0 {
            let part = [UInt8](unsafeUninitializedCapacity: size) { buffer, count in
                (count, failure) = fill(UnsafeMutableRawBufferPointer(buffer), from: fd)
            }
            if bytes.isEmpty { bytes = part } else { bytes += part }
            guard part.count == size else { break }
            size = 1 << 16
        }
        guard failure == 0 else { throw cannotRead(FileError.reason(errno: failure)) }
        return bytes
    }

    /// Reads from `fd` until `buffer` is full or the file ends: how many bytes, and the error
    /// number that stopped it (0 when none did).
    private static func fill(_ buffer: UnsafeMutableRawBufferPointer, from fd: Int32) -> (count: Int, failure: Int32) {
        var count = 0
        while count < buffer.count {
            let read = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
            if read < 0 {
                if errno == EINTR { continue }
                return (count, errno)
            }
            if read == 0 { break }
            count += read
        }
        return (count, 0)
    }
}
