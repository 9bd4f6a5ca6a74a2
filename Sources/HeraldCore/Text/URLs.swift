// Link destinations: which are relative, and how they read from elsewhere (an email, a book).

import Foundation

public enum URLs {
    /// Whether `destination` has a scheme (`https:`, `mailto:`), so it means the same anywhere.
    public static func hasScheme(_ destination: String) -> Bool {
        guard let colon = destination.firstIndex(of: ":") else { return false }
        let scheme = destination[..<colon]
        guard let first = scheme.first, first.isASCII, first.isLetter else { return false }
        return scheme.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "+-.".contains($0)) }
    }

    /// Whether an `http(s):` address has a host that can be read (`https://.example.org` has
    /// not); addresses with other schemes pass.
    public static func isWellFormedWebAddress(_ address: String) -> Bool {
        let lowered = address.lowercased()
        guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://") else { return true }
        guard !address.contains(" "), let url = URL(string: address), let host = url.host, !host.isEmpty else { return false }
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "[" || $0 == "]" || $0 == ":" }
        }
    }

    /// `destination` resolved against the absolute `base` (the address of the page it was
    /// written on). Destinations with a scheme come back unchanged; so do all when `base` is
    /// not an absolute URL or the destination cannot be resolved.
    public static func absolute(_ destination: String, base: String) -> String {
        guard !hasScheme(destination), let baseURL = URL(string: base), baseURL.scheme != nil,
            let resolved = URL(string: destination.isEmpty ? base : destination, relativeTo: baseURL)
        else { return destination }
        return resolved.absoluteString
    }
}

extension Document {
    /// Rewrites every relative link and image destination to an absolute one, resolved against
    /// `base` (the address of the post's page), for outputs read away from the site.
    public mutating func makeURLsAbsolute(base: String) {
        for id in descendants() {
            switch self[id].kind {
            case .link(var link):
                link.destination = URLs.absolute(link.destination, base: base)
                setKind(.link(link), of: id)
            case .image(var link):
                link.destination = URLs.absolute(link.destination, base: base)
                setKind(.image(link), of: id)
            default:
                continue
            }
        }
        for index in linkDefinitions.indices {
            linkDefinitions[index].destination = URLs.absolute(linkDefinitions[index].destination, base: base)
        }
    }
}
