// SHA-256 digests in hex: the manifest's file digests, a stub's source digest, and identifiers
// derived from content (segment ids, image names, a book's identifier).

public import Foundation
internal import Crypto

/// The SHA-256 digest of `bytes`, as 64 lowercase hex digits.
public func sha256Hex(_ bytes: some DataProtocol) -> String {
    hexDigits(SHA256.hash(data: bytes))
}

/// ``sha256Hex(_:)`` of `parts` joined by `separator`, without joining them: the digest of a
/// long post's message reads its parts where they are.
public func sha256Hex(joining parts: [String], separator: String) -> String {
    var hasher = SHA256()
    let separator = Array(separator.utf8)
    for (index, part) in parts.enumerated() {
        if index > 0 { hasher.update(data: separator) }
        var part = part
        part.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
    }
    return hexDigits(hasher.finalize())
}

private func hexDigits(_ digest: SHA256.Digest) -> String {
    let digits = Array("0123456789abcdef".utf8)
    return String(unsafeUninitializedCapacity: 64) { hex in
        var index = 0
        for byte in digest {
            hex[index] = digits[Int(byte >> 4)]
            hex[index + 1] = digits[Int(byte & 0x0F)]
            index += 2
        }
        return index
    }
}
