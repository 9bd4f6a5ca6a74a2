// SHA-256 digests in hex: the manifest's file digests, a stub's source digest, and identifiers
// derived from content (segment ids, image names, a book's identifier).

public import Foundation
internal import Crypto

/// The SHA-256 digest of `bytes`, as 64 lowercase hex digits.
public func sha256Hex(_ bytes: some DataProtocol) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(unsafeUninitializedCapacity: 64) { hex in
        var index = 0
        for byte in SHA256.hash(data: bytes) {
            hex[index] = digits[Int(byte >> 4)]
            hex[index + 1] = digits[Int(byte & 0x0F)]
            index += 2
        }
        return index
    }
}
