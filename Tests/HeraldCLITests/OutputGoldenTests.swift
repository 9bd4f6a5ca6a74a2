// Golden files of what the two examples become: their HTML pages and the index, each book
// unpacked, a translation stub and a PO file each way. Compared byte for byte with the reviewed
// files in Golden/. To re-record after a deliberate change, run with HERALD_RECORD_GOLDEN=1,
// then review the diff before committing: recording fails the test so that it is never left on.

import Foundation
import Testing
import ZIPFoundation

@Suite struct OutputGoldenTests {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    static let recording = ProcessInfo.processInfo.environment["HERALD_RECORD_GOLDEN"] == "1"
    static let english = "2026-10-community-update", chinese = "2026-10-zh-update"

    /// Compares `actual` with the golden file `name`, or records it.
    func check(_ actual: String, against name: String) throws {
        let url = Self.folder.appendingPathComponent(name)
        if Self.recording {
            try actual.write(to: url, atomically: true, encoding: .utf8)
            Issue.record("recorded \(name): review the diff, then run without HERALD_RECORD_GOLDEN")
            return
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        guard actual != expected else { return }
        let actualLines = actual.components(separatedBy: "\n"), expectedLines = expected.components(separatedBy: "\n")
        let first = (0..<min(actualLines.count, expectedLines.count)).first { actualLines[$0] != expectedLines[$0] } ?? min(actualLines.count, expectedLines.count)
        Issue.record("""
            \(name) differs from line \(first + 1):
            expected: \(first < expectedLines.count ? expectedLines[first] : "<end>")
            actual:   \(first < actualLines.count ? actualLines[first] : "<end>")
            """)
    }

    /// A book's files in order, each under its path (the archive itself holds times).
    func unpacked(_ book: URL) throws -> String {
        let archive = try Archive(url: book, accessMode: .read)
        var text = ""
        for entry in archive {
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            let isText = [".xhtml", ".opf", ".ncx", ".css", ".xml", "mimetype"].contains(where: entry.path.hasSuffix)
            text += "=== \(entry.path)\n" + (isText ? String(decoding: data, as: UTF8.self) : "(\(data.count) bytes)") + "\n"
        }
        return text
    }

    @Test func pagesAndBooksOfTheExamples() throws {
        let out = try temporaryFolder("herald-golden")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = herald(["build", Paths.examples.path, "--out", out.path, "--base-url", "https://news.example.org/", "--title", "Lantern News",
                          "--from", "Lantern News <news@example.org>", "--to", "users@lists.example.org", "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        for slug in [Self.english, Self.chinese] {
            try check(String(contentsOf: out.appendingPathComponent("site/\(slug)/index.html"), encoding: .utf8), against: "\(slug).html")
            try check(unpacked(out.appendingPathComponent("epub/\(slug).epub")), against: "\(slug).epub.txt")
        }
        try check(String(contentsOf: out.appendingPathComponent("site/index.html"), encoding: .utf8), against: "index.html")
    }

    @Test func stubsAndPOFilesEachWay() throws {
        let folder = try temporaryFolder("herald-golden-stubs")
        defer { try? FileManager.default.removeItem(at: folder) }
        for (slug, lang) in [(Self.english, "zh"), ("2026-10-zh-community-update", "en")] {
            let post = folder.appendingPathComponent("\(slug).md")
            try FileManager.default.copyItem(at: Paths.examples.appendingPathComponent("\(slug).md"), to: post)
            #expect(herald("translate", post.path, "--to", lang).status == 0)
            try check(String(contentsOf: folder.appendingPathComponent("\(slug).\(lang).md"), encoding: .utf8), against: "\(slug).\(lang).md")
            let po = folder.appendingPathComponent("\(slug).\(lang).po")
            #expect(herald("translate", post.path, "--to", lang, "--format", "po", "-o", po.path).status == 0)
            try check(String(contentsOf: po, encoding: .utf8), against: "\(slug).\(lang).po")
        }
    }
}
