// zlib, the one file of HeraldEPUB that calls it: raw deflate and CRC-32 for the entries of a
// book's ZIP container.

import CLibZ

/// Deflates one entry after another through one zlib stream, reset between entries: making a
/// stream allocates and clears some 400 KB, which costs more than deflating a chapter of a few
/// kilobytes. Raw deflate (no zlib header), the default level and memory level 9: the
/// settings of the ZIP containers Herald has always written, so books keep their bytes.
final class Deflater {
    /// zlib keeps the stream's address in its state and checks it on every call: the stream
    /// lives at one place for the deflater's life.
    private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)

    /// A stream to deflate with; nil when zlib cannot make one (out of memory).
    init?() {
        stream.initialize(to: z_stream())
        // On failure the deinitializer still runs (every property is set): it ends and frees
        // the stream, which zlib left without a state.
        guard deflateInit2_(stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            return nil
        }
    }

    deinit {
        // Safe on a stream zlib never set up: deflateEnd refuses one without a state.
        deflateEnd(stream)
        stream.deallocate()
    }

    /// `bytes` deflated, as a raw deflate stream; nil if zlib fails.
    func deflate(_ bytes: UnsafeRawBufferPointer) -> [UInt8]? {
        guard deflateReset(stream) == Z_OK else { return nil }
        let bound = Int(deflateBound(stream, UInt(bytes.count)))
        var result: Int32 = Z_OK
        let out = [UInt8](unsafeUninitializedCapacity: bound) { buffer, count in
            // zlib reads the input without writing to it.
            stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.pointee.avail_in = uInt(bytes.count)
            stream.pointee.next_out = buffer.baseAddress
            stream.pointee.avail_out = uInt(bound)
            result = CLibZ.deflate(stream, Z_FINISH)
            count = bound - Int(stream.pointee.avail_out)
        }
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        return result == Z_STREAM_END ? out : nil
    }

    /// The CRC-32 of `bytes`, as ZIP stores it.
    static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        UInt32(CLibZ.crc32(0, bytes.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt(bytes.count)))
    }
}
