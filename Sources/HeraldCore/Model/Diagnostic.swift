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
    public var id: DiagnosticID
    /// The file the problem is in, as the user named it.
    public var file: String?
    /// Where in the file; nil for a problem with the whole file.
    public var location: SourceLocation?
    public var message: String

    public init(_ severity: Severity, id: DiagnosticID, file: String? = nil, at location: SourceLocation? = nil, _ message: String) {
        self.severity = severity
        self.id = id
        self.file = file
        self.location = location
        self.message = message
    }

    public static func error(_ id: DiagnosticID, file: String? = nil, at location: SourceLocation? = nil, _ message: String) -> Diagnostic {
        Diagnostic(.error, id: id, file: file, at: location, message)
    }

    public static func warning(_ id: DiagnosticID, file: String? = nil, at location: SourceLocation? = nil, _ message: String) -> Diagnostic {
        Diagnostic(.warning, id: id, file: file, at: location, message)
    }

    public static func note(_ id: DiagnosticID, file: String? = nil, at location: SourceLocation? = nil, _ message: String) -> Diagnostic {
        Diagnostic(.note, id: id, file: file, at: location, message)
    }

    /// The diagnostic in the form compilers use: `post.md:3:7: error: message [id]`; one about no
    /// file in particular (a command-line option) is `herald: error: message [id]`.
    public var description: String {
        var line: [UInt8] = []
        appendDescription(to: &line)
        return String(wellFormedUTF8: line)
    }

    /// Appends ``description``'s UTF-8 to `bytes`: a build of an archive says thousands of
    /// warnings again, and this writes them with no string in between.
    public func appendDescription(to bytes: inout [UInt8]) {
        bytes.append(contentsOf: (file ?? "herald").utf8)
        if let location, file != nil {
            bytes.append(UInt8(ascii: ":"))
            bytes.appendDecimal(location.line)
            bytes.append(UInt8(ascii: ":"))
            bytes.appendDecimal(location.column)
        }
        bytes.append(contentsOf: ": ".utf8)
        bytes.append(contentsOf: severity.rawValue.utf8)
        bytes.append(contentsOf: ": ".utf8)
        bytes.append(contentsOf: message.utf8)
        bytes.append(contentsOf: " [".utf8)
        bytes.append(contentsOf: id.rawValue.utf8)
        bytes.append(UInt8(ascii: "]"))
    }
}

/// An error that carries the diagnostics explaining it.
public struct DiagnosticError: Error, Sendable, CustomStringConvertible {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }

    public init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }

    public var description: String { diagnostics.map(\.description).joined(separator: "\n") }
}

/// The stable identifier of a kind of diagnostic: what `--disable`, `herald.yml` and scripts
/// reading `--format json` name. Ids that more than one module produces or looks for are
/// constants here, so no module compares another's string.
public struct DiagnosticID: RawRepresentable, Hashable, Sendable, Codable, Comparable, ExpressibleByStringLiteral,
    CustomStringConvertible
{
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }

    public init(_ rawValue: String) { self.rawValue = rawValue }

    public init(stringLiteral value: String) { self.rawValue = value }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    public var description: String { rawValue }

    public static func < (lhs: DiagnosticID, rhs: DiagnosticID) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension DiagnosticID {
    // Reading and writing files.
    public static let readFailed: DiagnosticID = "read-failed"
    public static let writeFailed: DiagnosticID = "write-failed"
    public static let inputMissing: DiagnosticID = "input-missing"
    // Parsing.
    public static let emptyFile: DiagnosticID = "empty-file"
    public static let missingTitle: DiagnosticID = "missing-title"
    public static let missingDate: DiagnosticID = "missing-date"
    public static let parseFailed: DiagnosticID = "parse-failed"
    /// A character HTML and XML do not allow, in the file or written as a front matter escape.
    public static let controlCharacter: DiagnosticID = "control-character"
    /// A front matter key given again later in the same mapping; the earlier value is ignored.
    public static let frontMatterDuplicateKey: DiagnosticID = "front-matter-duplicate-key"
    // The pipeline.
    public static let transformFailed: DiagnosticID = "transform-failed"
    public static let renderFailed: DiagnosticID = "render-failed"
    public static let duplicateSlug: DiagnosticID = "duplicate-slug"
    public static let draftSkipped: DiagnosticID = "draft-skipped"
    public static let noBaseURL: DiagnosticID = "no-base-url"
    public static let buildCacheIgnored: DiagnosticID = "build-cache-ignored"
    public static let manifestUnreadable: DiagnosticID = "manifest-unreadable"
    public static let removeFailed: DiagnosticID = "remove-failed"
    // Translation stubs.
    public static let notAStub: DiagnosticID = "not-a-stub"
    public static let translationIncomplete: DiagnosticID = "translation-incomplete"
    // Configuration and the command line.
    public static let configInvalid: DiagnosticID = "config-invalid"
    public static let configUnknownKey: DiagnosticID = "config-unknown-key"
    public static let optionInvalid: DiagnosticID = "option-invalid"
    public static let templateInvalid: DiagnosticID = "template-invalid"
    /// A template whose rendering would not end (past `TemplateLimits`, in HeraldTemplates).
    public static let templateRender: DiagnosticID = "template-render"
    // External filters.
    public static let filterFailed: DiagnosticID = "filter-failed"
}
