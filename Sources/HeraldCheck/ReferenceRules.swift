// Reference links: labels used and never defined, defined twice, defined and never used,
// matched as CommonMark matches them; and the defined label a misspelt one was meant to be.

import HeraldCore

extension LintRun {
    /// A label as CommonMark matches it: case-folded, inner white space collapsed.
    static func normalized(_ label: String) -> String {
        if isNormalizedASCII(label) { return label }
        return label.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Whether `label` is ASCII, without capitals, with single spaces between words: its own
    /// normalized form (most labels are).
    static func isNormalizedASCII(_ label: String) -> Bool {
        var previous = UInt8(ascii: " ")
        for byte in label.utf8 {
            if byte >= 0x80 || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z")) || (byte < 0x20 || byte == 0x7F) { return false }
            if byte == UInt8(ascii: " ") && previous == byte { return false }
            previous = byte
        }
        return previous != UInt8(ascii: " ")
    }

    mutating func checkReferences() {
        var defined: [String: LinkDefinition] = [:]
        let labels = document.linkDefinitions.map { Self.normalized($0.label) }
        for (definition, label) in zip(document.linkDefinitions, labels) {
            if let first = defined[label] {
                report("reference-duplicate", definition.range.start,
                    "[\(definition.label)] is already defined on line \(first.range.start.line); this definition is ignored")
            } else {
                defined[label] = definition
            }
        }
        var used: Set<String> = []
        for id in document.descendants() {
            switch document[id].kind {
            case .link(let link), .image(let link):
                if let label = link.label, link.form != .inline, link.form != .autolink { used.insert(Self.normalized(label)) }
            default:
                break
            }
        }
        // Brackets left as text: references whose label has no definition. The labels that a
        // misspelling could mean are indexed only when a post has such brackets.
        var similar: SimilarLabels?
        for id in document.descendants() {
            guard case .text(let text) = document[id].kind, text.containsBytes("["), !document[id].range.isUnknown else { continue }
            // Each bracket is looked for after the one before, so repeated ones get their own columns.
            var from = document[id].range.start.column
            for (bracket, label, full) in Self.bracketed(text) {
                let key = Self.normalized(label)
                guard defined[key] == nil else { continue }
                let location = locate(bracket, line: document[id].range.start.line, from: from)
                from = location.column + bracket.unicodeScalars.count
                if similar == nil { similar = SimilarLabels(labels) }
                let near = similar?.nearest(to: key)
                guard full || label.hasPrefix("@") || near != nil else { continue }
                var message = "[\(label)] is used as a reference link but no definition has that label; it shows as plain brackets"
                if let near, let definition = defined[near] { message += " (did you mean [\(definition.label)]?)" }
                report("reference-undefined", location, message)
            }
        }
        for (definition, label) in zip(document.linkDefinitions, labels) where !used.contains(label) {
            guard defined[label] == definition else { continue }
            report("reference-unused", definition.range.start, "[\(definition.label)] is defined but no link uses it")
        }
    }

    /// `[label]` and `[text][label]` written in a text: the bracketed source, the label, and
    /// whether it is the full form.
    static func bracketed(_ text: String) -> [(String, String, Bool)] {
        var results: [(String, String, Bool)] = []
        let characters = Array(text)
        var index = 0
        while index < characters.count {
            guard characters[index] == "[", index == 0 || characters[index - 1] != "\\" else {
                index += 1
                continue
            }
            guard let close = characters[(index + 1)...].firstIndex(where: { $0 == "]" || $0 == "[" }), characters[close] == "]" else {
                index += 1
                continue
            }
            let first = String(characters[(index + 1)..<close])
            var end = close + 1
            var label = first
            var full = false
            if end < characters.count, characters[end] == "[", let second = characters[(end + 1)...].firstIndex(of: "]") {
                let inner = String(characters[(end + 1)..<second])
                label = inner.isEmpty ? first : inner
                full = true
                end = second + 1
            }
            let next = end < characters.count ? characters[end] : " "
            // `[x](…` would be an inline link, `[x]:` a definition, `[ ]`/`[x]` a task box.
            if !label.withoutSurroundingSpaces.isEmpty, next != "(", next != ":",
                !(first == "x" || first == "X" || first == " "), !first.hasPrefix("^")
            {
                results.append((String(characters[index..<end]), label, full))
            }
            index = end
        }
        return results
    }

    /// Labels that differ only by an `@`, case, or one letter (added, dropped or changed), for
    /// labels of five letters or more.
    static func looksAlike(_ a: String, _ b: String) -> Bool {
        let x = a.hasPrefix("@") ? String(a.dropFirst()) : a
        let y = b.hasPrefix("@") ? String(b.dropFirst()) : b
        if x == y { return true }
        guard x.count >= 5, abs(x.count - y.count) <= 1 else { return false }
        return Suggestions.editDistance(Array(x), Array(y)) <= 1
    }
}

/// The defined labels, indexed so that the one a misspelt label was meant to be is found
/// without comparing it with every definition: two labels one edit apart share a string made by
/// deleting at most one letter from each.
struct SimilarLabels {
    /// Labels longer than this are only matched exactly (without `@`).
    static let longest = 64
    /// How many labels are looked for by comparing them with every definition before the
    /// index is built: a post asks for a few, and building the index costs more than that.
    static let comparedBeforeIndexing = 8
    private var labels: [String] = []
    private var variants: [String: [Int]] = [:]
    private var indexed = false
    private var asked = 0

    init(_ normalizedLabels: [String]) {
        labels = normalizedLabels
    }

    /// The first defined label that `label` looks like a misspelling of, if any.
    mutating func nearest(to label: String) -> String? {
        asked += 1
        if !indexed && asked > Self.comparedBeforeIndexing {
            for (index, defined) in labels.enumerated() {
                for variant in Self.variants(of: defined) { variants[variant, default: []].append(index) }
            }
            indexed = true
        }
        guard !indexed else { return indexedNearest(to: label) }
        // What the index would find: labels that look alike and share a variant, which two
        // labels one edit apart do unless one of them is too long to have variants.
        let bare = Self.bare(label)
        return labels.first { defined in
            let definedBare = Self.bare(defined)
            return LintRun.looksAlike(defined, label)
                && (definedBare == bare || (definedBare.count <= Self.longest && bare.count <= Self.longest))
        }
    }

    /// The label without its `@`.
    private static func bare(_ label: String) -> Substring {
        label.hasPrefix("@") ? label.dropFirst() : Substring(label)
    }

    /// The label without `@`, and each string made by deleting one letter from it.
    static func variants(of label: String) -> Set<String> {
        let bare = Array(Self.bare(label))
        var result: Set<String> = [String(bare)]
        if bare.count <= longest {
            for index in bare.indices { result.insert(String(bare[..<index] + bare[(index + 1)...])) }
        }
        return result
    }

    private func indexedNearest(to label: String) -> String? {
        var candidates: Set<Int> = []
        for variant in Self.variants(of: label) { candidates.formUnion(variants[variant] ?? []) }
        return candidates.sorted().lazy.map { labels[$0] }.first { LintRun.looksAlike($0, label) }
    }
}
