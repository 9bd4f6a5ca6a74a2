// Finding ASCII markers (`<a `, ` id="`) in UTF-8 text byte by byte: a search by `Character`
// compares grapheme clusters and costs many times more on long documents.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// UTF-8 bytes with a fast search for byte strings.
public struct ByteText: Sendable {
    public let bytes: [UInt8]

    public init(_ text: String) { bytes = Array(text.utf8) }

    public var count: Int { bytes.count }

    /// Where `needle` next occurs at or after `start` (and wholly before `end`, if given); nil
    /// when it does not.
    public func firstIndex(of needle: [UInt8], from start: Int, before end: Int? = nil) -> Int? {
        let limit = min(end ?? bytes.count, bytes.count)
        guard start >= 0, start <= limit else { return nil }
        return bytes.withUnsafeBufferPointer { haystack in
            needle.withUnsafeBufferPointer { firstOffset(of: $0, in: UnsafeBufferPointer(rebasing: haystack[start..<limit])) }
        }.map { $0 + start }
    }

    /// Where the byte `byte` next occurs at or after `start`.
    public func firstIndex(of byte: UInt8, from start: Int) -> Int? {
        guard start >= 0, start < bytes.count else { return nil }
        return bytes.withUnsafeBufferPointer { buffer in
            memchr(buffer.baseAddress! + start, Int32(byte), buffer.count - start).map { UnsafeRawPointer($0) - UnsafeRawPointer(buffer.baseAddress!) }
        }
    }

    /// The offset of each line's first byte in `bytes`: 0, then the byte after each `\n`
    /// (found with memchr, not byte by byte).
    public static func lineStarts(of bytes: [UInt8]) -> [Int] {
        var starts = [0]
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            var position = 0
            while position < buffer.count, let hit = memchr(base + position, 0x0A, buffer.count - position) {
                position = UnsafeRawPointer(hit) - UnsafeRawPointer(base) + 1
                starts.append(position)
            }
        }
        return starts
    }

    /// The text of `range` (whole UTF-8 sequences, as the markers are ASCII).
    public func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

extension StringProtocol {
    /// Whether the UTF-8 bytes of `needle` occur in the text: a plain byte search, many times
    /// faster on a long text than `contains(_:)` or `firstRange(of:)`, which compare characters.
    /// Meant for ASCII markers, where bytes and characters agree. Inlinable: asked of every
    /// text of every post from other modules, it runs specialized for the caller's string type
    /// instead of through the protocol's witnesses.
    @inlinable public func containsBytes(_ needle: String) -> Bool {
        // In place where both are stored as UTF-8 (Swift's native strings, always on Linux):
        // asked of every text of a post, a copy of either would cost more than the search.
        func search(_ pattern: UnsafeBufferPointer<UInt8>) -> Bool {
            guard !pattern.isEmpty else { return true }
            return utf8.withContiguousStorageIfAvailable { firstOffset(of: pattern, in: $0) != nil }
                ?? Array(utf8).withUnsafeBufferPointer { firstOffset(of: pattern, in: $0) != nil }
        }
        return needle.utf8.withContiguousStorageIfAvailable(search) ?? Array(needle.utf8).withUnsafeBufferPointer(search)
    }
}

/// Where `needle` (not empty) first occurs in `haystack`: memchr for one of its bytes, memcmp for
/// the whole.
@usableFromInline func firstOffset(of needle: UnsafeBufferPointer<UInt8>, in haystack: UnsafeBufferPointer<UInt8>) -> Int? {
    guard !needle.isEmpty, let base = haystack.baseAddress, let pattern = needle.baseAddress,
        haystack.count >= needle.count
    else { return nil }
    // The byte looked for is the needle's first that is not a letter, a digit or a space: in
    // ` id="` the `=`, not the space every word of the text ends with.
    let key = needle.firstIndex { byte in
        !(byte == 0x20 || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte))
    } ?? 0
    var position = 0
    let last = haystack.count - needle.count
    while position <= last {
        guard let hit = memchr(base + position + key, Int32(needle[key]), last - position + 1) else { return nil }
        let offset = UnsafeRawPointer(hit) - UnsafeRawPointer(base) - key
        if memcmp(base + offset, pattern, needle.count) == 0 { return offset }
        position = offset + 1
    }
    return nil
}

extension String {
    /// The text of `scalars`, written as UTF-8 into the string's own storage in one go:
    /// appending scalars to a string's scalar view one at a time costs several times more.
    public init(scalars: ArraySlice<Unicode.Scalar>) {
        self = scalars.withUnsafeBufferPointer { String(scalars: $0) }
    }

    /// ``init(scalars:)`` of scalars in memory.
    fileprivate init(scalars: UnsafeBufferPointer<Unicode.Scalar>) {
        var length = 0
        for scalar in scalars {
            let value = scalar.value
            length += value < 0x80 ? 1 : value < 0x800 ? 2 : value < 0x10000 ? 3 : 4
        }
        self.init(unsafeUninitializedCapacity: length) { bytes in writeUTF8(of: scalars, into: bytes) }
    }
}

extension Array where Element == UInt8 {
    /// Appends the UTF-8 of `scalars`.
    public mutating func appendUTF8(of scalars: ArraySlice<Unicode.Scalar>) {
        // Encoded into a scratch buffer of the most the scalars can take (four bytes each: a line
        // of text is a few hundred bytes), then appended at once: one check of the array's room
        // and one copy instead of a check per byte.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: scalars.count * 4) { scratch in
            let length = writeUTF8(of: scalars, into: scratch)
            append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<length]))
        }
    }

    /// Appends the UTF-8 of `scalar`.
    mutating func appendUTF8(of scalar: Unicode.Scalar) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 4) { scratch in
            append(contentsOf: UnsafeBufferPointer(rebasing: scratch[..<writeUTF8(of: CollectionOfOne(scalar), into: scratch)]))
        }
    }
}

/// Writes the UTF-8 of `scalars` from the start of `bytes`, which has room for it; returns its
/// length. ASCII a byte at a time, the rest (Chinese: three bytes) without making an encoded
/// scalar to copy from.
@inline(__always)
private func writeUTF8(of scalars: some Sequence<Unicode.Scalar>, into bytes: UnsafeMutableBufferPointer<UInt8>) -> Int {
    var cursor = 0
    for scalar in scalars {
        let value = scalar.value
        if value < 0x80 {
            bytes[cursor] = UInt8(truncatingIfNeeded: value)
            cursor += 1
        } else if value < 0x800 {
            bytes[cursor] = UInt8(truncatingIfNeeded: 0xC0 | value >> 6)
            bytes[cursor + 1] = UInt8(truncatingIfNeeded: 0x80 | value & 0x3F)
            cursor += 2
        } else if value < 0x10000 {
            bytes[cursor] = UInt8(truncatingIfNeeded: 0xE0 | value >> 12)
            bytes[cursor + 1] = UInt8(truncatingIfNeeded: 0x80 | value >> 6 & 0x3F)
            bytes[cursor + 2] = UInt8(truncatingIfNeeded: 0x80 | value & 0x3F)
            cursor += 3
        } else {
            bytes[cursor] = UInt8(truncatingIfNeeded: 0xF0 | value >> 18)
            bytes[cursor + 1] = UInt8(truncatingIfNeeded: 0x80 | value >> 12 & 0x3F)
            bytes[cursor + 2] = UInt8(truncatingIfNeeded: 0x80 | value >> 6 & 0x3F)
            bytes[cursor + 3] = UInt8(truncatingIfNeeded: 0x80 | value & 0x3F)
            cursor += 4
        }
    }
    return cursor
}

/// A string put together from runs of another string's UTF-8 and from other strings, the runs
/// copied without their bytes being checked again (as making a string from bytes does): a run
/// cut at ASCII bytes (a tag's `<` or `>`, a quote) of text that was valid is whole characters.
package struct SplicedText {
    package let source: String
    /// What is put together so far, as UTF-8.
    private var bytes: [UInt8] = []

    /// - Parameter capacity: The bytes to make room for at once.
    package init(source: String, capacity: Int) {
        self.source = source
        bytes.reserveCapacity(capacity)
    }

    /// The text put together (made anew at each call: asked for once, at the end). For Herald's
    /// modules only, as `String(wellFormedUTF8:)` is: a cut inside a character would
    /// make a malformed string.
    package var text: String { String(wellFormedUTF8: bytes) }

    /// Appends the source's bytes at `offsets`, which start and end at ASCII bytes or at the
    /// source's ends.
    package mutating func copy(_ offsets: Range<Int>) {
        guard !offsets.isEmpty else { return }
        var source = source
        source.withUTF8 { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: $0[offsets])) }
    }

    package mutating func append(_ string: String) { bytes.append(contentsOf: string.utf8) }
}

extension UInt8 {
    /// The byte with an ASCII capital letter made small; any other byte as it is.
    @inlinable public var asciiLowercased: UInt8 {
        self >= UInt8(ascii: "A") && self <= UInt8(ascii: "Z") ? self | 0x20 : self
    }
}

extension String {
    /// The string whose UTF-8 is `bytes`, which are known to be well-formed: put together from
    /// strings' own UTF-8 and ASCII, and cut only at ASCII bytes. Copied as they are, without
    /// the check (and repair) `String(decoding:as:)` runs over every byte again, which costs
    /// as much as the rendering that wrote them. Anything else goes through
    /// `String(decoding:as:)`. For Herald's modules only (`package`): a string of malformed
    /// bytes is undefined behaviour, not a replacement character.
    package init(wellFormedUTF8 bytes: [UInt8]) {
        assert(String(validating: bytes, as: UTF8.self) != nil, "bytes not well-formed UTF-8")
        self = String(copying: UTF8Span(unchecked: bytes.span))
    }
}
