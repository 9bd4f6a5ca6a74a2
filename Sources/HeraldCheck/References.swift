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
    let bytes = address.utf8
    func lowered(_ byte: UInt8) -> UInt8 { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte }
    func skipping(_ prefix: String, from start: String.Index) -> String.Index? {
        var cursor = start
        for expected in prefix.utf8 {
            guard cursor < bytes.endIndex, lowered(bytes[cursor]) == expected else { return nil }
            cursor = bytes.index(after: cursor)
        }
        return cursor
    }
    guard let hostStart = skipping("https://", from: bytes.startIndex) ?? skipping("http://", from: bytes.startIndex),
        let slash = bytes[hostStart...].firstIndex(of: UInt8(ascii: "/"))
    else { return nil }
    let hostBytes = bytes[hostStart..<slash]
    var host = hostBytes.allSatisfy { $0 < 0x80 } ? String(decoding: hostBytes.map(lowered), as: UTF8.self) : address[hostStart..<slash].lowercased()
    if host.hasPrefix("www.") { host.removeFirst(4) }
    guard hosts.contains(host) else { return nil }
    var components: [Substring] = []
    var start = bytes.index(after: slash)
    while let next = bytes[start...].firstIndex(of: UInt8(ascii: "/")) {
        components.append(address[start..<next])
        start = bytes.index(after: next)
    }
    components.append(address[start...])
    return components
}

/// A GitHub issue or pull request address: `https://github.com/OWNER/REPO/pull/123…`.
struct GitHubIssueAddress {
    static let hosts: Set<String> = ["github.com"]
    var owner: Substring
    var repository: Substring
    var number: Substring

    init?(_ address: String) {
        guard let path = pathComponents(of: address, onHosts: Self.hosts), path.count >= 4,
            !path[0].isEmpty, !path[1].isEmpty, !path[1].contains(where: { $0 == "#" || $0 == "?" }),
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
        !path[0].isEmpty, !path[0].contains(where: { $0 == "?" || $0 == "#" })
    else { return nil }
    return path[0]
}
