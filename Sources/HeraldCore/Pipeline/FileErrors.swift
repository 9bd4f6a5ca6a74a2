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
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw DiagnosticError(.error(.readFailed, file: path, "cannot read: " + FileError.reason(errno: errno))) }
        defer { close(fd) }
        // The size the file has now: read into storage of that size at once, with one byte more
        // to see that it ends there (a file that grows meanwhile is read on in chunks).
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw DiagnosticError(.error(.readFailed, file: path, "cannot read: " + FileError.reason(errno: errno))) }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw DiagnosticError(.error(.readFailed, file: path, "cannot read: is a folder")) }
        let expected = max(Int(info.st_size), 0) + 1
        var failure: Int32 = 0
        var bytes = [UInt8](unsafeUninitializedCapacity: expected) { buffer, count in
            while count < buffer.count {
                let read = Glibc.read(fd, buffer.baseAddress! + count, buffer.count - count)
                if read < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    return
                }
                if read == 0 { return }
                count += read
            }
        }
        var chunk = [UInt8](repeating: 0, count: bytes.count == expected ? 1 << 16 : 0)
        while failure == 0 && !chunk.isEmpty {
            let count = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                failure = errno
            } else if count == 0 {
                break
            } else {
                bytes += chunk[..<count]
            }
        }
        guard failure == 0 else { throw DiagnosticError(.error(.readFailed, file: path, "cannot read: " + FileError.reason(errno: failure))) }
        return bytes
    }
}
