// Mustache templates, parsed once into a tree and rendered over ``TemplateValue``s.
//
// The language is Mustache as its specification describes it: `{{name}}` (escaped for HTML),
// `{{{name}}}` and `{{& name}}` (as they are), dotted names and `{{.}}`, sections
// `{{#name}}…{{/name}}` and inverted sections `{{^name}}…{{/name}}`, comments `{{! … }}`,
// partials `{{> name}}`, new delimiters `{{=<% %>=}}`, and standalone lines (a line holding only
// a section, comment, partial or delimiter tag leaves no trace in the output). One more tag,
// `{{% CONTENT_TYPE: TEXT }}` (or `HTML`), turns HTML escaping off (or on) for the rest of the
// template. Lambdas and template inheritance are not part of it: values are data.

public import HeraldCore

/// How `{{name}}` writes its value.
public enum TemplateEscaping: Sendable {
    /// HTML text and attribute values: `&`, `<`, `>`, `"` and `'` become entities.
    case html
    /// As it is: plain-text templates (the email's header and footer, a new post).
    case none
}

/// A template that does not parse: where (line and column in Unicode scalars, from 1) and why.
public struct TemplateSyntaxError: Error, Sendable, Equatable {
    public var line: Int
    public var column: Int
    public var message: String

    public init(line: Int, column: Int, message: String) {
        self.line = line
        self.column = column
        self.message = message
    }
}

/// A rendering that would not end in reasonable time or space: a partial that includes itself
/// more than once, or sections over lists inside partials, multiply their work at every level.
public struct TemplateRenderError: Error, Sendable, Equatable {
    public var message: String

    public init(message: String) { self.message = message }
}

/// How much one rendering may do before it stops with a ``TemplateRenderError``: a partial that
/// includes itself twice would otherwise double its work at every level (2^100 renderings
/// before the depth limit stops it), and sections over lists multiply it.
public struct TemplateLimits: Sendable {
    /// Tags and texts rendered (each item of a list renders its section's again).
    public var steps: Int
    /// Bytes written.
    public var output: Int

    public init(steps: Int, output: Int) {
        self.steps = steps
        self.output = output
    }

    /// A page listing 20,000 posts of eleven tags and texts each takes 220,000 steps.
    public static let standard = TemplateLimits(steps: 1_000_000, output: 256 << 20)
}

/// One parsed template.
public struct Template: Sendable {
    let nodes: [TemplateNode]

    /// Parses `text`; throws at the first tag that is not Mustache.
    public init(_ text: String) throws(TemplateSyntaxError) {
        var parser = TemplateParser(Array(text.utf8))
        nodes = try parser.parse()
    }

    /// The template over `values`, with partials from `library`. Throws when the rendering
    /// goes past the library's limits (``TemplateLimits/standard`` without a library).
    public func render(
        _ values: [String: TemplateValue], escaping: TemplateEscaping = .html, partials library: TemplateLibrary? = nil
    ) throws(TemplateRenderError) -> String {
        var renderer = TemplateRenderer(
            partials: library?.templates ?? [:], stack: [.map(values)], escaping: escaping, limits: library?.limits ?? .standard)
        renderer.render(nodes)
        if let error = renderer.stopped { throw error }
        return String(wellFormedUTF8: renderer.out)
    }
}

/// Named templates that render each other as partials (`{{> style}}`), all escaping alike.
public struct TemplateLibrary: Sendable {
    public let escaping: TemplateEscaping
    /// How much one rendering may do.
    public var limits = TemplateLimits.standard
    fileprivate(set) var templates: [String: Template] = [:]
    /// The file each template came from, as errors name it.
    private var files: [String: String] = [:]

    public init(escaping: TemplateEscaping = .html) { self.escaping = escaping }

    /// Parses `text` as the template `name`, read from `file` (for errors).
    public mutating func register(_ text: String, named name: String, file: String? = nil) throws(TemplateSyntaxError) {
        templates[name] = try Template(text)
        files[name] = file
    }

    /// Whether there is a template `name`.
    public func contains(_ name: String) -> Bool { templates[name] != nil }

    /// The template `name` over `values`, or nil if there is no such template. A rendering
    /// that would not end is an error at the template's file.
    public func render(_ values: [String: TemplateValue], withTemplate name: String) throws(DiagnosticError) -> String? {
        guard let template = templates[name] else { return nil }
        do {
            return try template.render(values, escaping: escaping, partials: self)
        } catch {
            throw DiagnosticError(.error(.templateRender, file: files[name] ?? "\(name).mustache", error.message))
        }
    }
}

// MARK: - The tree

/// A name in a tag: `.` (the current value), `a.b.c` (looked up from the innermost value
/// outwards, then inside it), or `.a` (in the current value only).
struct TemplateName: Sendable {
    var parts: [String]
    var currentOnly: Bool

    init(_ text: String) {
        currentOnly = text.hasPrefix(".")
        parts = text == "." ? [] : text.split(separator: ".").map(String.init)
    }
}

indirect enum TemplateNode: Sendable {
    case text(String)
    case variable(TemplateName, escaped: Bool)
    case section(TemplateName, [TemplateNode], inverted: Bool)
    /// A partial; `indentation` is set when it stands alone on its line (every line it
    /// writes is indented alike).
    case partial(String, indentation: String?)
    case escaping(TemplateEscaping)
}

// MARK: - Parsing

/// Reads a template's bytes into tags and text, settles standalone lines, then nests sections.
struct TemplateParser {
    private let bytes: [UInt8]
    private var index = 0
    private var open = Array("{{".utf8)
    private var close = Array("}}".utf8)

    /// A piece of the template before nesting: text (split after each line end) or a tag.
    private enum Piece {
        case text(Range<Int>, blank: Bool)
        case tag(Tag)
    }

    private struct Tag {
        /// `#`, `^`, `/`, `!`, `>`, `&`, `{`, `=`, `%`, or 0 for a variable.
        var kind: UInt8
        var name: String
        /// Where the tag starts, and its name (for errors).
        var start: Int
        var nameStart: Int
        var escaping: TemplateEscaping?
        var indentation: String?

        /// Tags that vanish with their line when nothing else is on it.
        var canStandAlone: Bool { "#^/!>=%".utf8.contains(kind) }
    }

    /// Sections may nest this deep, so that rendering never runs out of stack.
    static let maximumDepth = 200

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func parse() throws(TemplateSyntaxError) -> [TemplateNode] {
        var pieces: [Piece] = []
        var lineStart = 0  // the first piece of the current line
        while index < bytes.count {
            let start = index
            var end = index
            while end < bytes.count, bytes[end] != 0x0A, !opens(at: end) { end += 1 }
            if end < bytes.count, bytes[end] == 0x0A {
                index = end + 1
                pieces.append(.text(start..<index, blank: isBlank(start..<end)))
                settleLine(&pieces, from: lineStart)
                lineStart = pieces.count
                continue
            }
            if end > start { pieces.append(.text(start..<end, blank: isBlank(start..<end))) }
            index = end
            if end < bytes.count { pieces.append(.tag(try readTag())) }
        }
        settleLine(&pieces, from: lineStart)
        return try nest(pieces)
    }

    private func opens(at offset: Int) -> Bool {
        guard bytes[offset] == open[0], offset + open.count <= bytes.count else { return false }
        for (step, byte) in open.enumerated().dropFirst() where bytes[offset + step] != byte { return false }
        return true
    }

    private func closes(at offset: Int) -> Bool {
        guard offset + close.count <= bytes.count else { return false }
        for (step, byte) in close.enumerated() where bytes[offset + step] != byte { return false }
        return true
    }

    /// Only spaces and tabs (and the line end).
    private func isBlank(_ range: Range<Int>) -> Bool {
        bytes[range].allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
    }

    /// A line whose only tag can stand alone, with nothing but white space around it, keeps
    /// neither that white space nor its line end; a partial's leading white space becomes its
    /// indentation.
    private func settleLine(_ pieces: inout [Piece], from first: Int) {
        var tagIndex: Int?
        for position in first..<pieces.count {
            switch pieces[position] {
            case .text(_, let blank) where !blank: return
            case .text: continue
            case .tag(let tag):
                guard tagIndex == nil, tag.canStandAlone else { return }
                tagIndex = position
            }
        }
        guard let tagIndex, case .tag(var tag) = pieces[tagIndex] else { return }
        if tag.kind == UInt8(ascii: ">") {
            var indentation: [UInt8] = []
            for case .text(let range, _) in pieces[first..<tagIndex] { indentation += bytes[range] }
            tag.indentation = String(decoding: indentation, as: UTF8.self)
        }
        pieces.replaceSubrange(first..<pieces.count, with: [.tag(tag)])
    }

    private mutating func readTag() throws(TemplateSyntaxError) -> Tag {
        let start = index
        index += open.count
        var kind: UInt8 = 0
        if index < bytes.count, "#^/!>&{=%<$".utf8.contains(bytes[index]) {
            kind = bytes[index]
            index += 1
        }
        var tag = Tag(kind: kind, name: "", start: start, nameStart: index)
        switch kind {
        case UInt8(ascii: "!"):
            while index < bytes.count, !closes(at: index) { index += 1 }
            guard index < bytes.count else { throw error(at: start, "comment is never closed") }
            index += close.count
        case UInt8(ascii: "="):
            try readDelimiters(tagStart: start)
        case UInt8(ascii: "%"):
            tag.escaping = try readSetting()
        case UInt8(ascii: "<"), UInt8(ascii: "$"):
            throw error(at: start, "template inheritance ('{{<' and '{{$') is not supported")
        default:
            skipSpaces()
            tag.nameStart = index
            while index < bytes.count, Self.isNameByte(bytes[index], partial: kind == UInt8(ascii: ">")) { index += 1 }
            tag.name = String(decoding: bytes[tag.nameStart..<index], as: UTF8.self)
            skipSpaces()
            if kind == UInt8(ascii: "{") {
                guard index < bytes.count, bytes[index] == UInt8(ascii: "}") else { throw error(at: index, "unfinished tag name") }
                index += 1
            }
            guard !tag.name.isEmpty || kind == UInt8(ascii: "/"), closes(at: index) else { throw error(at: index, "unfinished tag name") }
            index += close.count
        }
        return tag
    }

    /// Letters, digits, `.`, `-`, `_`, `?`, `*` and any non-ASCII character; a partial's name
    /// may also hold `/`.
    private static func isNameByte(_ byte: UInt8, partial: Bool) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "?"), UInt8(ascii: "*"), 0x80...: true
        case UInt8(ascii: "/"): partial
        default: false
        }
    }

    private mutating func skipSpaces() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x09 || bytes[index] == 0x0A || bytes[index] == 0x0D { index += 1 }
    }

    private mutating func readWord() -> [UInt8] {
        let start = index
        while index < bytes.count, bytes[index] > 0x20, bytes[index] != UInt8(ascii: "=") { index += 1 }
        return Array(bytes[start..<index])
    }

    /// `{{=<% %>=}}`: two new delimiters, without spaces or `=` in them.
    private mutating func readDelimiters(tagStart: Int) throws(TemplateSyntaxError) {
        skipSpaces()
        let newOpen = readWord()
        skipSpaces()
        let newClose = readWord()
        skipSpaces()
        guard !newOpen.isEmpty, !newClose.isEmpty, index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
            throw error(at: tagStart, "badly formed set-delimiter tag")
        }
        index += 1
        guard closes(at: index) else { throw error(at: tagStart, "badly formed set-delimiter tag") }
        index += close.count
        open = newOpen
        close = newClose
    }

    /// `{{% CONTENT_TYPE: TEXT }}` or `HTML`.
    private mutating func readSetting() throws(TemplateSyntaxError) -> TemplateEscaping {
        let start = index
        skipSpaces()
        let nameStart = index
        while index < bytes.count, Self.isNameByte(bytes[index], partial: false) { index += 1 }
        let name = String(decoding: bytes[nameStart..<index], as: UTF8.self)
        skipSpaces()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error(at: start, "badly formed configuration tag") }
        index += 1
        skipSpaces()
        let valueStart = index
        while index < bytes.count, Self.isNameByte(bytes[index], partial: false) { index += 1 }
        let value = String(decoding: bytes[valueStart..<index], as: UTF8.self)
        skipSpaces()
        guard closes(at: index) else { throw error(at: start, "badly formed configuration tag") }
        index += close.count
        switch (name, value) {
        case ("CONTENT_TYPE", "HTML"): return .html
        case ("CONTENT_TYPE", "TEXT"): return .none
        default: throw error(at: nameStart, "unknown configuration variable")
        }
    }

    /// The pieces as a tree: each section holds what stands between its tags.
    private func nest(_ pieces: [Piece]) throws(TemplateSyntaxError) -> [TemplateNode] {
        var open: [(tag: Tag, nodes: [TemplateNode])] = [(Tag(kind: 0, name: "", start: 0, nameStart: 0), [])]
        for piece in pieces {
            switch piece {
            case .text(let range, _):
                open[open.count - 1].nodes.append(.text(String(decoding: bytes[range], as: UTF8.self)))
            case .tag(let tag):
                switch tag.kind {
                case UInt8(ascii: "#"), UInt8(ascii: "^"):
                    guard open.count <= Self.maximumDepth else { throw error(at: tag.start, "sections are nested more than \(Self.maximumDepth) deep") }
                    open.append((tag, []))
                case UInt8(ascii: "/"):
                    guard open.count > 1, open[open.count - 1].tag.name == tag.name else {
                        throw error(at: tag.nameStart, "section closed with a name that does not match the one it opened with")
                    }
                    let (opening, nodes) = open.removeLast()
                    open[open.count - 1].nodes.append(.section(TemplateName(opening.name), nodes, inverted: opening.kind == UInt8(ascii: "^")))
                case UInt8(ascii: ">"):
                    open[open.count - 1].nodes.append(.partial(tag.name, indentation: tag.indentation))
                case UInt8(ascii: "%"):
                    if let escaping = tag.escaping { open[open.count - 1].nodes.append(.escaping(escaping)) }
                case UInt8(ascii: "!"), UInt8(ascii: "="):
                    break
                default:
                    open[open.count - 1].nodes.append(.variable(TemplateName(tag.name), escaped: tag.kind == 0))
                }
            }
        }
        guard open.count == 1 else {
            throw error(at: open[open.count - 1].tag.start, "section '\(open[open.count - 1].tag.name)' is never closed")
        }
        return open[0].nodes
    }

    /// An error at byte `offset`: its line, and its column counted in Unicode scalars.
    private func error(at offset: Int, _ message: String) -> TemplateSyntaxError {
        let offset = min(offset, bytes.count)
        var line = 1
        var column = 1
        for byte in bytes[..<offset] {
            if byte == 0x0A {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return TemplateSyntaxError(line: line, column: column, message: message)
    }
}

// MARK: - Rendering

/// Renders nodes into `out`, with the values in reach from the innermost (last) outwards.
struct TemplateRenderer {
    let partials: [String: Template]
    var stack: [TemplateValue]
    var escaping: TemplateEscaping
    /// The output as UTF-8 (the template's texts and the values' strings): appended to as
    /// bytes, made a string once at the end.
    var out: [UInt8] = []
    /// The white space each line starts with inside standalone partials, and whether the next
    /// output starts a line of the template.
    var indentation = ""
    var atLineStart = false
    var partialDepth = 0
    let limits: TemplateLimits
    var stepsLeft: Int
    /// Why the rendering stopped before its end, if it did.
    var stopped: TemplateRenderError?

    /// Partials may render each other (over nested data) this deep; deeper ones write nothing.
    static let maximumPartialDepth = 100

    init(partials: [String: Template], stack: [TemplateValue], escaping: TemplateEscaping, limits: TemplateLimits) {
        self.partials = partials
        self.stack = stack
        self.escaping = escaping
        self.limits = limits
        self.stepsLeft = limits.steps
    }

    mutating func render(_ nodes: [TemplateNode]) {
        // A content-type tag holds for the rest of its template or section.
        let outerEscaping = escaping
        defer { escaping = outerEscaping }
        for node in nodes {
            guard stepsLeft > 0, out.count <= limits.output else {
                stopped = stopped ?? TemplateRenderError(message: stepsLeft > 0
                    ? "rendering stopped after \(limits.output) bytes of output: does a partial include itself?"
                    : "rendering stopped after \(limits.steps) tags and texts: does a partial include itself?")
                return
            }
            stepsLeft -= 1
            switch node {
            case .text(let text):
                write(text, fromTemplate: true)
            case .variable(let name, let escaped):
                guard let value = lookUp(name) else { continue }
                let text = value.displayText
                write(escaped && escaping == .html ? Escape.htmlAttribute(text) : text, fromTemplate: false)
            case .section(let name, let nodes, let inverted):
                let value = lookUp(name)
                if inverted {
                    if !(value?.isTruthy ?? false) { render(nodes) }
                    continue
                }
                guard let value, value.isTruthy else { continue }
                switch value {
                case .list(let items):
                    for item in items {
                        stack.append(item)
                        render(nodes)
                        stack.removeLast()
                    }
                case .bool:
                    render(nodes)
                case .text, .map:
                    stack.append(value)
                    render(nodes)
                    stack.removeLast()
                }
            case .partial(let name, let indent):
                guard let template = partials[name], partialDepth < Self.maximumPartialDepth else { continue }
                let outerIndentation = indentation
                partialDepth += 1
                if let indent {
                    indentation += indent
                    atLineStart = true
                }
                render(template.nodes)
                indentation = outerIndentation
                partialDepth -= 1
            case .escaping(let setting):
                escaping = setting
            }
        }
    }

    /// Appends output; inside an indented partial, a line of the template starts with the
    /// indentation (lines inside a value do not).
    private mutating func write(_ text: String, fromTemplate: Bool) {
        guard !text.isEmpty else { return }
        if atLineStart {
            out.append(contentsOf: indentation.utf8)
            atLineStart = false
        }
        out.append(contentsOf: text.utf8)
        if fromTemplate, !indentation.isEmpty, text.utf8.last == 0x0A { atLineStart = true }
    }

    /// The value a name stands for: its first part from the innermost value that has it
    /// outwards (or from the current value only, for `.a`), the rest inside that.
    private func lookUp(_ name: TemplateName) -> TemplateValue? {
        guard let first = name.parts.first else { return stack.last }
        var value: TemplateValue?
        if name.currentOnly {
            if case .map(let values) = stack.last { value = values[first] }
        } else {
            for candidate in stack.reversed() {
                if case .map(let values) = candidate, let found = values[first] {
                    value = found
                    break
                }
            }
        }
        for part in name.parts.dropFirst() {
            guard case .map(let values) = value else { return nil }
            value = values[part]
        }
        return value
    }
}
