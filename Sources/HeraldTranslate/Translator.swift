// Creating and updating stubs without losing a translator's work: unchanged segments keep their
// translation byte for byte, changed ones keep it marked stale with the previous source,
// new ones start untranslated, removed ones move to the obsolete section.

import Foundation
public import HeraldCore
import HeraldMarkdown

/// What an update did, segment by segment.
public struct UpdateReport: Sendable {
    public var kept = 0
    public var stale = 0
    public var added = 0
    public var obsolete = 0
}

public enum Translator {
    /// The stub of `sourcePath` in `lang`: `post.md` gives `post.zh.md`; a source that already
    /// carries a language suffix (`post.en.md`) gives `post.zh.md`.
    public static func stubPath(for sourcePath: String, lang: String) -> String {
        let url = URL(fileURLWithPath: sourcePath)
        var name = url.deletingPathExtension().lastPathComponent
        if let dot = name.lastIndex(of: "."), LanguageTags.isWellFormed(String(name[name.index(after: dot)...])) {
            name = String(name[..<dot])
        }
        let folder = (sourcePath as NSString).deletingLastPathComponent
        let file = "\(name).\(lang).\(url.pathExtension.isEmpty ? "md" : url.pathExtension)"
        return folder.isEmpty ? file : folder + "/" + file
    }

    /// How the translator reads a source post: the command's pipeline (``Pipeline/parse(_:)``),
    /// so a source reads the same here as everywhere else.
    public typealias Loader = @Sendable (String) throws -> Post

    /// Reads posts through a pipeline with the Markdown parser and nothing else.
    public static let defaultLoader: Loader = { path in try Pipeline(parser: MarkdownParser()).parse(.file(path)) }

    /// Reads a source post.
    public static func readSource(_ path: String, load: Loader = defaultLoader) throws -> SourcePost {
        let source = try SegmentExtractor.read(try load(path))
        if StubReader.isStub(source.post.metadata) {
            throw DiagnosticError(.error("source-is-stub", file: path, "this is a translation stub; translate its source instead"))
        }
        return source
    }

    /// Reads the stub at `path`; `source` (when known) tells the translator's additions apart.
    public static func readStub(_ path: String, source: SourcePost? = nil) throws -> Stub {
        let bytes = try SourceFiles.read(path)
        let lines = source.map { source in Set((1...max(source.source.lineCount, 1)).map { String(source.source.line($0)) }) } ?? []
        return try StubReader.read(bytes, path: path, sourceLines: lines)
    }

    /// The path of a stub's source, from the reference the stub holds (relative to the stub).
    public static func sourcePath(of stub: Stub, stubPath: String) -> String? {
        guard let reference = stub.sourcePath else { return nil }
        if reference.hasPrefix("/") { return reference }
        let folder = (stubPath as NSString).deletingLastPathComponent
        return folder.isEmpty ? reference : folder + "/" + reference
    }

    /// The stub text for `source` in `lang`, merged with `existing` translations.
    public static func stubText(_ source: SourcePost, lang: String, stubPath: String, existing: Stub?) -> (String, UpdateReport) {
        let (states, obsolete, report) = merge(source, existing)
        let reference = relativePath(from: (stubPath as NSString).deletingLastPathComponent, to: source.post.sourcePath)
        let text = StubWriter.write(
            source, lang: lang, sourceReference: reference, states: states, obsolete: obsolete,
            extraFrontMatter: existing?.extraFrontMatter ?? [], additions: existing?.additions ?? [])
        return (text, report)
    }

    /// Creates or updates the stub of the post at `sourcePath` in `lang`, writing it atomically.
    @discardableResult
    public static func update(sourcePath: String, lang: String, load: Loader = defaultLoader) throws -> (path: String, report: UpdateReport) {
        let source = try readSource(sourcePath, load: load)
        let path = stubPath(for: sourcePath, lang: lang)
        let existing = FileManager.default.fileExists(atPath: path) ? try readStub(path, source: source) : nil
        let (text, report) = stubText(source, lang: lang, stubPath: path, existing: existing)
        try OutputWriter.writeFile(Data(text.utf8), to: path)
        return (path, report)
    }

    /// The stub's segments as they stand against the current source (changes in the source
    /// not yet merged show as stale, new or obsolete).
    public static func currentState(stubPath: String, load: Loader = defaultLoader) throws -> Stub {
        let stub = try readStub(stubPath)
        guard let sourcePath = sourcePath(of: stub, stubPath: stubPath), FileManager.default.fileExists(atPath: sourcePath) else {
            return stub
        }
        let source = try readSource(sourcePath, load: load)
        let (text, _) = stubText(source, lang: stub.lang ?? "", stubPath: stubPath, existing: try readStub(stubPath, source: source))
        return try StubReader.read(Array(text.utf8), path: stubPath)
    }

    // MARK: Merging

    static func merge(_ source: SourcePost, _ stub: Stub?) -> (states: [String: SegmentState], obsolete: [StubSegment], report: UpdateReport) {
        var report = UpdateReport()
        var states: [String: SegmentState] = [:]
        var pool = (stub?.segments ?? []) + (stub?.obsolete ?? [])
        var unmatched: [SourceSegment] = []
        // 1. The same text: the translation as it is (a move changes nothing).
        for segment in source.segments {
            if let index = pool.firstIndex(where: { $0.id == segment.id }) {
                let old = pool.remove(at: index)
                states[segment.id] = old.state
                if !old.state.translation.isEmpty { report.kept += 1 }
            } else {
                unmatched.append(segment)
            }
        }
        // 2. Changed text: the most similar old segment of the same kind, if similar enough;
        // for a short text (a heading, a table cell, an alt text), whose words change too much
        // to be similar, the old segment of its kind at the same place: between the same
        // unchanged neighbours, the same one in order.
        let oldOrder = Dictionary((stub?.segments ?? []).enumerated().map { ($1.id, $0) }, uniquingKeysWith: { first, _ in first })
        let sourceOrder = source.segments.map(\.id)
        for segment in unmatched {
            let candidates = pool.indices.filter { kind(of: pool[$0].id) == segment.kind.rawValue }
            let best = candidates.map { ($0, similarity(pool[$0].source, segment.text)) }.max { $0.1 < $1.1 }
            var match: Int?
            if let (index, score) = best, score >= 0.5 {
                match = index
            } else if Self.matchedByPlace.contains(segment.kind) {
                match = samePlace(segment, among: candidates, pool: pool, sourceOrder: sourceOrder, oldOrder: oldOrder)
            }
            if let index = match {
                let old = pool.remove(at: index)
                if old.state.translation.isEmpty {
                    states[segment.id] = SegmentState()
                    report.added += 1
                } else {
                    // The translation stays, marked stale, with the text it was made from.
                    states[segment.id] = SegmentState(translation: old.state.translation, previous: old.state.previous ?? old.source)
                    report.stale += 1
                }
            } else {
                states[segment.id] = SegmentState()
                report.added += 1
            }
        }
        // 3. What is left had text the source no longer has: kept as obsolete.
        let obsolete = pool.filter { !$0.state.translation.isEmpty }.map { StubSegment(id: $0.id, source: $0.state.previous ?? $0.source, state: SegmentState(translation: $0.state.translation)) }
        report.obsolete = obsolete.count
        return (states, obsolete, report)
    }

    /// The kind part of a segment id (`p` of `p-1a2b3c4d`).
    static func kind(of id: String) -> String { String(id.prefix { $0 != "-" }) }

    /// How alike two texts are, 0 to 1: the Dice coefficient of their character pairs, which
    /// works for words and for Chinese alike.
    /// The kinds of short text an edit changes too much for similarity to find it again.
    static let matchedByPlace: Set<SegmentKind> = [.title, .summary, .heading, .cell, .alt]

    /// The old segment among `candidates` (indices into `pool`) that stood where `segment`
    /// stands: after the old place of the nearest segment before it that kept its text, and
    /// before that of the nearest after it; the first such in the old order.
    static func samePlace(
        _ segment: SourceSegment, among candidates: [Int], pool: [StubSegment], sourceOrder: [String], oldOrder: [String: Int]
    ) -> Int? {
        guard !candidates.isEmpty, let position = sourceOrder.firstIndex(of: segment.id) else { return nil }
        // Neighbours that kept their text (and so their id) are where the old stub had them.
        let before = sourceOrder[..<position].reversed().lazy.compactMap { oldOrder[$0] }.first ?? -1
        let after = sourceOrder[(position + 1)...].lazy.compactMap { oldOrder[$0] }.first ?? Int.max
        return candidates
            .compactMap { index in oldOrder[pool[index].id].map { (index, $0) } }
            .filter { $0.1 > before && $0.1 < after }
            .min { $0.1 < $1.1 }?.0
    }

    static func similarity(_ a: String, _ b: String) -> Double {
        func pairs(_ text: String) -> [String: Int] {
            let characters = Array(text.lowercased())
            var counts: [String: Int] = [:]
            guard characters.count > 1 else { return characters.isEmpty ? [:] : [String(characters): 1] }
            for index in 0..<(characters.count - 1) { counts[String(characters[index...index + 1]), default: 0] += 1 }
            return counts
        }
        let (x, y) = (pairs(a), pairs(b))
        let total = x.values.reduce(0, +) + y.values.reduce(0, +)
        guard total > 0 else { return a == b ? 1 : 0 }
        let shared = x.reduce(0) { $0 + min($1.value, y[$1.key] ?? 0) }
        return Double(2 * shared) / Double(total)
    }

    /// `target` relative to the folder `base` (both as given, resolved against the current folder).
    public static func relativePath(from base: String, to target: String) -> String {
        let baseParts = URL(fileURLWithPath: base.isEmpty ? "." : base).standardizedFileURL.pathComponents
        let targetParts = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
        var common = 0
        while common < min(baseParts.count, targetParts.count), baseParts[common] == targetParts[common] { common += 1 }
        let up = Array(repeating: "..", count: baseParts.count - common)
        return (up + targetParts[common...]).joined(separator: "/")
    }
}

extension Translator {
    /// Fills the stub of a PO file's source from its translations, under the merge rules:
    /// a translation for text the source still has fills it (fuzzy ones stay stale), one for
    /// changed text fills it as stale, others go to the obsolete section; an empty `msgstr`
    /// leaves the stub's own translation alone, and a stub's translation that the PO file's
    /// replaces goes to the obsolete section.
    @discardableResult
    public static func importPO(_ poPath: String, sourceOverride: String? = nil, load: Loader = defaultLoader) throws -> (path: String, report: UpdateReport) {
        // Read as a post is: a NUL byte or bad UTF-8 refuses the file, and the characters XML
        // forbids never reach the stub.
        let (decoded, diagnostics) = SourceText.decode(try SourceFiles.read(poPath), path: poPath)
        guard let decoded else { throw DiagnosticError(diagnostics) }
        let (header, entries) = try PO.parse(decoded.text, path: poPath)
        guard let lang = header["Language"], !lang.isEmpty else {
            throw DiagnosticError(.error("po-invalid", file: poPath, "the PO file names no Language"))
        }
        var sourcePath = sourceOverride
        if sourcePath == nil, let named = header["X-Herald-Source"] {
            let besidePO = ((poPath as NSString).deletingLastPathComponent as NSString).appendingPathComponent(named)
            sourcePath = named.hasPrefix("/") || FileManager.default.fileExists(atPath: named) ? named : besidePO
        }
        guard let sourcePath else {
            throw DiagnosticError(.error("po-invalid", file: poPath, "the PO file does not say which post it translates (X-Herald-Source); give --source"))
        }
        let source = try readSource(sourcePath, load: load)
        let path = stubPath(for: sourcePath, lang: lang)
        let existing = FileManager.default.fileExists(atPath: path) ? try readStub(path, source: source) : nil
        let (current, currentObsolete, _) = merge(source, existing)

        var fromPO = Stub()
        for entry in entries {
            let segment = StubSegment(
                id: entry.context, source: entry.source,
                state: SegmentState(translation: entry.translation, previous: entry.fuzzy ? (entry.previousSource ?? entry.source) : nil))
            if entry.obsolete { fromPO.obsolete.append(segment) } else { fromPO.segments.append(segment) }
        }
        let (imported, importedObsolete, report) = merge(source, fromPO)
        var states = current
        var obsolete = currentObsolete
        let sourceTexts = Dictionary(source.segments.map { ($0.id, $0.text) }, uniquingKeysWith: { first, _ in first })
        for (id, state) in imported where !state.translation.isEmpty {
            // The PO file's translation wins; one it replaces is kept with the obsolete ones,
            // so that an import never loses a translator's text.
            if let replaced = states[id], replaced.translation.withoutSurroundingNewlines != state.translation.withoutSurroundingNewlines,
               !replaced.translation.withoutSurroundingNewlines.isEmpty,
               let text = sourceTexts[id] {
                obsolete.append(StubSegment(id: id, source: replaced.previous ?? text, state: SegmentState(translation: replaced.translation)))
            }
            states[id] = state
        }
        for entry in importedObsolete where !obsolete.contains(where: { $0.id == entry.id && $0.state == entry.state }) {
            obsolete.append(entry)
        }
        let reference = relativePath(from: (path as NSString).deletingLastPathComponent, to: source.post.sourcePath)
        let text = StubWriter.write(
            source, lang: lang, sourceReference: reference, states: states, obsolete: obsolete,
            extraFrontMatter: existing?.extraFrontMatter ?? [], additions: existing?.additions ?? [])
        try OutputWriter.writeFile(Data(text.utf8), to: path)
        return (path, report)
    }

    /// The PO file of the post at `sourcePath` in `lang`, from its stub if there is one.
    public static func exportPO(sourcePath: String, lang: String, poPath: String?, load: Loader = defaultLoader) throws -> String {
        let source = try readSource(sourcePath, load: load)
        let path = stubPath(for: sourcePath, lang: lang)
        let existing = FileManager.default.fileExists(atPath: path) ? try readStub(path, source: source) : nil
        let (text, _) = stubText(source, lang: lang, stubPath: path, existing: existing)
        let stub = try StubReader.read(Array(text.utf8), path: path)
        var po = PO.export(stub, source: source, lang: lang)
        if let poPath {
            // The source named from where the PO file is, so the pair can travel together.
            let relative = relativePath(from: (poPath as NSString).deletingLastPathComponent, to: sourcePath)
            po = po.replacingOccurrences(of: "\"X-Herald-Source: \(PO.escape(source.post.sourcePath))\\n\"", with: "\"X-Herald-Source: \(PO.escape(relative))\\n\"")
        }
        return po
    }
}
