// Tests of eight bytes at once (SWAR: SIMD within a register), for the scans that look at every
// byte of a text: mail bodies, escaping.

/// Tests of eight bytes at once, in a word read from memory.
public enum SWAR {
    /// The high bit of each byte.
    @inlinable public static var highBits: UInt64 { 0x8080_8080_8080_8080 }

    /// The eight bytes of `bytes` from `index` on (which has eight after it), as one word.
    @inlinable public static func word(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> UInt64 {
        UnsafeRawPointer(bytes.baseAddress! + index).loadUnaligned(as: UInt64.self)
    }

    /// `byte` in each of the word's bytes.
    @inlinable public static func repeated(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

    /// 1 in each byte of the word that is 0, else 0.
    @inlinable public static func zeroByteFlags(_ word: UInt64) -> UInt64 {
        // The high bit of a byte is set when its low seven bits are not all 0 (no carry leaves
        // a byte), or when it is set already: what is left clear marks the zero bytes.
        let nonzero = ((word & ~highBits) &+ ~highBits) | word
        return (~nonzero & highBits) >> 7
    }

    /// The sum of the word's bytes.
    @inlinable public static func sum(_ word: UInt64) -> Int {
        let pairs = (word & 0x00FF_00FF_00FF_00FF) &+ (word >> 8 & 0x00FF_00FF_00FF_00FF)
        return Int(truncatingIfNeeded: (pairs &* 0x0001_0001_0001_0001) >> 48)
    }

    /// Whether any of the word's bytes is `byte`.
    @inlinable public static func contains(_ word: UInt64, _ byte: UInt8) -> Bool {
        let matched = word ^ repeated(byte)
        return (matched &- repeated(1)) & ~matched & highBits != 0
    }

    /// Whether every byte is printable ASCII or a space (32 to 126) and none is `=`: what
    /// quoted-printable writes as it is inside a line.
    @inlinable public static func allPrintable(_ word: UInt64) -> Bool {
        let below = (word &- repeated(32)) & ~word & highBits  // a byte under 32
        let above = ((word &+ repeated(1)) | word) & highBits  // a byte over 126
        return below | above == 0 && !contains(word, 61)
    }
}
