// libdeflate, the one file of HeraldEPUB that calls it: raw deflate and CRC-32 for the entries
// of a book's ZIP container.

import CLibDeflate

/// Deflates one entry after another with one libdeflate compressor. libdeflate compresses a
/// whole buffer in one call, which is what a book's entries are (a few kilobytes each): it
/// takes about half zlib's time for the same size at the same level.
final class Deflater {
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
