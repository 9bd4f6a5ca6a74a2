// Bad input: every broken post gets a clear diagnostic with a place, never a crash, and one bad
// post never stops the others.

import Foundation
import Testing

struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    var bytes: [UInt8]
    /// The diagnostic id expected.
    var id: String
    /// `LINE:COL` expected in the diagnostic.
    var place: String
    /// Whether the post is still built (a warning) or not (an error).
    var builds: Bool

    var testDescription: String { name }

    init(_ name: String, _ text: String, id: String, place: String, builds: Bool) {
        self.init(name, Array(text.utf8), id: id, place: place, builds: builds)
    }

    init(_ name: String, _ bytes: [UInt8], id: String, place: String, builds: Bool) {
        self.name = name
        self.bytes = bytes
        self.id = id
        self.place = place
        self.builds = builds
    }

    static let all: [BadInput] = [
        BadInput("broken-yaml", "---\ntitle: \"unclosed\ndate: 2020-01-01\n---\n\nBody.\n", id: "front-matter-yaml", place: ":2:8:", builds: false),
        BadInput("unterminated", "---\ntitle: Never closed\ndate: 2020-01-01\n\nBody.\n", id: "front-matter-unterminated", place: ":1:1:", builds: false),
        BadInput("missing-title", "---\ndate: 2020-01-01\n---\n\nBody.\n", id: "missing-title", place: ":1:1:", builds: true),
        BadInput("invalid-date", "---\ntitle: T\ndate: 2019-13-45\n---\n\nBody.\n", id: "invalid-date", place: ":3:7:", builds: false),
        BadInput(
            "invalid-utf8", Array("---\ntitle: T\ndate: 2020-01-01\n---\n\n中文".utf8) + [0xFF] + Array(" tail\n".utf8),
            id: "invalid-utf8", place: ":6:3:", builds: false),
        BadInput("bom", [0xEF, 0xBB, 0xBF] + Array("---\ntitle: T\ndate: 2020-01-01\n---\n\nBody.\n".utf8), id: "byte-order-mark", place: ":1:1:", builds: true),
        BadInput("empty", "", id: "empty-file", place: "", builds: false),
        BadInput("binary", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D], id: "binary-file", place: "", builds: false),
        BadInput("utf16", [0xFF, 0xFE] + Array("-\0-\0-\0".utf8), id: "unsupported-encoding", place: "", builds: false),
    ]
}

@Suite struct BadInputTests {
    @Test(arguments: BadInput.all)
    func badPostIsReportedAndOthersStillBuild(_ input: BadInput) throws {
        let folder = try temporaryFolder("herald-bad")
        let bad = try writeFile(folder, "\(input.name).md", Data(input.bytes))
        try writeFile(folder, "good.md", "---\ntitle: Good\ndate: 2020-02-02\n---\n\nFine.\n")
        let out = try temporaryFolder("herald-out")
        let run = herald("build", folder.path, "--out", out.path)

        let line = try #require(run.stderr.split(separator: "\n").first { $0.contains("[\(input.id)]") }, "stderr: \(run.stderr)")
        #expect(line.hasPrefix(bad + input.place), "\(line)")
        #expect(line.contains(input.builds ? ": warning: " : ": error: "))
        #expect(filesUnder(out).contains("site/good/index.html"))
        #expect(filesUnder(out).contains("site/\(input.name)/index.html") == input.builds)
        #expect((run.status == 0) == input.builds, "\(run.stderr)")
        // Nothing half-written is left behind.
        #expect(!filesUnder(out).contains { $0.contains(".herald-") })
    }

    @Test func crlfLineEndingsBuildWithTheEditorsLineNumbers() throws {
        let folder = try temporaryFolder("herald-crlf")
        let path = try writeFile(folder, "crlf.md", "---\r\ntitle: T\r\ndate: 2020-13-01\r\n---\r\n\r\nBody\r\n")
        let run = herald("render", path)
        #expect(run.stderr.contains(path + ":3:7: error:"), "\(run.stderr)")
        let fixed = try writeFile(folder, "ok.md", "---\r\ntitle: T\r\ndate: 2020-01-01\r\n---\r\n\r\nline one\r\nline two\r\n")
        let ok = herald("render", fixed)
        #expect(ok.status == 0)
        #expect(ok.stdout == "<p>line one\nline two</p>\n")
    }

    @Test func renderOfMissingFileIsAnError() {
        let run = herald("render", "/nonexistent.md")
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("/nonexistent.md: error: cannot read file"))
    }

    @Test func hostileNestingDoesNotCrash() {
        let deep = String(repeating: "> ", count: 20_000) + "deep\n\n" + String(repeating: "- ", count: 5_000) + "x\n\n" + String(repeating: "[", count: 50_000) + "\n"
        let run = herald(["render", "--to", "html"], input: deep)
        #expect(run.status == 0)
        #expect(run.stdout.contains("deep"))
        #expect(herald(["render", "--to", "ast"], input: deep).status == 0)
    }
}
