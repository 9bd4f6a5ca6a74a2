// `herald check` end to end: the real newsletter's defects at their places, the blog's
// findings per rule, output forms, configuration, translation stubs, and --online against a
// local HTTP server.

import Foundation
import HeraldCLI
import Testing

@Suite struct CheckTests {
    /// The defects of the August 2019 newsletter, found by reading it: every one reported, at its
    /// place, and nothing else.
    @Test(.enabled(if: Paths.hasCorpus, "needs ../shared/corpus"))
    func theNewsletterDefectsAreFoundWhereTheyAre() throws {
        let path = Paths.corpus.appendingPathComponent("this-month-in-tikv-2019-08.md").path
        let run = herald("check", path, "--format", "json")
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let found = Set(findings.map { "\($0["line"] ?? 0):\($0["column"] ?? 0) \($0["rule"] ?? "")" })
        let expected: Set<String> = [
            "65:122 url-malformed",  // https://.github.com/…
            "67:63 link-repo-mismatch",  // [pingcap/raft#249] → pingcap/raft-rs
            "67:63 link-number-mismatch",  // … → issues/136
            "70:25 link-number-mismatch",  // [#5497] → pull/5407
            "85:11 link-glued",  // [@hicqu]has
            "94:21 reference-undefined",  // [Connor1996], defined as [@connor1996]
            "130:1 reference-unused",  // [@akunds1], a misspelling of aknuds1
            "130:1 mention-mismatch",  // [@akunds1] → github.com/aknuds1
            "136:1 reference-duplicate",  // [@hoverbear] twice
            "155:1 reference-unused",  // [@connor1996], used as [Connor1996]
            "159:1 reference-unused",  // [@youjiali1995]
        ]
        #expect(found == expected, "missing: \(expected.subtracting(found)), unexpected: \(found.subtracting(expected))")
        #expect(run.status == 0)
        #expect(herald("check", path, "--strict").status == 1)
    }

    /// All 50 blog posts: no crash, and the findings per rule as reviewed (each one was read
    /// in the post: all real defects).
    @Test(.enabled(if: Paths.hasCorpus, "needs ../shared/corpus"))
    func theBlogIsCheckedAndTheFindingsAreTheReviewedOnes() throws {
        let run = herald("check", Paths.corpus.appendingPathComponent("tikv-blog").path, "--format", "json")
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        var perRule: [String: Int] = [:]
        for finding in findings { perRule[finding["rule"] as? String ?? "?", default: 0] += 1 }
        print("herald check on tikv-blog, findings per rule:", perRule.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))
        #expect(perRule == [
            "reference-unused": 34, "reference-duplicate": 9, "link-number-mismatch": 6, "mention-mismatch": 4,
            "link-missing-file": 3, "reference-undefined": 2, "url-malformed": 1, "link-repo-mismatch": 1,
            "link-missing-anchor": 1, "link-glued": 1, "heading-skip": 1,
        ])
    }

    @Test func aTerminalGetsTheLineAndACaret() throws {
        let folder = try temporaryFolder("herald-check")
        let path = try writeFile(folder, "p.md", "---\ntitle: T\ndate: 2020-01-01\n---\n中文 [link](https://.bad.org) end\n")
        let console = Console.capturing(errorIsTerminal: true)
        let status = Herald.run(["check", path], console: console)
        #expect(status == 0)
        #expect(console.stderr.contains("\(path):5:11: warning: "))
        // The caret sits under the address; the two Chinese characters take two columns each.
        #expect(console.stderr.contains("    中文 [link](https://.bad.org) end\n" + String(repeating: " ", count: 4 + 12) + "^\n"))
    }

    @Test func errorsFailAndRulesCanBeExplainedListedAndTurnedOff() throws {
        let folder = try temporaryFolder("herald-check")
        let path = try writeFile(folder, "p.md", "---\ntitle: T\ndate: 2020-01-01\n---\n[x](javascript:alert(1))\n\n## A\n\n#### B\n")
        let run = herald("check", path)
        #expect(run.status == 1)
        #expect(run.stderr.contains("error: javascript: link"))
        #expect(run.stderr.contains("[heading-skip]"))
        #expect(herald("check", "--explain", "heading-skip").stdout.hasPrefix("heading-skip (warning): "))
        #expect(herald("check", "--list-rules").stdout.split(separator: "\n").count >= 23)
        #expect(!herald("check", path, "--disable", "heading-skip").stderr.contains("[heading-skip]"))
        let config = try writeFile(folder, "herald.yml", "check:\n  disable: [heading-skip, url-javascript]\n")
        let configured = herald("check", path, "--config", config)
        #expect(configured.status == 0)
        #expect(!configured.stderr.contains("[heading-skip]") && !configured.stderr.contains("[url-javascript]"))
        // A project can make a warning an error (to stop CI on it) or an error a warning.
        let severities = try writeFile(folder, "severities.yml", "check:\n  errors: [heading-skip]\n  warnings: [url-javascript]\n")
        let run2 = herald("check", path, "--config", severities)
        #expect(run2.status == 1)
        #expect(run2.stderr.contains("error: level 4 heading after a level 2 heading (level 3 skipped) [heading-skip]"))
        #expect(run2.stderr.contains("warning: javascript: link"), "\(run2.stderr)")
        let both = try writeFile(folder, "both.yml", "check:\n  errors: [heading-skip]\n  warnings: [heading-skip]\n")
        #expect(herald("check", path, "--config", both).stderr.contains("heading-skip is in both check.errors and check.warnings [config-invalid]"))
    }

    @Test func commentsSilenceRulesWhereTheEditorKnowsBetter() throws {
        let folder = try temporaryFolder("herald-check-comments")
        let body = [
            "<!-- herald-check disable-next-line link-number-mismatch -->",  // 5
            "Backported as [#5](https://github.com/o/r/pull/6).",  // 6: silenced
            "Also [#7](https://github.com/o/r/pull/8).",  // 7: reported
            "## Top",
            "<!-- herald-check disable heading-skip, link-glued -->",  // 9
            "#### Deep",  // 10: silenced
            "[a](https://e.org)b",  // 11: silenced
            "<!-- herald-check enable link-glued -->",  // 12
            "[a](https://e.org)c",  // 13: reported
            "",
            "<!-- herald-check disable-next-line -->",  // 15
            "[x](javascript:void(0)) [#1](https://github.com/o/r/pull/2)",  // 16: all silenced
            "<!-- herald-check disable no-such-rule -->",  // 17
            "<!-- herald-check silence -->",  // 18
        ].joined(separator: "\n") + "\n"
        let path = try writeFile(folder, "p.md", "---\ntitle: T\ndate: 2020-01-01\n---\n" + body)
        let run = herald("check", path, "--format", "json")
        let findings = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [[String: Any]])
        let found = findings.map { "\($0["line"] ?? 0):\($0["column"] ?? 0) \($0["rule"] ?? "")" }.sorted()
        #expect(found == ["13:19 link-glued", "17:1 unknown-rule", "18:1 unknown-rule", "7:6 link-number-mismatch"], "\(found)")
        #expect(run.status == 0)
    }

    /// An editor checks the buffer it has not saved: the post on standard input, named and
    /// placed by --stdin-name so relative links are checked beside it.
    @Test func standardInputIsCheckedAsTheNamedFile() throws {
        let folder = try temporaryFolder("herald-check-stdin")
        try writeFile(folder, "present.md", "---\ntitle: P\n---\n\n## Part\n")
        let name = folder.appendingPathComponent("draft.md").path
        let post = "---\ntitle: T\ndate: 2020-01-01\n---\n[a](present.md#part), [b](present.md#gone) and [c][d]\n"
        let console = Console.capturing(input: Data(post.utf8), errorIsTerminal: true)
        let status = Herald.run(["check", "-", "--stdin-name", name], console: console)
        #expect(status == 0)
        #expect(console.stderr.contains("\(name):5:27: warning: present.md has no heading or element with the id 'gone' [link-missing-anchor]"), "\(console.stderr)")
        #expect(console.stderr.contains("\(name):5:48: warning: [d] is used as a reference link"))
        #expect(!console.stderr.contains("id 'part'"))
        // The caret shows the line from standard input.
        #expect(console.stderr.contains("    [a](present.md#part), [b](present.md#gone) and [c][d]\n"))
    }

    /// Front matter with an error still has its body checked: one run shows everything to fix.
    @Test(arguments: [
        ("date: 2019-02-30", "3:7: error: invalid date", "invalid-date"),
        ("date: [2019", "4:1: error: invalid YAML", "front-matter-yaml"),
    ])
    func aFrontMatterErrorDoesNotHideTheBody(_ line: String, _ place: String, _ rule: String) throws {
        let folder = try temporaryFolder("herald-check-front")
        let path = try writeFile(folder, "p.md", "---\ntitle: T\n\(line)\n---\nFixed [#1](https://github.com/a/b/pull/2).\n")
        let run = herald("check", path)
        #expect(run.status == 1)
        #expect(run.stderr.contains("p.md:\(place)") && run.stderr.contains("[\(rule)]"), "\(run.stderr)")
        #expect(run.stderr.contains("p.md:5:7: warning: the text names #1 but the address points at #2 [link-number-mismatch]"), "\(run.stderr)")
        // A build still refuses the post.
        #expect(herald("build", path, "--out", folder.appendingPathComponent("out").path).status == 1)
    }

    @Test func gitHubActionsGetAnnotations() throws {
        let folder = try temporaryFolder("herald-check-github")
        let path = try writeFile(folder, "p,1.md", "---\ntitle: T\ndate: 2020-01-01\n---\nSee [x](javascript:alert(1)) and [#5](https://github.com/o/r/pull/6).\n\n[y](https://.e.org/100%)\n")
        let run = herald("check", path, "--format", "github")
        #expect(run.status == 1)
        let file = path.replacingOccurrences(of: ",", with: "%2C").replacingOccurrences(of: ":", with: "%3A")
        let lines = run.stdout.split(separator: "\n").map(String.init)
        #expect(lines == [
            "::error file=\(file),line=5,col=9,title=url-javascript::javascript: link: it runs code, and every output removes it",
            "::warning file=\(file),line=5,col=34,title=link-number-mismatch::the text names #5 but the address points at #6",
            "::warning file=\(file),line=7,col=5,title=url-malformed::'https://.e.org/100%25' is not a usable address (its host is empty or malformed)",
        ])
    }

    @Test func buildPrintsTheChecksAsWarningsUnlessToldNotTo() throws {
        let folder = try temporaryFolder("herald-check-build")
        let path = try writeFile(folder, "p.md", "---\ntitle: T\ndate: 2020-01-01\n---\nSee [x](javascript:alert(1)) and [missing][].\n\n## A\n\n#### B\n")
        let out = folder.appendingPathComponent("out").path
        let run = herald("build", path, "--out", out)
        // A check's error is only a warning in a build: the post is built.
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.contains("\(path):5:9: warning: javascript: link"), "\(run.stderr)")
        #expect(run.stderr.contains("[reference-undefined]") && run.stderr.contains("[heading-skip]"))
        #expect(FileManager.default.fileExists(atPath: out + "/site/p/index.html"))
        let config = try writeFile(folder, "herald.yml", "check:\n  disable: [heading-skip]\n")
        let configured = herald("build", path, "--out", out, "--config", config)
        #expect(!configured.stderr.contains("[heading-skip]") && configured.stderr.contains("[reference-undefined]"))
        let unchecked = herald("build", path, "--out", out, "--no-check")
        #expect(!unchecked.stderr.contains("[reference-undefined]") && !unchecked.stderr.contains("[url-javascript]"))
        let badConfig = try writeFile(folder, "bad.yml", "check:\n  disable: {heading-skip: yes}\n")
        let refused = herald("build", path, "--out", out, "--config", badConfig)
        #expect(refused.status == 1 && refused.stderr.contains("bad.yml:2:12: error: check.disable must be a string or a list of strings [config-invalid]"))
    }

    @Test func stubsReportUntranslatedAndStaleSegments() throws {
        let folder = try temporaryFolder("herald-check-stub")
        let post = try writeFile(folder, "p.md", "---\ntitle: T\ndate: 2020-01-01\n---\n\nOne paragraph here.\n\nTwo.\n")
        #expect(herald("translate", post, "--to", "zh").status == 0)
        let stubPath = folder.appendingPathComponent("p.zh.md").path
        var stub = try String(contentsOfFile: stubPath, encoding: .utf8)
        let lines = stub.components(separatedBy: "\n")
        let close = try #require(lines.firstIndex(of: "-->"))
        stub = (lines[...close] + ["第一段。"] + lines[(close + 2)...]).joined(separator: "\n")
        try stub.write(toFile: stubPath, atomically: true, encoding: .utf8)
        try "---\ntitle: T\ndate: 2020-01-01\n---\n\nOne paragraph here, changed.\n\nTwo.\n".write(toFile: post, atomically: true, encoding: .utf8)
        let run = herald("check", stubPath)
        #expect(run.stderr.contains("[translation-stale]"), "\(run.stderr)")
        #expect(run.stderr.contains("[translation-untranslated]"))
        // The untranslated title is a segment like the others, not a missing title.
        #expect(!run.stderr.contains("[missing-title]"))
        // Each finding is at the segment's id in the stub.
        let stubLines = try String(contentsOfFile: stubPath, encoding: .utf8).components(separatedBy: "\n")
        for finding in run.stderr.split(separator: "\n") where finding.hasSuffix("[translation-stale]") || finding.hasSuffix("[translation-untranslated]") {
            let place = try #require(finding.dropFirst(stubPath.count + 1).wholeMatch(of: /(\d+):(\d+): .*/))
            let line = stubLines[Int(place.1)! - 1]
            let marked = line.dropFirst(Int(place.2)! - 1)
            #expect(marked.hasPrefix("<!-- herald:") || marked.hasPrefix("id: "), "\(finding) points at '\(line)'")
        }
    }
}

@Suite(.serialized) struct OnlineCheckTests {
    /// A local HTTP server: /ok answers 200, /missing 404, /get-only refuses HEAD, /flaky fails
    /// once with 503. Every request is logged to `log`.
    func startServer(_ folder: URL) throws -> (Process, Int) {
        let script = """
            import http.server, os, socketserver, sys, threading, time
            folder = sys.argv[1]
            seen = set()
            limited = []
            class Handler(http.server.BaseHTTPRequestHandler):
                def log_message(self, *args): pass
                def answer(self, method):
                    with open(os.path.join(folder, "log"), "a") as f: f.write(method + " " + self.path + "\\n")
                    status = 200
                    if self.path == "/missing": status = 404
                    elif self.path == "/get-only" and method == "HEAD": status = 405
                    elif self.path == "/flaky" and "flaky" not in seen:
                        seen.add("flaky"); status = 503
                    elif self.path == "/limited":
                        # Rate limited: a second request sooner than the Retry-After second is refused again.
                        limited.append(time.monotonic())
                        if len(limited) == 1 or limited[-1] - limited[0] < 1.0: status = 429
                    self.send_response(status)
                    if status == 429: self.send_header("Retry-After", "1")
                    self.send_header("Content-Length", "0"); self.end_headers()
                def do_HEAD(self): self.answer("HEAD")
                def do_GET(self): self.answer("GET")
            server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
            # A port nothing listens on, for addresses that cannot be reached.
            import socket
            probe = socket.socket(); probe.bind(("127.0.0.1", 0)); closed = probe.getsockname()[1]; probe.close()
            with open(os.path.join(folder, "closed"), "w") as f: f.write(str(closed))
            with open(os.path.join(folder, "port.tmp"), "w") as f: f.write(str(server.server_address[1]))
            os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
            threading.Timer(120, server.shutdown).start()
            server.serve_forever()
            """
        return try Python.startServer(script, in: folder)
    }

    @Test(.enabled(if: Python.present, "needs /usr/bin/python3"))
    func externalLinksAreFollowedOnceAndCached() throws {
        let folder = try temporaryFolder("herald-online")
        let (server, port) = try startServer(folder)
        defer { server.terminate() }
        try #require(port > 0)
        let base = "http://127.0.0.1:\(port)"
        let post = try writeFile(folder, "p.md", """
            ---
            title: T
            date: 2020-01-01
            ---
            [ok](\(base)/ok) [gone](\(base)/missing) [get](\(base)/get-only) [flaky](\(base)/flaky) [again](\(base)/ok) [limited](\(base)/limited)
            """)
        let cache = folder.appendingPathComponent("links.json").path
        let first = herald("check", post, "--online", "--cache", cache, "--per-host-delay", "10", "--concurrency", "2")
        #expect(first.stderr.contains("p.md:5:"))
        #expect(first.stderr.contains("\(base)/missing answered 404 [url-unreachable]"))
        #expect(first.stderr.components(separatedBy: "[url-unreachable]").count - 1 == 1, "\(first.stderr)")
        let log = try String(contentsOf: folder.appendingPathComponent("log"), encoding: .utf8)
        #expect(log.contains("HEAD /get-only\nGET /get-only") || (log.contains("HEAD /get-only") && log.contains("GET /get-only")))
        #expect(log.components(separatedBy: "/ok\n").count - 1 == 1, "one request for an address used twice")
        #expect(log.components(separatedBy: "/flaky\n").count - 1 >= 2, "the 503 was retried")
        // The 429 was retried after the second its Retry-After asked for, and then answered.
        #expect(log.components(separatedBy: "/limited\n").count - 1 == 2, "\(log)")

        // The second run asks again only about the address that failed: the good answers are in
        // the cache.
        let second = herald("check", post, "--online", "--cache", cache, "--per-host-delay", "10")
        #expect(second.stderr.contains("(2 requests"), "\(second.stderr)")
        #expect(second.stderr.contains("\(base)/missing answered 404"))
        let secondLog = try String(contentsOf: folder.appendingPathComponent("log"), encoding: .utf8)
        #expect(secondLog.dropFirst(log.count) == "HEAD /missing\nGET /missing\n")

        // A server that cannot be reached is tried (with its retries) for the first address
        // only; the other addresses on it fail at once.
        let closed = try String(contentsOf: folder.appendingPathComponent("closed"), encoding: .utf8)
        let down = "http://127.0.0.1:\(closed)"
        let unreachable = try writeFile(folder, "down.md", "---\ntitle: T\ndate: 2020-01-01\n---\n[a](\(down)/a) [b](\(down)/b) [c](\(down)/c) [ok](\(base)/ok)\n")
        let third = herald("check", unreachable, "--online", "--cache", folder.appendingPathComponent("down.json").path, "--concurrency", "1", "--per-host-delay", "10")
        // Said once for the host (offline, every link would be a warning), at its first link.
        #expect(third.stderr.components(separatedBy: "could not be reached").count - 1 == 1, "\(third.stderr)")
        #expect(third.stderr.contains("down.md:5:") && third.stderr.contains("; 2 more links to 127.0.0.1 not checked [url-unreachable]"), "\(third.stderr)")
        #expect(third.stderr.contains("(4 requests)"), "3 tries of the first address on the closed port, 1 of /ok: \(third.stderr)")
        // The first run answered nothing from a cache, and failures are not kept in one.
        #expect(!first.stderr.contains("answered by") && second.stderr.contains("answered by"))
        let kept = try String(contentsOf: folder.appendingPathComponent("down.json"), encoding: .utf8)
        #expect(kept.contains("/ok") && !kept.contains(down))
    }
}
