// The translator's side: a source post, a stub a translator edited and a PO file a translator
// sent, each as arbitrary text. Whatever they hold, no translated text is ever dropped: after
// `herald translate`, every translation the stub held is still in it (kept, stale or
// obsolete); after a PO import, every translation of the PO file is in the stub of its
// language, and every one that stub held is still there (those the PO file replaced among the
// obsolete ones); and a command that fails leaves the stub as it was. The fuzzer of
// Fuzz/ (`HERALD_FUZZ=translate`) calls ``TranslationFuzzer/problems(_:)``.

import Foundation
import HeraldCore
import HeraldMarkdown
import HeraldTranslate

public enum TranslationFuzzer {
    /// The three parts of an input, separated by NUL bytes: source, stub, PO file.
    public static func parts(_ bytes: [UInt8]) -> (source: [UInt8], stub: [UInt8], po: [UInt8]) {
        let pieces = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false).map(Array.init)
        return (pieces.first ?? [], pieces.count > 1 ? pieces[1] : [], pieces.count > 2 ? pieces[2] : [])
    }

    /// What went wrong with the translator's work; empty when all of it was kept.
    public static func problems(_ bytes: [UInt8]) -> [String] {
        let (source, stub, po) = parts(bytes)
        let scratch = Scratch.folder()
        defer { Scratch.remove(scratch) }
        let sourcePath = scratch.appendingPathComponent("news.md").path
        let stubPath = Translator.stubPath(for: sourcePath, lang: "zh")
        let poPath = scratch.appendingPathComponent("news.zh.po").path
        // As `herald translate` reads posts: front matter required.
        let load: Translator.Loader = { path in try Pipeline(parser: MarkdownParser(syntax: .herald)).parse(.file(path)) }
        guard FileManager.default.createFile(atPath: sourcePath, contents: Data(source)),
              FileManager.default.createFile(atPath: stubPath, contents: Data(stub)),
              FileManager.default.createFile(atPath: poPath, contents: Data(po))
        else { return ["could not write the scratch files"] }
        var problems: [String] = []

        // 1. herald translate over the translator's stub.
        let before = translations(stubPath)
        do {
            try Translator.update(sourcePath: sourcePath, lang: "zh", load: load)
            let after = translations(stubPath) ?? []
            for text in before ?? [] where !after.contains(text) {
                problems.append("translate dropped the translation \(quoted(text))")
            }
        } catch {
            if (try? Data(contentsOf: URL(fileURLWithPath: stubPath))) != Data(stub) { problems.append("a failed translate changed the stub") }
            return problems
        }

        // 2. herald translate --import of the PO file.
        // The stub it fills is that of the PO file's language.
        guard let text = SourceText.decode(po, path: poPath).text, let (header, fromPO) = try? PO.parse(text.text, path: poPath) else { return problems }
        let importedPath = Translator.stubPath(for: sourcePath, lang: header["Language"] ?? "zh")
        let stubBefore = try? Data(contentsOf: URL(fileURLWithPath: importedPath))
        let held = translations(importedPath) ?? []
        do {
            try Translator.importPO(poPath, sourceOverride: sourcePath, load: load)
            let after = translations(importedPath) ?? []
            for entry in fromPO where !normalized(entry.translation).isEmpty && !after.contains(normalized(entry.translation)) {
                problems.append("the import dropped the PO file's translation \(quoted(entry.translation))")
            }
            for text in held where !after.contains(text) {
                problems.append("the import dropped the stub's translation \(quoted(text))")
            }
        } catch {
            if (try? Data(contentsOf: URL(fileURLWithPath: importedPath))) != stubBefore { problems.append("a failed import changed the stub") }
        }
        return problems
    }

    /// Every translation a stub holds, in its segments and its obsolete section; nil when it does not read.
    static func translations(_ path: String) -> Set<String>? {
        guard let stub = try? Translator.readStub(path) else { return nil }
        return Set((stub.segments + stub.obsolete).map { normalized($0.state.translation) }.filter { !$0.isEmpty })
    }

    /// A translation as the stub keeps it: its lines without the spaces around them.
    static func normalized(_ text: String) -> String {
        text.split(whereSeparator: \.isNewline).map { String($0.withoutSurroundingSpaces) }.filter { !$0.isEmpty }.joined(separator: "\n")
    }

    static func quoted(_ text: String) -> String { "'" + String(text.prefix(80)) + (text.count > 80 ? "…" : "") + "'" }
}
