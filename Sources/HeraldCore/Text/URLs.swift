// Link destinations: which are relative, and how they read from elsewhere (an email, a book).

import Foundation

public enum URLs {
    /// Whether `destination` has a scheme (`https:`, `mailto:`), so it means the same anywhere.
    public static func hasScheme(_ destination: String) -> Bool {
        var sawLetter = false
        for byte in destination.utf8 {
            switch byte {
            case UInt8(ascii: ":"): return sawLetter
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"): sawLetter = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."):
                guard sawLetter else { return false }
            default: return false
            }
        }
        return false
    }

    /// Whether `url` starts with `prefix` (lowercase ASCII) as a browser reads a scheme: case
    /// ignored, and spaces and control characters anywhere in it left out (`java\tscript:`
    /// counts as `javascript:`). Only the start of the address is looked at.
    public static func startsLike(_ url: String, _ prefix: StaticString) -> Bool {
        prefix.withUTF8Buffer { expected in
            var matched = 0
            for byte in url.utf8 where byte > 0x20 && byte != 0x7F {
                guard matched < expected.count else { return true }
                guard byte.asciiLowercased == expected[matched] else { return false }
                matched += 1
            }
            return matched == expected.count
        }
    }

    /// Whether an `http(s):` address has a host that can be read (`https://.example.org` has
    /// not); addresses with other schemes pass.
    public static func isWellFormedWebAddress(_ address: String) -> Bool {
        simpleWebAddress(address) ?? parsedWebAddressIsWellFormed(address)
    }

    /// ``isWellFormedWebAddress(_:)`` through Foundation's URL parser, for any address.
    static func parsedWebAddressIsWellFormed(_ address: String) -> Bool {
        let lowered = address.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return true }
        guard !address.contains(" "), let url = URL(string: address), let host = url.host, !host.isEmpty else { return false }
        return isWellFormedHost(host)
    }

    /// A host's labels: none empty, none starting or ending with a hyphen, of letters, digits and
    /// hyphens (and the brackets and colons of an IPv6 address). Read on bytes; the characters
    /// of a host that is not all ASCII are read as characters.
    static func isWellFormedHost(_ host: some StringProtocol) -> Bool {
        var ascii = true
        guard hasWellFormedLabels(host.utf8, ascii: &ascii) else { return false }
        guard ascii else { return host.allSatisfy { $0.isLetter || $0.isNumber || "-.[]:".contains($0) } }
        return host.utf8.allSatisfy { isHostByte($0) || $0 == UInt8(ascii: "[") || $0 == UInt8(ascii: "]") || $0 == UInt8(ascii: ":") }
    }

    /// Whether the dots and hyphens of a host's bytes leave no label empty and none starting or
    /// ending with a hyphen; `ascii` is cleared when a byte is not ASCII.
    private static func hasWellFormedLabels(_ bytes: some Sequence<UInt8>, ascii: inout Bool) -> Bool {
        let dot = UInt8(ascii: "."), hyphen = UInt8(ascii: "-")
        var previous = dot
        for byte in bytes {
            if byte == dot, previous == dot || previous == hyphen { return false }
            if byte == hyphen, previous == dot { return false }
            if byte >= 0x80 { ascii = false }
            previous = byte
        }
        return previous != dot && previous != hyphen
    }

    /// ``isWellFormedWebAddress(_:)`` of the addresses most posts are made of, answered without
    /// Foundation's parser: `http://` or `https://`, a host of ASCII letters, digits, dots and
    /// hyphens (no user, no port), then only characters RFC 3986 allows, each `%` starting an
    /// escape and one `#` at most. Nil for any other address.
    static func simpleWebAddress(_ address: String) -> Bool? {
        var contiguous = address
        return contiguous.withUTF8 { simpleWebAddress(bytes: $0) }
    }

    /// ``simpleWebAddress(_:)`` on the address's bytes.
    private static func simpleWebAddress(bytes: UnsafeBufferPointer<UInt8>) -> Bool? {
        func startsWith(_ prefix: StaticString) -> Bool {
            bytes.count >= prefix.utf8CodeUnitCount && memcmp(bytes.baseAddress!, prefix.utf8Start, prefix.utf8CodeUnitCount) == 0
        }
        let start: Int
        if startsWith("https://") {
            start = 8
        } else if startsWith("http://") {
            start = 7
        } else {
            return nil
        }
        var index = start
        while index < bytes.count, isHostByte(bytes[index]) { index += 1 }
        let hostEnd = index
        guard index == bytes.count || bytes[index] == UInt8(ascii: "/") || bytes[index] == UInt8(ascii: "?") || bytes[index] == UInt8(ascii: "#")
        else { return nil }
        var sawFragment = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "%") {
                guard index + 2 < bytes.count, isHexDigit(bytes[index + 1]), isHexDigit(bytes[index + 2]) else { return nil }
                index += 3
                continue
            }
            if byte == UInt8(ascii: "#") {
                guard !sawFragment else { return nil }
                sawFragment = true
            } else if !isPathByte(byte) {
                return nil
            }
            index += 1
        }
        // The host is all letters, digits, dots and hyphens here: only its labels are left to check.
        var ascii = true
        return hasWellFormedLabels(UnsafeBufferPointer(rebasing: bytes[start..<hostEnd]), ascii: &ascii)
    }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }

    private static func isHostByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "."), UInt8(ascii: "-"):
            true
        default: false
        }
    }

    /// RFC 3986's unreserved and reserved characters but the brackets (which belong in a host).
    private static func isPathByte(_ byte: UInt8) -> Bool {
        if isHostByte(byte) { return true }
        return switch byte {
        case UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: ":"), UInt8(ascii: "/"), UInt8(ascii: "?"), UInt8(ascii: "@"),
            UInt8(ascii: "!"), UInt8(ascii: "$"), UInt8(ascii: "&"), UInt8(ascii: "'"), UInt8(ascii: "("), UInt8(ascii: ")"),
            UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "="):
            true
        default: false
        }
    }

    /// `destination` resolved against the absolute `base` (the address of the page it was
    /// written on). Destinations with a scheme come back unchanged; so do all when `base` is
    /// not an absolute URL or the destination cannot be resolved.
    public static func absolute(_ destination: String, base: String) -> String {
        guard let baseURL = URL(string: base), baseURL.scheme != nil else { return destination }
        return absolute(destination, base: baseURL)
    }

    /// ``absolute(_:base:)`` against a base already parsed (and known to have a scheme).
    static func absolute(_ destination: String, base: URL) -> String {
        guard !hasScheme(destination), let resolved = URL(string: destination.isEmpty ? base.absoluteString : destination, relativeTo: base)
        else { return destination }
        return resolved.absoluteString
    }
}

extension Document {
    /// Rewrites every relative link and image destination to an absolute one, resolved against
    /// `base` (the address of the post's page), for outputs read away from the site.
    public mutating func makeURLsAbsolute(base: String) {
        guard let baseURL = URL(string: base), baseURL.scheme != nil else { return }
        // Every node as stored (those a transform unlinked too: no reader reaches them), each
        // written only when its address changes: a post whose addresses are all absolute keeps
        // sharing its nodes with the other outputs' copies of the document.
        for index in nodes.indices {
            switch nodes[index].kind {
            case .link(var link):
                let destination = URLs.absolute(link.destination, base: baseURL)
                guard destination != link.destination else { continue }
                link.destination = destination
                setKind(.link(link), of: NodeID(index))
            case .image(var link):
                let destination = URLs.absolute(link.destination, base: baseURL)
                guard destination != link.destination else { continue }
                link.destination = destination
                setKind(.image(link), of: NodeID(index))
            default:
                continue
            }
        }
        for index in linkDefinitions.indices {
            let destination = URLs.absolute(linkDefinitions[index].destination, base: baseURL)
            if destination != linkDefinitions[index].destination { linkDefinitions[index].destination = destination }
        }
    }
}
