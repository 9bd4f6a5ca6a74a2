// Email addresses as people type them (`News <news@example.org>`), checked before they go
// into a header, and written back with RFC 2047 encoded words where the name is not ASCII.

public import HeraldCore

/// One mailbox: an optional display name and an address.
public struct MailAddress: Hashable, Sendable, CustomStringConvertible {
    public var displayName: String?
    /// `local@domain`, ASCII.
    public var address: String

    public init(displayName: String? = nil, address: String) {
        self.displayName = displayName
        self.address = address
    }

    /// Reads `addr@example.org`, `Name <addr@example.org>` or `"Last, First" <addr@example.org>`.
    /// Anything else, or any control character (a line break could start a new header), is an
    /// error naming `field`.
    public init(parsing text: String, field: String) throws(DiagnosticError) {
        func invalid(_ reason: String) -> DiagnosticError {
            let shown = String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
            return DiagnosticError(.error("invalid-address", "invalid address in \(field): '\(shown)': \(reason)"))
        }
        if text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw invalid("it contains a line break or another control character")
        }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        var name: String?
        var address = trimmed
        if let open = trimmed.lastIndex(of: "<") {
            guard trimmed.hasSuffix(">") else { throw invalid("'<' without a closing '>'") }
            address = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            var display = trimmed[..<open].trimmingCharacters(in: .whitespaces)
            if display.hasPrefix("\"") {
                guard display.count >= 2, display.hasSuffix("\"") else { throw invalid("unbalanced quotes in the name") }
                display = String(display.dropFirst().dropLast())
                    .replacingOccurrences(of: "\\\"", with: "\"").replacingOccurrences(of: "\\\\", with: "\\")
            }
            if !display.isEmpty { name = display }
        }
        if let problem = Self.problem(with: address) { throw invalid(problem) }
        self.init(displayName: name, address: address)
    }

    /// Reads a comma-separated list of addresses (commas inside quotes belong to the name).
    public static func list(parsing text: String, field: String) throws(DiagnosticError) -> [MailAddress] {
        var items: [String] = []
        var current = ""
        var quoted = false
        var angle = false
        var previous: Character = " "
        for character in text {
            if character == "\"" && previous != "\\" { quoted.toggle() }
            if !quoted && character == "<" { angle = true }
            if !quoted && character == ">" { angle = false }
            if character == "," && !quoted && !angle {
                items.append(current)
                current = ""
            } else {
                current.append(character)
            }
            previous = character
        }
        items.append(current)
        var addresses: [MailAddress] = []
        for item in items where !item.trimmingCharacters(in: .whitespaces).isEmpty {
            addresses.append(try MailAddress(parsing: item, field: field))
        }
        guard !addresses.isEmpty else {
            throw DiagnosticError(.error("invalid-address", "invalid address in \(field): no address given"))
        }
        return addresses
    }

    /// Why `address` is not a usable `local@domain` address, or nil if it is.
    static func problem(with address: String) -> String? {
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2 else { return "expected one '@' in 'name@domain'" }
        let local = parts[0], domain = parts[1]
        let atext = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-")
        guard !local.isEmpty, local.count <= 64 else { return "the part before '@' must have 1 to 64 characters" }
        guard local.allSatisfy({ atext.contains($0) || $0 == "." }), !local.hasPrefix("."), !local.hasSuffix("."),
            !local.contains("..")
        else { return "the part before '@' has characters an address cannot hold" }
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        guard !domain.isEmpty, domain.count <= 253,
            labels.allSatisfy({ label in
                !label.isEmpty && label.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            })
        else { return "'\(domain)' is not a domain name" }
        return nil
    }

    /// The mailbox as a header writes it: the name quoted or as encoded words when needed.
    public var description: String { headerText }

    var headerText: String {
        guard let displayName, !displayName.isEmpty else { return address }
        return HeaderText.phrase(displayName) + " <" + address + ">"
    }
}
