// Front matter text -> PostMetadata: reads YAML (with Yams) or TOML into located values, then
// decodes the keys Herald knows and keeps the others, reporting every problem at its place.

import Foundation
import HeraldCore
import Yams

/// A front matter value and where it was written: the common shape of YAML and TOML.
struct MetadataNode {
    enum Kind {
        /// A scalar as written (`text`: `1.10`, `2019-09-18`) and as typed (`value`).
        case scalar(text: String, value: MetadataValue)
        case list([MetadataNode])
        /// Keys in the order written.
        case map([MetadataEntry])
    }

    var kind: Kind
    var location: SourceLocation

    /// The value without locations (the last of repeated keys wins).
    var value: MetadataValue {
        switch kind {
        case .scalar(_, let value): value
        case .list(let items): .list(items.map(\.value))
        case .map(let entries): .map(Dictionary(entries.map { ($0.key, $0.value.value) }, uniquingKeysWith: { $1 }))
        }
    }
}

/// One key of a front matter mapping.
struct MetadataEntry {
    var key: String
    var keyLocation: SourceLocation
    var value: MetadataNode
}

/// Decodes a post's front matter into ``PostMetadata``.
enum MetadataDecoder {
    /// Front matter larger than this is refused: it is metadata, not content.
    static let maximumSize = 1 << 20
    /// Values nested deeper than this are refused.
    static let maximumDepth = 64

    /// The metadata and the problems found. After an error in the YAML or TOML itself the
    /// metadata is empty; after an error in one value (a wrong type, a bad date) the other
    /// values are still decoded.
    static func decode(_ split: FrontMatterSplit, in source: SourceText) -> (metadata: PostMetadata, diagnostics: [Diagnostic]) {
        var diagnostics: [Diagnostic] = []
        let start = SourceLocation(line: split.frontMatterFirstLine, column: 1)
        if split.frontMatter.utf8.count > maximumSize {
            diagnostics.append(
                .error("front-matter-too-large", file: source.path, at: start,
                    "front matter is larger than \(maximumSize / 1024) KiB"))
            return (PostMetadata(), diagnostics)
        }
        let root: MetadataNode?
        switch split.format {
        case .none:
            root = nil
        case .yaml:
            var reader = YAMLReader(source: source, firstLine: split.frontMatterFirstLine)
            root = reader.read(split.frontMatter)
            diagnostics += reader.diagnostics
        case .toml:
            do {
                root = try TOMLParser.parse(split.frontMatter, path: source.path, diagnostics: &diagnostics) { line, column in
                    source.location(line: line + split.frontMatterFirstLine - 1, utf8Column: column)
                }
            } catch {
                diagnostics.append(.error("front-matter-toml", file: source.path, at: error.location, error.message))
                root = nil
            }
        }
        if diagnostics.contains(where: { $0.severity == .error }) { return (PostMetadata(), diagnostics) }

        var entries: [MetadataEntry] = []
        if let root {
            switch root.kind {
            case .map(let rootEntries):
                entries = rootEntries
            case .scalar(_, .null):
                break
            case .scalar, .list:
                let found = if case .list = root.kind { "a list" } else { "a single value" }
                diagnostics.append(
                    .error("front-matter-not-mapping", file: source.path, at: root.location,
                        "front matter must be a mapping of keys to values, but it is \(found)"))
                return (PostMetadata(), diagnostics)
            }
        }
        var fields = FieldDecoder(path: source.path)
        fields.decode(entries)
        return (fields.metadata, diagnostics + fields.diagnostics)
    }
}

extension MetadataDecoder {
    /// The tree of the YAML front matter `text`, whose first line is line `firstLine` of
    /// `source`, and the problems found; without `plainFirst`, read with Yams even when it is
    /// written in the plain form (to compare the two readings).
    static func yamlTree(_ text: String, in source: SourceText, firstLine: Int, plainFirst: Bool) -> (root: MetadataNode?, diagnostics: [Diagnostic]) {
        var reader = YAMLReader(source: source, firstLine: firstLine)
        let root = reader.read(text, plainFirst: plainFirst)
        return (root, reader.diagnostics)
    }
}

/// Decodes the keys Herald knows; keeps the others in `extra`.
private struct FieldDecoder {
    let path: String
    var metadata = PostMetadata()
    var diagnostics: [Diagnostic] = []
    /// Keys whose value was reported as wrong, so not reported again as missing.
    private var invalidKeys: Set<String> = []

    init(path: String) { self.path = path }

    mutating func decode(_ entries: [MetadataEntry]) {
        var seen: [String: SourceLocation] = [:]
        var authorKeys: Set<String> = []
        for entry in entries {
            let repeated = seen[entry.key] != nil
            if let earlier = seen[entry.key] {
                diagnostics.append(
                    .warning(.frontMatterDuplicateKey, file: path, at: earlier,
                        "key '\(entry.key)' is given again later; this earlier value is ignored"))
            }
            seen[entry.key] = entry.keyLocation
            metadata.keyLocations[entry.key] = entry.keyLocation
            let value = entry.value
            switch entry.key {
            case "title": metadata.title = string(entry)
            case "summary": metadata.summary = string(entry)
            case "slug": metadata.slug = string(entry)
            case "lang": metadata.lang = string(entry)
            case "date":
                metadata.date = nil
                guard let text = string(entry, expected: "a date") else { break }
                if let date = PostDate(parsing: text) {
                    metadata.date = date
                } else {
                    invalidKeys.insert("date")
                    diagnostics.append(
                        .error("invalid-date", file: path, at: value.location,
                            "invalid date '\(text)': expected YYYY-MM-DD or an RFC 3339 date-time"))
                }
            case "author", "authors":
                // `author` and `authors` add up; a repeated key starts the list again.
                if authorKeys.contains(entry.key) { metadata.authors = [] }
                authorKeys.insert(entry.key)
                metadata.authors += stringList(entry, splittingCommas: false)
            case "tags":
                var seenTags: Set<String> = []
                metadata.tags = stringList(entry, splittingCommas: true).filter { seenTags.insert($0).inserted }
            case "draft":
                metadata.draft = bool(entry)
            default:
                if repeated, let index = metadata.extra.firstIndex(where: { $0.key == entry.key }) {
                    metadata.extra[index].value = value.value
                } else {
                    metadata.extra.append((entry.key, value.value))
                }
            }
        }
        let top = SourceLocation(line: 1, column: 1)
        if (metadata.title ?? "").isEmpty && !invalidKeys.contains("title") {
            metadata.title = nil
            diagnostics.append(.warning("missing-title", file: path, at: metadata.keyLocations["title"] ?? top, "post has no title"))
        }
        if metadata.date == nil && !invalidKeys.contains("date") {
            diagnostics.append(.warning("missing-date", file: path, at: metadata.keyLocations["date"] ?? top, "post has no date"))
        }
    }

    /// A scalar's text, trimmed; nil for null. Numbers and booleans give their text as written.
    private mutating func string(_ entry: MetadataEntry, expected: String = "a string") -> String? {
        guard case .scalar(let text, let value) = entry.value.kind else {
            typeError(entry, "must be \(expected)")
            return nil
        }
        if value == .null { return nil }
        return String(text.withoutSurroundingWhitespace)
    }

    /// A list of scalars, or one scalar (split at commas when asked); empty items are dropped.
    private mutating func stringList(_ entry: MetadataEntry, splittingCommas: Bool) -> [String] {
        let texts: [String]
        switch entry.value.kind {
        case .scalar(_, .null):
            return []
        case .scalar(let text, _):
            texts = splittingCommas ? text.split(separator: ",").map(String.init) : [text]
        case .list(let items):
            var collected: [String] = []
            for item in items {
                switch item.kind {
                case .scalar(_, .null): continue
                case .scalar(let text, _): collected.append(text)
                case .list, .map:
                    typeError(entry, "must be a string or a list of strings", at: item.location)
                    return []
                }
            }
            texts = collected
        case .map:
            typeError(entry, "must be a string or a list of strings")
            return []
        }
        return texts.map { String($0.withoutSurroundingWhitespace) }.filter { !$0.isEmpty }
    }

    private mutating func bool(_ entry: MetadataEntry) -> Bool {
        if case .scalar(let text, let value) = entry.value.kind {
            switch value {
            case .bool(let flag): return flag
            case .null: return false
            case .string:
                // YAML 1.1 spellings, still common in front matter.
                switch text.lowercased() {
                case "yes", "on": return true
                case "no", "off": return false
                default: break
                }
            default: break
            }
        }
        typeError(entry, "must be true or false")
        return false
    }

    private mutating func typeError(_ entry: MetadataEntry, _ problem: String, at location: SourceLocation? = nil) {
        invalidKeys.insert(entry.key)
        diagnostics.append(
            .error("front-matter-type", file: path, at: location ?? entry.value.location, "'\(entry.key)' \(problem)"))
    }
}

// MARK: - YAML

/// Reads YAML front matter with Yams into located values.
///
/// Two things in Yams need care with hostile input. An alias is resolved by sharing the
/// anchored node, so a "billion laughs" document composes quickly but is exponentially large
/// to walk or to hash (Yams hashes mapping keys to find duplicates). So the text is first
/// composed with every `*` replaced by `x`: no alias can survive, and a plain scalar that
/// starts where the text has a `*` was an alias (a plain scalar cannot start with `*`). Aliases
/// are refused; only a text without them is composed as written. And Yams refuses a mapping with
/// a repeated key: the earlier entry is blanked out (the later value wins, as in most YAML
/// loaders) and a warning names it.
private struct YAMLReader {
    let source: SourceText
    let firstLine: Int
    var diagnostics: [Diagnostic] = []

    /// Scalars are typed here by the YAML 1.2 core schema, not by Yams' resolver (which follows
    /// YAML 1.1: `yes`, `on`, timestamps, and matches a regular expression per rule per scalar):
    /// with no rules, Yams leaves an implicit plain scalar's tag empty and everything resolves
    /// as a string.
    private static let resolver = Resolver.basic
    /// Each repeated key costs one more composition: at most this many, and this many bytes in all.
    private static let maximumRetries = 50
    private static let retryBudget = 8 << 20

    init(source: SourceText, firstLine: Int) {
        self.source = source
        self.firstLine = firstLine
    }

    mutating func read(_ yaml: String, plainFirst: Bool = true) -> MetadataNode? {
        var bytes = Array(yaml.utf8)
        // Most front matter is a few `key: value` lines, read without Yams.
        if plainFirst, let root = PlainYAML.read(bytes, location: { line, column in location(line: line, column: column) }) {
            return root
        }
        let maximumRetries = min(Self.maximumRetries, Self.retryBudget / max(bytes.count, 1))
        var retries = 0
        while true {
            do {
                let (root, replaced) = try compose(bytes)
                diagnostics += replaced
                // Repeated keys are found in Yams' order; report them in the file's.
                diagnostics.sort { ($0.location ?? SourceLocation(line: 0, column: 0)) < ($1.location ?? SourceLocation(line: 0, column: 0)) }
                return root
            } catch YamlError.duplicatedKeysInMapping(_, let context) {
                retries += 1
                let key = keyPosition(context.mark, in: bytes).map { Self.keyText(bytes[$0.key..<$0.end]) } ?? "?"
                guard retries <= maximumRetries, blankEntry(in: &bytes, at: context.mark) else {
                    diagnostics.append(
                        error(.frontMatterDuplicateKey, at: context.mark, "key '\(key)' is repeated in this mapping"))
                    return nil
                }
                diagnostics.append(
                    .warning(.frontMatterDuplicateKey, file: source.path, at: fileLocation(context.mark),
                        "key '\(key)' is given again later; this earlier value is ignored"))
            } catch let failure as ReadFailure {
                diagnostics.append(failure.diagnostic)
                return nil
            } catch {
                diagnostics.append(diagnostic(for: error, in: bytes))
                return nil
            }
        }
    }

    private struct ReadFailure: Error {
        var diagnostic: Diagnostic
    }

    /// The front matter's tree, and a warning for each value in which an escape wrote a
    /// character a post may not hold.
    private func compose(_ bytes: [UInt8]) throws -> (MetadataNode?, [Diagnostic]) {
        let stars = starPositions(bytes)
        if !stars.isEmpty {
            let probe = String(decoding: bytes.map { $0 == UInt8(ascii: "*") ? UInt8(ascii: "x") : $0 }, as: UTF8.self)
            guard let probeRoot = try Yams.compose(yaml: probe, Self.resolver, .default, .utf8) else { return (nil, []) }
            if let alias = firstAlias(in: probeRoot, stars: stars) {
                throw ReadFailure(
                    diagnostic: error(
                        "front-matter-alias", at: alias,
                        "'*' starts a YAML alias, which front matter does not support; put the value in quotes if it is text"))
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        guard let root = try Yams.compose(yaml: text, Self.resolver, .default, .utf8) else { return (nil, []) }
        var replaced: [Diagnostic] = []
        let node = try convert(root, depth: 0, replaced: &replaced)
        return (node, replaced)
    }

    /// Where the front matter has a `*` (1-based line, scalar column), counted as libyaml counts
    /// its marks: it also breaks lines at U+0085, U+2028 and U+2029, which must not hide an alias.
    private func starPositions(_ bytes: [UInt8]) -> Set<Position> {
        var positions: Set<Position> = []
        var line = 1
        var column = 1
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let isUnicodeBreak =
                (byte == 0xC2 && index + 1 < bytes.count && bytes[index + 1] == 0x85)
                || (byte == 0xE2 && index + 2 < bytes.count && bytes[index + 1] == 0x80
                    && (bytes[index + 2] == 0xA8 || bytes[index + 2] == 0xA9))
            if byte == UInt8(ascii: "\n") || isUnicodeBreak {
                line += 1
                column = 0
            } else if byte == UInt8(ascii: "*") {
                positions.insert(Position(line: line, column: column))
            }
            if byte & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        return positions
    }

    private struct Position: Hashable {
        var line: Int
        var column: Int
    }

    /// The first plain scalar that starts at a `*` of the text: an alias before `*` was replaced.
    private func firstAlias(in root: Yams.Node, stars: Set<Position>) -> Mark? {
        var found: Mark?
        var stack = [root]
        while let node = stack.popLast() {
            switch node {
            case .scalar(let scalar):
                guard scalar.style == .plain, let mark = scalar.mark,
                    stars.contains(Position(line: mark.line, column: mark.column))
                else { continue }
                if found.map({ (mark.line, mark.column) < ($0.line, $0.column) }) ?? true { found = mark }
            case .mapping(let mapping):
                for pair in mapping {
                    stack.append(pair.key)
                    stack.append(pair.value)
                }
            case .sequence(let sequence):
                stack.append(contentsOf: sequence)
            case .alias(let alias):
                found = found ?? alias.mark
            }
        }
        return found
    }

    private func convert(_ node: Yams.Node, depth: Int, replaced: inout [Diagnostic]) throws -> MetadataNode {
        let location = fileLocation(node.mark)
        guard depth < MetadataDecoder.maximumDepth else {
            throw ReadFailure(
                diagnostic: error(
                    "front-matter-too-deep", at: node.mark,
                    "front matter is nested more than \(MetadataDecoder.maximumDepth) levels deep"))
        }
        switch node {
        case .scalar(let scalar):
            // A double-quoted value can write any character as an escape (`"\0"`, `"\x85"`);
            // one that a post may not hold is replaced, as it is when the file holds it.
            let (text, forbidden) = SourceText.replacingForbidden(in: scalar.string)
            if !forbidden.isEmpty {
                let (count, names) = SourceText.describe(replaced: forbidden)
                replaced.append(
                    .warning(
                        .controlCharacter, file: source.path, at: location,
                        "this value writes \(count) HTML and XML do not allow (\(names)) as an escape: replaced with U+FFFD in every output"))
            }
            return MetadataNode(kind: .scalar(text: text, value: typed(scalar, text)), location: location)
        case .sequence(let sequence):
            return MetadataNode(kind: .list(try sequence.map { try convert($0, depth: depth + 1, replaced: &replaced) }), location: location)
        case .mapping(let mapping):
            var entries: [MetadataEntry] = []
            for pair in mapping {
                guard case .scalar(let key) = pair.key else {
                    throw ReadFailure(
                        diagnostic: error("front-matter-type", at: pair.key.mark, "a front matter key must be a string"))
                }
                entries.append(
                    MetadataEntry(
                        key: key.string, keyLocation: fileLocation(pair.key.mark),
                        value: try convert(pair.value, depth: depth + 1, replaced: &replaced)))
            }
            return MetadataNode(kind: .map(entries), location: location)
        case .alias:
            throw ReadFailure(
                diagnostic: error(
                    "front-matter-alias", at: node.mark,
                    "'*' starts a YAML alias, which front matter does not support; put the value in quotes if it is text"))
        }
    }

    /// A scalar typed by its tag: plain scalars by the YAML 1.2 core schema, quoted ones as
    /// strings, explicit `!!int` and the like as asked; timestamps and other tags stay text.
    private func typed(_ scalar: Yams.Node.Scalar, _ text: String) -> MetadataValue {
        // The scalar's own tag, before any resolving: empty for a plain scalar without one
        // (libyaml gives quoted and block scalars `!!str`). Only keys are ever resolved, when
        // Yams hashes them to find repeated ones.
        if scalar.tag.rawValue.isEmpty { return YAMLCoreSchema.value(of: text) }
        switch Tag.Name(rawValue: scalar.tag.rawValue) {
        case .int, .float, .bool, .null:
            let value = YAMLCoreSchema.value(of: text)
            return value == .string(text) ? .string(text) : value
        default: return .string(text)
        }
    }


    // MARK: Repeated keys

    /// Byte offsets for the key Yams marks: its line's start and end, and the key itself.
    private func keyPosition(_ mark: Mark, in bytes: [UInt8]) -> (lineStarts: [Int], start: Int, key: Int, end: Int)? {
        var lineStarts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") { lineStarts.append(offset + 1) }
        guard mark.line >= 1, mark.line <= lineStarts.count else { return nil }
        let start = lineStarts[mark.line - 1]
        let end = mark.line < lineStarts.count ? lineStarts[mark.line] - 1 : bytes.count
        var key = start
        var column = 1
        while column < mark.column, key < end {
            key += 1
            while key < end, bytes[key] & 0xC0 == 0x80 { key += 1 }
            column += 1
        }
        guard key < end else { return nil }
        return (lineStarts, start, key, end)
    }

    /// Blanks out the block mapping entry whose key starts at `mark`: the key's line from the
    /// key on, and the lines of its value below. Bytes become spaces, so every other position is
    /// unchanged. Returns false when the entry is not one this can blank (a flow mapping, an
    /// explicit `?` key).
    private func blankEntry(in bytes: inout [UInt8], at mark: Mark) -> Bool {
        guard let (lineStarts, start, keyOffset, end) = keyPosition(mark, in: bytes) else { return false }
        let count = bytes.count
        func lineEnd(_ index: Int) -> Int { index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : count }
        // Before the key only indentation and `- ` may come.
        for offset in start..<keyOffset {
            switch bytes[offset] {
            case UInt8(ascii: " "): continue
            case UInt8(ascii: "-") where bytes[offset + 1] == UInt8(ascii: " "): continue
            default: return false
            }
        }
        for offset in keyOffset..<end { bytes[offset] = UInt8(ascii: " ") }
        let keyIndent = keyOffset - start
        var line = mark.line
        while line < lineStarts.count {
            let lineStart = lineStarts[line]
            let lineStop = lineEnd(line)
            let content = bytes[lineStart..<lineStop]
            let indent = content.prefix(while: { $0 == UInt8(ascii: " ") }).count
            let trimmed = content.dropFirst(indent)
            let isBlankOrComment = trimmed.isEmpty || trimmed.first == UInt8(ascii: "#")
            let isSequenceAtKeyIndent =
                indent == keyIndent && trimmed.first == UInt8(ascii: "-")
                && (trimmed.count == 1 || trimmed.dropFirst().first == UInt8(ascii: " "))
            guard isBlankOrComment || indent > keyIndent || isSequenceAtKeyIndent else { break }
            for offset in lineStart..<lineStop { bytes[offset] = UInt8(ascii: " ") }
            line += 1
        }
        return true
    }

    /// A key's text from the start of its line part: quoted, or up to `: `.
    private static func keyText(_ bytes: ArraySlice<UInt8>) -> String {
        let text = String(decoding: bytes, as: UTF8.self)
        if let quote = text.first, quote == "\"" || quote == "'" {
            let inner = text.dropFirst()
            if let close = inner.firstIndex(of: quote) { return String(inner[..<close]) }
        }
        let end = text.range(of: ": ")?.lowerBound ?? (text.hasSuffix(":") ? text.index(before: text.endIndex) : text.endIndex)
        return String(text[..<end]).trimmingCharacters(in: .whitespaces)
    }

    // MARK: Errors

    /// A position Yams reports (1-based line in the front matter, 1-based scalar column) in the file.
    private func fileLocation(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return SourceLocation(line: firstLine, column: 1) }
        return location(line: mark.line, column: mark.column)
    }

    /// The place in the file of a 1-based line and column of the front matter.
    private func location(line: Int, column: Int) -> SourceLocation {
        SourceLocation(line: min(max(line + firstLine - 1, 1), source.lineCount), column: max(column, 1))
    }

    private func error(_ id: DiagnosticID, at mark: Mark?, _ message: String) -> Diagnostic {
        .error(id, file: source.path, at: fileLocation(mark), message)
    }

    /// A Yams error as a diagnostic at its place in the file, with libyaml's wording made plainer.
    private func diagnostic(for failure: any Error, in bytes: [UInt8]) -> Diagnostic {
        guard let failure = failure as? YamlError else {
            return error("front-matter-yaml", at: nil, "invalid YAML: \(failure)")
        }
        switch failure {
        case .scanner(let context, let problem, let mark, _):
            // A scanner's context marks where the token it could not finish began.
            return yamlError(problem, context: context, at: context?.mark ?? mark)
        case .parser(let context, let problem, let mark, _), .composer(let context, let problem, let mark, _):
            return yamlError(problem, context: context, at: mark)
        case .reader(let problem, let offset, _, let yaml):
            var location = SourceLocation(line: firstLine, column: 1)
            if let offset, let index = yaml.index(yaml.startIndex, offsetBy: offset, limitedBy: yaml.endIndex) {
                let utf8Offset = yaml.utf8.distance(from: yaml.utf8.startIndex, to: index)
                location = source.location(ofUTF8Offset: source.lineStarts[firstLine - 1] + utf8Offset)
            }
            return .error("front-matter-yaml", file: source.path, at: location, "invalid YAML: \(problem)")
        default:
            return error("front-matter-yaml", at: nil, "invalid YAML: \(failure)")
        }
    }

    private func yamlError(_ problem: String, context: YamlError.Context?, at mark: Mark) -> Diagnostic {
        var message: String
        switch (context?.text, problem) {
        case ("while scanning a quoted scalar", let problem) where problem.contains("end of stream"):
            message = "this quoted string is never closed"
        case (_, "mapping values are not allowed in this context"):
            message = "invalid YAML: unexpected ':' (put a value that contains ': ' in quotes)"
        case (_, "found character that cannot start any token"):
            message = "invalid YAML: a value cannot start with this character (put the value in quotes; indent with spaces, not tabs)"
        default:
            message = "invalid YAML: \(problem)"
            if let context, (context.mark.line, context.mark.column) != (mark.line, mark.column) {
                message += " (\(context.text) at line \(fileLocation(context.mark).line), column \(context.mark.column))"
            }
        }
        return error("front-matter-yaml", at: mark, message)
    }
}

extension UInt8 {
    fileprivate var isHexDigit: Bool {
        (0x30...0x39).contains(self) || (0x41...0x46).contains(self) || (0x61...0x66).contains(self)
    }
}

/// YAML 1.2's core schema: how a plain scalar without a tag is typed.
enum YAMLCoreSchema {
    /// The value of a plain scalar.
    static func value(of text: String) -> MetadataValue {
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        case "true", "True", "TRUE": return .bool(true)
        case "false", "False", "FALSE": return .bool(false)
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .double(.infinity)
        case "-.inf", "-.Inf", "-.INF": return .double(-.infinity)
        case ".nan", ".NaN", ".NAN": return .double(.nan)
        default: break
        }
        let bytes = Array(text.utf8)
        let isDigit = { (byte: UInt8) in (0x30...0x39).contains(byte) }
        if text.hasPrefix("0o"), bytes.count > 2, bytes.dropFirst(2).allSatisfy({ (0x30...0x37).contains($0) }) {
            return Int(text.dropFirst(2), radix: 8).map(MetadataValue.int) ?? .string(text)
        }
        if text.hasPrefix("0x"), bytes.count > 2, bytes.dropFirst(2).allSatisfy({ $0.isHexDigit }) {
            return Int(text.dropFirst(2), radix: 16).map(MetadataValue.int) ?? .string(text)
        }
        var digits = bytes[...]
        if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { digits = digits.dropFirst() }
        if !digits.isEmpty, digits.allSatisfy(isDigit) {
            if let value = Int(text) { return .int(value) }
            return Double(text).map(MetadataValue.double) ?? .string(text)
        }
        // [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        var rest = digits
        let integer = rest.prefix(while: isDigit)
        rest = rest.dropFirst(integer.count)
        var fraction = 0
        if rest.first == UInt8(ascii: ".") {
            rest = rest.dropFirst()
            fraction = rest.prefix(while: isDigit).count
            rest = rest.dropFirst(fraction)
        }
        guard !integer.isEmpty || fraction > 0 else { return .string(text) }
        if let e = rest.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            rest = rest.dropFirst()
            if let sign = rest.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { rest = rest.dropFirst() }
            let exponent = rest.prefix(while: isDigit).count
            guard exponent > 0 else { return .string(text) }
            rest = rest.dropFirst(exponent)
        }
        guard rest.isEmpty else { return .string(text) }
        return Double(text).map(MetadataValue.double) ?? .string(text)
    }
}
