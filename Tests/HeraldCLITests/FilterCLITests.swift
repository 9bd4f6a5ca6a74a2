// External filters from the command line: the example filter changes what every output says,
// and a filter that fails, lies or hangs is named, and its post is not published.

import Foundation
import Testing

@Suite struct FilterCLITests {
    static let example = Paths.examples.appendingPathComponent("filters/github-mentions.py").path
    static let hasPython = FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")

    func post(_ folder: URL) throws -> String {
        try writeFile(folder, "post.md", "---\ntitle: Thanks\ndate: 2020-01-01\n---\n\nThanks to @octocat for the fix.\n")
    }

    @Test(.enabled(if: hasPython)) func theExampleFilterChangesEveryOutput() async throws {
        let folder = try temporaryFolder("herald-filter")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try post(folder)
        let out = folder.appendingPathComponent("out")
        let run = await heraldOnOwnThread("build", path, "--out", out.path, "--config", "/dev/null", "--filter", "python3 " + Self.example, "--base-url", "https://news.example.org/")
        #expect(run.status == 0, "\(run.stderr)")
        let page = try String(contentsOf: out.appendingPathComponent("site/post/index.html"), encoding: .utf8)
        #expect(page.contains("<a href=\"https://github.com/octocat\">@octocat</a>"), "\(page)")
        let text = try String(contentsOf: out.appendingPathComponent("email/post.txt"), encoding: .utf8)
        #expect(text.contains("https://github.com/octocat"))
        // The same through herald.yml, run from the file's folder.
        try FileManager.default.copyItem(atPath: Self.example, toPath: folder.appendingPathComponent("mentions.py").path)
        let config = try writeFile(folder, "herald.yml", "filters: [python3 mentions.py]\n")
        let rendered = await heraldOnOwnThread("render", path, "--config", config)
        #expect(rendered.stdout.contains("https://github.com/octocat"), "\(rendered.stderr)")
    }

    @Test(arguments: [
        ("exit 3", "failed with exit status 3"),
        ("echo '{not json'", "wrote invalid JSON"),
        ("echo '{\"herald_ast_version\": 99}'", "another version"),
        ("sleep 60", "did not answer within"),
    ])
    func aBadFilterIsNamedAndItsPostIsNotPublished(_ command: String, _ message: String) async throws {
        let folder = try temporaryFolder("herald-filter")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try post(folder)
        let config = try writeFile(folder, "herald.yml", "filters:\n  - >-\n    \(command)\nfilter-timeout: 1\n")
        let out = folder.appendingPathComponent("out")
        let run = await heraldOnOwnThread("build", path, "--out", out.path, "--config", config)
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(path): error: filter '\(command)'"), "\(run.stderr)")
        #expect(run.stderr.contains(message), "\(run.stderr)")
        #expect(!filesUnder(out).contains { $0.contains("post") }, "\(filesUnder(out))")
        #expect(run.elapsed < .seconds(20))
    }
}
