// Diagnostics are data: a severity, a stable id, a place and a message.

/// A problem found in a post, reported as `FILE:LINE:COL: severity: message [id]`.
public struct Diagnostic: Hashable, Sendable, Error, CustomStringConvertible {
    public enum Severity: String, Hashable, Sendable, Codable, Comparable {
        case note
        case warning
        case error

        private var rank: Int {
            switch self {
            case .note: 0
            case .warning: 1
            case .error: 2
            }
        }

        public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rank < rhs.rank }
    }

    public var severity: Severity
    /// A stable identifier (`front-matter-yaml`, `invalid-utf8`, …) that tools and configs name.
    public var id: String
    /// The file the problem is in, as the user named it.
    public var file: String?
    /// Where in the file; nil for a problem with the whole file.
    public var location: SourceLocation?
    public var message: String

    public init(_ severity: Severity, id: String, file: String? = nil, at location: SourceLocation? = nil, _ message: String) {
        self.severity = severity
        self.id = id
        self.file = file
        self.location = location
        self.message = message
    }

    public static func error(_ id: String, file: String? = nil, at location: SourceLocation? = nil, _ message: String) -> Diagnostic {
        Diagnostic(.error, id: id, file: file, at: location, message)
    }

    public static func warning(_ id: String, file: String? = nil, at location: SourceLocation? = nil, _ message: String) -> Diagnostic {
        Diagnostic(.warning, id: id, file: file, at: location, message)
    }

    public static func note(_ id: String, file: String? = nil, at location: SourceLocation? = nil, _ message: String) -> Diagnostic {
        Diagnostic(.note, id: id, file: file, at: location, message)
    }

    /// The diagnostic in the form compilers use: `post.md:3:7: error: message [id]`; one about no
    /// file in particular (a command-line option) is `herald: error: message [id]`.
    public var description: String {
        var place = file ?? "herald"
        if let location, file != nil { place += ":\(location.line):\(location.column)" }
        return "\(place): \(severity.rawValue): \(message) [\(id)]"
    }
}

/// An error that carries the diagnostics explaining it.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}
