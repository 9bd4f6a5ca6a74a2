// herald.yml as a project's settings: a build needs no flags, flags win over the file, and
// mistakes in it are reported at their line and column.

import Foundation
import HeraldCore
import Testing

@Suite struct ProjectConfigTests {
    /// The built `herald` executable, run in `folder` as a user runs it there.
    func heraldProcess(_ arguments: [String], in folder: URL) throws -> Run {
        let binary = Paths.herald
        try #require(FileManager.default.isExecutableFile(atPath: binary.path), "build herald first (swift build)")
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Every file under `folder` with its bytes.
    func contents(_ folder: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for path in filesUnder(folder) { files[path] = try Data(contentsOf: folder.appendingPathComponent(path)) }
        return files
    }

    @Test func aBuildFromAFolderWithHeraldYmlNeedsNoFlags() throws {
        let project = try temporaryFolder("herald-project")
        defer { try? FileManager.default.removeItem(at: project) }
        try FileManager.default.copyItem(at: Paths.examples, to: project.appendingPathComponent("posts"))
        try writeFile(project, "herald.yml", """
            site:
              title: Lantern News
              base-url: https://news.example.org/
            posts: posts
            out: public
            email:
              from: Lantern News <news@example.org>
              to: [users@lists.example.org]
              list-unsubscribe: https://news.example.org/unsubscribe
            width: 66
            formats: [html, email]
            """)
        let run = try heraldProcess(["build"], in: project.appendingPathComponent("posts"))
        #expect(run.status == 0, "\(run.stderr)")
        let configured = try contents(project.appendingPathComponent("public"))
        #expect(configured.keys.contains("email/2026-10-community-update.eml"))
        #expect(!configured.keys.contains { $0.hasPrefix("epub/") })

        let flagged = try temporaryFolder("herald-flags")
        defer { try? FileManager.default.removeItem(at: flagged) }
        let byFlags = herald(
            "build", project.appendingPathComponent("posts").path, "--out", flagged.path, "--config", "/dev/null",
            "--title", "Lantern News", "--base-url", "https://news.example.org/", "--from", "Lantern News <news@example.org>",
            "--to", "users@lists.example.org", "--list-unsubscribe", "https://news.example.org/unsubscribe", "--width", "66",
            "--formats", "html,email")
        #expect(byFlags.status == 0, "\(byFlags.stderr)")
        let flaggedFiles = try contents(flagged)
        #expect(Set(flaggedFiles.keys) == Set(configured.keys))
        for (path, data) in configured where path != "manifest.json" {
            #expect(flaggedFiles[path] == data, "\(path) differs")
        }
    }

    @Test func flagsWinOverTheFile() throws {
        let folder = try temporaryFolder("herald-config")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try writeFile(folder, "herald.yml", "site:\n  title: From the file\n  base-url: https://file.example.org/\n")
        let out = folder.appendingPathComponent("out")
        let run = herald("build", Paths.examples.appendingPathComponent("2026-10-community-update.md").path, "--out", out.path, "--config", config, "--title", "From the flag")
        #expect(run.status == 0, "\(run.stderr)")
        let index = try String(contentsOf: out.appendingPathComponent("site/index.html"), encoding: .utf8)
        #expect(index.contains("From the flag") && !index.contains("From the file"))
        #expect(index.contains("https://file.example.org/"))
        // The JSON Feed backend is registered with the others and runs from the command line.
        let feed = try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("site/feed.json"))) as? [String: Any]
        #expect(feed?["version"] as? String == "https://jsonfeed.org/version/1.1")
        #expect(feed?["feed_url"] as? String == "https://file.example.org/feed.json")
        #expect((feed?["items"] as? [[String: Any]])?.first?["url"] as? String == "https://file.example.org/2026-10-community-update/")
    }

    @Test func anUnknownKeyIsAWarningWithTheClosestKey() throws {
        let folder = try temporaryFolder("herald-config")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try writeFile(folder, "herald.yml", "site:\n  title: T\n  base-ulr: https://x.example.org/\nchekc:\n  disable: []\n")
        let run = herald("check", Paths.examples.appendingPathComponent("2026-10-community-update.md").path, "--config", config)
        #expect(run.stderr.contains("\(config):3:3: warning: unknown key 'site.base-ulr'; did you mean 'site.base-url'? [config-unknown-key]"), "\(run.stderr)")
        #expect(run.stderr.contains("\(config):4:1: warning: unknown key 'chekc'; did you mean 'check'? [config-unknown-key]"), "\(run.stderr)")
        #expect(run.status == 0)
    }

    @Test(arguments: [
        ("width: wide\n", "1:8: error: width must be a whole number [config-invalid]"),
        ("site: [a, b]\n", "1:7: error: site must be a mapping"),
        ("email:\n  to: {a: b}\n", "2:7: error: email.to must be a string or a list of strings [config-invalid]"),
        ("flavor: markdown\n", "1:9: error: flavor must be one of commonmark, gfm, herald"),
        ("flowed: maybe\n", "1:9: error: flowed must be true or false [config-invalid]"),
        ("site:\n  title: [\n", "error: invalid YAML"),
        ("site:\n  base-url: example.org\n", "2:3: error: base URL 'example.org' is not an absolute http(s) address"),
        ("formats: [html, pdf]\n", "1:1: error: unknown format 'pdf'"),
    ])
    func aWrongValueIsAnErrorAtItsPlace(_ text: String, _ expected: String) throws {
        let folder = try temporaryFolder("herald-config")
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = try writeFile(folder, "herald.yml", text)
        let run = herald("build", Paths.examples.path, "--out", folder.appendingPathComponent("out").path, "--config", config)
        #expect(run.status == 1)
        #expect(run.stderr.contains(config + ":" + expected) || (!expected.first!.isNumber && run.stderr.contains(expected)), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("out").path))
    }

    @Test func withoutABaseURLNothingSaysLocalhost() throws {
        let out = try temporaryFolder("herald-nobase")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = herald("build", Paths.examples.path, "--out", out.path, "--config", "/dev/null", "--from", "a@example.org", "--to", "b@example.org")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.components(separatedBy: "[no-base-url]").count == 2, "said once: \(run.stderr)")
        for path in filesUnder(out) {
            let text = String(decoding: try Data(contentsOf: out.appendingPathComponent(path)), as: UTF8.self)
            #expect(!text.contains("localhost"), "\(path)")
        }
        #expect(!filesUnder(out).contains("site/atom.xml"))
        let mail = try String(contentsOf: out.appendingPathComponent("email/2026-10-community-update.txt"), encoding: .utf8)
        #expect(mail.contains("You are receiving Herald.") && !mail.contains("Read this issue on the web"))
    }

    @Test func formatsChooseTheBackends() throws {
        let out = try temporaryFolder("herald-formats")
        defer { try? FileManager.default.removeItem(at: out) }
        let run = herald("build", Paths.examples.path, "--out", out.path, "--config", "/dev/null", "--formats", "email")
        #expect(run.status == 0, "\(run.stderr)")
        #expect(filesUnder(out).allSatisfy { $0.hasPrefix("email/") || $0 == "manifest.json" }, "\(filesUnder(out))")
        #expect(filesUnder(out).contains("email/2026-10-community-update.txt"))
    }

    @Test func oneMissingFileOneMessageInEveryCommand() throws {
        let out = try temporaryFolder("herald-missing")
        defer { try? FileManager.default.removeItem(at: out) }
        let missing = "/nonexistent/post.md"
        let expected = "\(missing): error: cannot read: no such file or directory [read-failed]"
        for arguments in [
            ["render", missing], ["build", missing, "--out", out.path], ["email", missing, "--from", "a@b.org", "--to", "c@d.org"],
            ["epub", missing, "-o", out.appendingPathComponent("b.epub").path], ["translate", missing, "--to", "zh"], ["check", missing],
        ] {
            let run = herald(arguments + ["--config", "/dev/null"])
            #expect(run.status != 0, "\(arguments)")
            #expect(run.stderr.contains(expected), "\(arguments): \(run.stderr)")
        }
    }

    @Test(arguments: [("ZH", "zh"), ("zh-cn", "zh-CN"), ("zh_tw", "zh-TW"), ("zh-hant", "zh-Hant"), ("EN", "en")])
    func languageTagsAreWrittenInTheirUsualCase(_ given: String, _ canonical: String) {
        #expect(LanguageTags.canonical(given) == canonical)
    }

    @Test func anUnknownLanguageIsRefused() throws {
        let folder = try temporaryFolder("herald-lang")
        defer { try? FileManager.default.removeItem(at: folder) }
        let post = try writeFile(folder, "post.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\nText.\n")
        let run = herald("translate", post, "--to", "klingon", "--config", "/dev/null")
        #expect(run.status == 1)
        #expect(run.stderr.contains("'klingon' is not a language Herald knows"), "\(run.stderr)")
        let upper = herald("translate", post, "--to", "ZH", "--config", "/dev/null")
        #expect(upper.status == 0, "\(upper.stderr)")
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("post.zh.md").path))
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("post.ZH.md").path))
    }

    @Test func aMisspeltCommandGetsASuggestion() {
        let run = herald("biuld", "posts")
        #expect(run.status != 0)
        #expect(run.stderr.contains("unknown command 'biuld'; did you mean 'build'?"), "\(run.stderr)")
    }

    @Test func translatingIntoAReadOnlyFolderSaysWhyInPlainWords() throws {
        let folder = try temporaryFolder("herald-readonly")
        defer { try? FileManager.default.removeItem(at: folder) }
        let post = try writeFile(folder, "post.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\nText.\n")
        // A stub path under a file cannot be created, as root too.
        let blocker = try writeFile(folder, "x", "")
        let run = herald("translate", post, "--to", "zh", "--format", "po", "-o", blocker + "/t.po", "--config", "/dev/null")
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(blocker)/t.po: error: cannot write: not a directory [write-failed]"), "\(run.stderr)")
        #expect(!run.stderr.contains("Domain"))
    }
}
