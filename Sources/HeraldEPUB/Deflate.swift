// libdeflate, the one file of HeraldEPUB that calls it: raw deflate and CRC-32 for the entries
// of a book's ZIP container.

import CLibDeflate
import Foundation
import Synchronization

/// Deflates one entry after another with one libdeflate compressor. libdeflate compresses a
/// whole buffer in one call, which is what a book's entries are (a few kilobytes each): it
/// takes about half zlib's time for the same size at the same level. Used by one book at a
/// time: ``ZipCompression`` hands each to one caller.
final class Deflater: @unchecked Sendable {
    /// libdeflate's default level (6): as small as zlib's default gives.
    static let level: Int32 = 6

    private let compressor: OpaquePointer

    /// A compressor; nil when libdeflate cannot make one (out of memory).
    init?() {
        guard let compressor = libdeflate_alloc_compressor(Self.level) else { return nil }
        self.compressor = compressor
    }

    deinit {
        libdeflate_free_compressor(compressor)
    }

    /// `bytes` deflated, as a raw deflate stream; nil when that would not be smaller than
    /// `bytes` (an image compressed already), which is then stored as it is.
    func deflate(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard !bytes.isEmpty else { return nil }
        // At most `bytes.count - 1`: libdeflate gives up (returns 0) when the result would not fit.
        let deflated = [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = libdeflate_deflate_compress(compressor, bytes.baseAddress, bytes.count, buffer.baseAddress, bytes.count - 1)
        }
        return deflated.isEmpty ? nil : deflated
    }

    /// The CRC-32 of `bytes`, as ZIP stores it.
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        libdeflate_crc32(0, bytes.baseAddress, bytes.count)
    }
}

/// What the books of a build share for compressing: compressors given back by a finished book
/// for the next (a compressor is a few hundred kilobytes, and allocating and touching them anew
/// for each of hundreds of small books cost a tenth of the compression), and the entries every
/// book holds alike (the container file, the style sheet), deflated once. Safe to use from
/// several threads; a backend keeps one for all its books.
public final class ZipCompression: Sendable {
    /// An entry deflated: its CRC-32, and the deflate stream (nil: stored as it is).
    struct Entry: Sendable {
        var crc: UInt32
        var deflated: [UInt8]?

        /// `bytes`' entry, deflated with `deflater` (stored as they are without one).
        init(_ bytes: UnsafeRawBufferPointer, deflater: Deflater?) {
            crc = Deflater.crc32(bytes)
            deflated = deflater?.deflate(bytes)
        }
    }

    private let idle = Mutex<[Deflater]>([])
    private let shared = Mutex<[Data: Entry]>([:])
    /// Beyond this many distinct shared entries (a long-running preview whose style sheet is
    /// edited again and again), the remembered ones are let go.
    private static let sharedLimit = 16

    public init() {}

    /// Runs `body` with a compressor of its own; nil when none can be made (out of memory).
    func withDeflater<Result>(_ body: (Deflater) throws -> Result) rethrows -> Result? {
        guard let deflater = idle.withLock({ $0.popLast() }) ?? Deflater() else { return nil }
        defer { idle.withLock { $0.append(deflater) } }
        return try body(deflater)
    }

    /// `data` compressed with `deflater`, or as remembered from an earlier book.
    func sharedEntry(_ data: Data, deflater: Deflater) -> Entry {
        if let known = shared.withLock({ $0[data] }) { return known }
        let entry = data.withUnsafeBytes { Entry($0, deflater: deflater) }
        shared.withLock { entries in
            if entries.count >= Self.sharedLimit { entries.removeAll() }
            entries[data] = entry
        }
        return entry
    }
}
