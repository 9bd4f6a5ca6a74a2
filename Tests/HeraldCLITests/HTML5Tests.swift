// Every page Herald writes parses as HTML5 without a single parse error, read by html5lib (the
// HTML5 parsing algorithm in Python, from the virtual environment `make setup` makes): the
// examples and the corpus, and posts whose raw HTML is out of place (a cell alone, a table in a
// table, a list item in italics, control characters).

import Foundation
import Testing

@Suite struct HTML5Tests {
    static let python = Paths.repository.appendingPathComponent(".venv/bin/python")
    static let script = """
        import sys, html5lib
        for path in sys.argv[1:]:
            parser = html5lib.HTMLParser(strict=False)
            with open(path, "rb") as page:
                parser.parse(page.read())
            for (line, column), code, data in parser.errors:
                print(f"{path}:{line}:{column}: {code} {data}")
        """

    /// html5lib's errors for `pages`, one line each.
    func parseErrors(_ pages: [URL]) async throws -> [String] {
        try #require(FileManager.default.isExecutableFile(atPath: Self.python.path), "html5lib is missing: run make setup")
        let arguments = ["-c", Self.script] + pages.map(\.path)
        let python = Self.python.path
        let run = try await onOwnThread { try runProgram(python, arguments) }
        let output = run.output + (run.status == 0 ? "" : "exit \(run.status)\n")
        return output.split(separator: "\n").map(String.init)
    }

    @Test func everyPageOfTheExamplesAndTheCorpusParsesWithoutErrors() async throws {
        let out: URL
        if let (folder, built) = CorpusBuild.shared {
            #expect(built.status == 0, "\(built.stderr)")
            out = folder
        } else {
            out = try temporaryFolder("herald-html5")
            #expect(herald("build", Paths.examples.path, "--out", out.path, "--base-url", "https://news.example.org/").status == 0)
        }
        let pages = filesUnder(out).filter { $0.hasSuffix(".html") }.map { out.appendingPathComponent($0) }
        #expect(pages.count >= (Paths.hasCorpus ? 80 : 8))
        #expect(try await parseErrors(pages) == [])
    }

    @Test func rawHTMLOutOfPlaceStillGivesAValidPage() async throws {
        let root = try temporaryFolder("herald-html5-raw")
        defer { try? FileManager.default.removeItem(at: root) }
        let post = try writeFile(root, "raw.md", """
            ---
            title: Raw
            date: 2020-01-01
            ---

            <td>a cell alone

            <table><table><tr><td>a table in a table</td></tr></table></table>

            <i><li>an item in italics</li></i> and <b><dd>a definition</dd></b>

            <table>text in a table<tr>and in a row<td>a cell</td></tr></table>

            Control characters: \u{8}\u{1B}[0m\u{7F}\u{85}.
            """)
        let out = root.appendingPathComponent("dist")
        #expect(herald("build", post, "--out", out.path, "--formats", "html").status == 0)
        #expect(try await parseErrors([out.appendingPathComponent("site/raw/index.html")]) == [])
    }
}
