// Gettext PO files, for translation tools (Poedit, Weblate, Crowdin, OmegaT): one entry per
// segment, `msgctxt` its id; stale segments fuzzy with their previous source; obsolete ones `#~`.

import Foundation
import HeraldCore

/// One PO entry.
public struct POEntry: Sendable, Equatable {
    public var context: String
    public var source: String
    public var translation: String
    public var fuzzy = false
    public var previousSource: String?
    public var references: [String] = []
    public var obsolete = false
}

public enum PO {
    /// The PO file of a stub's segments (`stub` as merged with the current source).
    public static func export(_ stub: Stub, source: SourcePost, lang: String) -> String {
        let lines = Dictionary(source.segments.map { ($0.id, $0.line) }, uniquingKeysWith: { first, _ in first })
        let file = (source.post.sourcePath as NSString).lastPathComponent
        var out = """
            # Translation of \(file) into \(lang), for Herald.
            # Import it back with: herald translate import FILE.po
            msgid ""
            msgstr ""
            "Project-Id-Version: \(escape(file))\\n"
            "PO-Revision-Date: \(source.post.metadata.date?.isoDate ?? "2000-01-01") 00:00+0000\\n"
            "Last-Translator: \\n"
            "Language-Team: \\n"
            "Language: \(escape(lang))\\n"
            "MIME-Version: 1.0\\n"
            "Content-Type: text/plain; charset=UTF-8\\n"
            "Content-Transfer-Encoding: 8bit\\n"
            "X-Herald-Source: \(escape(source.post.sourcePath))\\n"
            "X-Herald-Source-SHA256: \(source.digest)\\n"


            """
        for segment in stub.segments {
            if let line = lines[segment.id] { out += "#: \(file):\(line)\n" }
            if segment.state.status == .stale {
                out += "#, fuzzy\n"
                out += field("#| msgid", segment.state.previous ?? "")
            }
            out += field("msgctxt", segment.id)
            out += field("msgid", segment.source)
            out += field("msgstr", segment.state.translation)
            out += "\n"
        }
        for segment in stub.obsolete {
            out += field("#~ msgctxt", segment.id, obsolete: true)
            out += field("#~ msgid", segment.source, obsolete: true)
            out += field("#~ msgstr", segment.state.translation, obsolete: true)
            out += "\n"
        }
        return out
    }

    /// `keyword "text"`, split after each line break as gettext tools write it.
    static func field(_ keyword: String, _ text: String, obsolete: Bool = false) -> String {
        let pieces = text.components(separatedBy: "\n")
        guard pieces.count > 1 else { return "\(keyword) \"\(escape(text))\"\n" }
        let prefix = obsolete ? "#~ " : (keyword.hasPrefix("#|") ? "#| " : "")
        var out = "\(keyword) \"\"\n"
        for (index, piece) in pieces.enumerated() {
            let line = index < pieces.count - 1 ? piece + "\n" : piece
            if !line.isEmpty { out += prefix + "\"\(escape(line))\"\n" }
        }
        return out
    }

    /// `text` as the inside of a PO string: backslashes, quotes and control characters escaped.
    public static func escape(_ text: String) -> String {
        var out = ""
        for character in text.unicodeScalars {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default: out.unicodeScalars.append(character)
            }
        }
        return out
    }

    static func unescape(_ text: Substring) -> String {
        var out = ""
        var escaping = false
        for character in text {
            if escaping {
                switch character {
                case "n": out += "\n"
                case "t": out += "\t"
                case "r": out += "\r"
                default: out.append(character)
                }
                escaping = false
            } else if character == "\\" {
                escaping = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    /// Reads a PO file: its header fields and its entries.
    public static func parse(_ text: String, path: String) throws -> (header: [String: String], entries: [POEntry]) {
        var entries: [POEntry] = []
        var current = POEntry(context: "", source: "", translation: "")
        var field: WritableKeyPath<POEntry, String>?
        var previous: String?
        var inPrevious = false
        var seenKeyword = false
        func finish() {
            if seenKeyword {
                current.previousSource = previous
                entries.append(current)
            }
            current = POEntry(context: "", source: "", translation: "")
            field = nil
            previous = nil
            inPrevious = false
            seenKeyword = false
        }
        for (number, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = raw.trimmingCharacters(in: .whitespaces)[...]
            if line.isEmpty {
                finish()
                continue
            }
            var obsolete = false
            if line.hasPrefix("#~") {
                obsolete = true
                line = line.dropFirst(2).drop { $0 == " " }
            }
            if line.hasPrefix("#,") {
                if line.contains("fuzzy") { current.fuzzy = true }
                continue
            }
            if line.hasPrefix("#:") {
                current.references += line.dropFirst(2).split(separator: " ").map(String.init)
                continue
            }
            if line.hasPrefix("#|") {
                let rest = line.dropFirst(2).drop { $0 == " " }
                if rest.hasPrefix("msgid ") {
                    inPrevious = true
                    previous = try quoted(rest.dropFirst(6), path: path, line: number + 1)
                } else if rest.hasPrefix("\""), inPrevious {
                    previous = (previous ?? "") + (try quoted(rest, path: path, line: number + 1))
                } else {
                    inPrevious = false
                }
                continue
            }
            if line.hasPrefix("#") { continue }
            if obsolete { current.obsolete = true }
            inPrevious = false
            let keywords: [(String, WritableKeyPath<POEntry, String>)] = [("msgctxt ", \.context), ("msgid ", \.source), ("msgstr ", \.translation)]
            if let (keyword, keyPath) = keywords.first(where: { line.hasPrefix($0.0) }) {
                if keyword == "msgctxt " && seenKeyword { finish() }
                seenKeyword = true
                field = keyPath
                current[keyPath: keyPath] = try quoted(line.dropFirst(keyword.count), path: path, line: number + 1)
            } else if line.hasPrefix("\""), let field {
                current[keyPath: field] += try quoted(line, path: path, line: number + 1)
            } else if line.hasPrefix("msgid_plural") || line.hasPrefix("msgstr[") {
                throw DiagnosticError(.error("po-invalid", file: path, at: SourceLocation(line: number + 1, column: 1), "plural forms are not used by Herald stubs"))
            } else {
                throw DiagnosticError(.error("po-invalid", file: path, at: SourceLocation(line: number + 1, column: 1), "cannot read this line"))
            }
        }
        finish()
        var header: [String: String] = [:]
        if let first = entries.first, first.source.isEmpty, first.context.isEmpty {
            for line in first.translation.split(separator: "\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                header[String(line[..<colon])] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
            entries.removeFirst()
        }
        return (header, entries)
    }

    static func quoted(_ text: Substring, path: String, line: Int) throws -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard trimmed.count >= 2, trimmed.hasPrefix("\""), trimmed.hasSuffix("\"") else {
            throw DiagnosticError(.error("po-invalid", file: path, at: SourceLocation(line: line, column: 1), "expected a quoted string"))
        }
        return unescape(trimmed.dropFirst().dropLast())
    }
}
