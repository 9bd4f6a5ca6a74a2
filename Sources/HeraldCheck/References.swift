// The shapes the link rules read: issue references in link texts (`#123`, `owner/repo#123`),
// GitHub issue and pull request addresses, and profile addresses. Read by hand rather than with
// regular expressions: they run for every link of every post, and a `Regex` is costly to build.

/// `#123` or `owner/repo#123`, as a whole link text.
struct IssueReference: Equatable {
    var repository: (owner: Substring, name: Substring)?
    var number: Substring

    init?(text: String) {
        // (Most link texts have no `#`: the bytes are searched before the characters.)
        guard text.utf8.count <= 200, text.utf8.contains(UInt8(ascii: "#")), let hash = text.firstIndex(of: "#") else { return nil }
        let digits = text[text.index(after: hash)...]
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        number = digits
        let before = text[..<hash]
        if before.isEmpty {
            repository = nil
            return
        }
        let parts = before.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy(Self.isNamePart) else { return nil }
        repository = (parts[0], parts[1])
    }

    /// Letters, digits, `_`, `.` and `-`, at least one.
    static func isNamePart(_ part: Substring) -> Bool {
        !part.isEmpty && part.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." || $0 == "-" }
    }

    static func == (lhs: IssueReference, rhs: IssueReference) -> Bool {
        lhs.number == rhs.number && lhs.repository?.owner == rhs.repository?.owner && lhs.repository?.name == rhs.repository?.name
    }
}

/// The path of an `http(s)` address on one of `hosts` (with or without `www.`), split at `/`;
/// nil for another host or no address.
func pathComponents(of address: String, onHosts hosts: Set<String>) -> [Substring]? {
    // Read as bytes: the scheme and an ASCII host are compared in lower case without copies
    // (a host with other letters is lowered as text), the path split at each `/`.
    var address = address
    let parts = address.withUTF8 { bytes -> [Range<Int>]? in
        func skipping(_ prefix: StaticString) -> Int? {
            guard bytes.count >= prefix.utf8CodeUnitCount else { return nil }
            for offset in 0..<prefix.utf8CodeUnitCount where bytes[offset].asciiLowercased != prefix.utf8Start[offset] { return nil }
            return prefix.utf8CodeUnitCount
        }
        guard let hostStart = skipping("https://") ?? skipping("http://"),
            let slash = bytes[hostStart...].firstIndex(of: UInt8(ascii: "/"))
        else { return nil }
        let hostBytes = bytes[hostStart..<slash]
        var host = hostBytes.allSatisfy { $0 < 0x80 } ? String(decoding: hostBytes.map(\.asciiLowercased), as: UTF8.self) : String(decoding: hostBytes, as: UTF8.self).lowercased()
        if host.hasPrefix("www.") { host.removeFirst(4) }
        guard hosts.contains(host) else { return nil }
        var parts: [Range<Int>] = []
        var start = slash + 1
        for offset in start..<bytes.count where bytes[offset] == UInt8(ascii: "/") {
            parts.append(start..<offset)
            start = offset + 1
        }
        parts.append(start..<bytes.count)
        return parts
    }
    guard let parts else { return nil }
    let utf8 = address.utf8
    return parts.map { address[utf8.index(utf8.startIndex, offsetBy: $0.lowerBound)..<utf8.index(utf8.startIndex, offsetBy: $0.upperBound)] }
}

/// A GitHub issue or pull request address: `https://github.com/OWNER/REPO/pull/123…`.
struct GitHubIssueAddress {
    static let hosts: Set<String> = ["github.com"]
    var owner: Substring
    var repository: Substring
    var number: Substring

    init?(_ address: String) {
        guard let path = pathComponents(of: address, onHosts: Self.hosts), path.count >= 4,
            !path[0].isEmpty, !path[1].isEmpty, !path[1].utf8.contains(where: { $0 == UInt8(ascii: "#") || $0 == UInt8(ascii: "?") }),
            path[2] == "pull" || path[2] == "issues"
        else { return nil }
        let digits = path[3].prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return nil }
        (owner, repository, number) = (path[0], path[1], digits)
    }
}

/// The hosts of the profiles ``profileName(of:)`` reads.
private let profileHosts: Set<String> = ["github.com", "gitlab.com", "twitter.com", "x.com"]

/// A profile on GitHub, GitLab or Twitter/X: `https://github.com/NAME` (or `NAME/`).
func profileName(of address: String) -> Substring? {
    guard let path = pathComponents(of: address, onHosts: profileHosts),
        path.count == 1 || (path.count == 2 && path[1].isEmpty),
        !path[0].isEmpty, !path[0].utf8.contains(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") })
    else { return nil }
    return path[0]
}
