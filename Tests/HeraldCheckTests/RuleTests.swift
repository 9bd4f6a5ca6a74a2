// Every rule of `herald check`, with cases that must fire (at the right place) and cases that
// must not.

import Foundation
@testable import HeraldCheck
import HeraldCore
import HeraldMarkdown
import Testing

struct RuleCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var body: String
    /// `LINE:COL` where the finding must be, counted in the whole file (front matter is 4 lines),
    /// or nil when the rule must stay quiet.
    var place: String?
    var frontMatter = "title: T\ndate: 2020-01-01"

    var testDescription: String { "\(rule) \(place == nil ? "quiet" : "fires at \(place!)"): \(body.prefix(40))" }

    static func fires(_ rule: String, at place: String, _ body: String, frontMatter: String = "title: T\ndate: 2020-01-01") -> RuleCase {
        RuleCase(rule: rule, body: body, place: place, frontMatter: frontMatter)
    }

    static func quiet(_ rule: String, _ body: String, frontMatter: String = "title: T\ndate: 2020-01-01") -> RuleCase {
        RuleCase(rule: rule, body: body, place: nil, frontMatter: frontMatter)
    }
}

// With two front matter keys, the body starts on line 5 ("---", 2 keys, "---", body).
let ruleCases: [RuleCase] = [
    .fires("missing-title", at: "1:1", "Text.\n", frontMatter: "date: 2020-01-01"),
    .quiet("missing-title", "Text.\n"),
    .fires("missing-date", at: "1:1", "Text.\n", frontMatter: "title: T"),
    .fires("invalid-date", at: "3:7", "Text.\n", frontMatter: "title: T\ndate: 2020-02-30"),
    .fires("unknown-lang", at: "4:7", "Text.\n", frontMatter: "title: T\ndate: 2020-01-01\nlang: C"),
    .quiet("unknown-lang", "Text.\n", frontMatter: "title: T\ndate: 2020-01-01\nlang: zh-CN"),
    .fires("empty-tags", at: "4:1", "Text.\n", frontMatter: "title: T\ndate: 2020-01-01\ntags: []"),
    .quiet("empty-tags", "Text.\n", frontMatter: "title: T\ndate: 2020-01-01\ntags: [a]"),
    .fires("control-character", at: "5:5", "容灾能力\u{8}很强，\u{1B}[0m 见表\u{7F}。\n"),
    .fires("control-character", at: "5:4", "Ok \u{FFFE} then \u{85}.\n"),
    .quiet("control-character", "Tabs\tand\r\nline ends, \u{A0}no-break spaces, \u{200B} and 中文。\n"),
    .fires("reference-undefined", at: "5:5", "See [the docs][docs].\n"),
    .fires("reference-undefined", at: "5:8", "Thanks [@someone] for it.\n"),
    .fires("reference-undefined", at: "5:3", "* [Connor1996] and more\n\n[@connor1996]: https://github.com/connor1996\n"),
    .quiet("reference-undefined", "A [bracketed aside] and [x] and [^1] and [1].\n"),
    .quiet("reference-undefined", "See [docs] and [the docs][DOCS].\n\n[docs]: https://e.org\n"),
    .fires("reference-duplicate", at: "8:1", "See [a].\n\n[a]: https://e.org/1\n[A]: https://e.org/2\n"),
    .quiet("reference-duplicate", "See [a] and [b].\n\n[a]: https://e.org/1\n[b]: https://e.org/2\n"),
    .fires("reference-unused", at: "8:1", "See [a].\n\n[a]: https://e.org/1\n[b]: https://e.org/2\n"),
    .quiet("reference-unused", "See [A], [text][b] and [c][].\n\n[a]: https://e.org/1\n[b]: https://e.org/2\n[c]: https://e.org/3\n"),
    .fires("url-malformed", at: "5:10", "A [link](https://.example.org/x).\n"),
    .fires("url-malformed", at: "7:7", "See [a].\n\n[a]: <https://exa mple.org>\n"),
    .quiet("url-malformed", "A [link](https://example.org/x) and <https://example.org>.\n"),
    .fires("url-javascript", at: "5:14", "Click [here](javascript:alert(1)).\n"),
    .quiet("url-javascript", "Read [about JavaScript](https://example.org/javascript:).\n"),
    .fires("link-missing-file", at: "5:11", "See [the](other.md) post.\n"),
    .fires("link-missing-file", at: "5:11", "Join [us](hubs.ly/abc).\n"),
    .quiet("link-missing-file", "See [this](present.md#part), [site](/blog/), [web](https://e.org).\n"),
    .fires("link-missing-anchor", at: "5:13", "Jump [down](#nowhere).\n\n## Somewhere\n"),
    .fires("link-missing-anchor", at: "5:12", "See [that](present.md#nowhere).\n"),
    .quiet("link-missing-anchor", "See [this](present.md#part) and [that](present.md).\n"),
    .quiet("link-missing-anchor", "Jump [down](#somewhere), [note](#fn-1)[^1], [raw](#raw).\n\n## Somewhere\n\n<div id=\"raw\"></div>\n\n[^1]: Note.\n"),
    .fires("link-number-mismatch", at: "5:7", "Fixed [#5497](https://github.com/tikv/tikv/pull/5407).\n"),
    .quiet("link-number-mismatch", "Fixed [#5407](https://github.com/tikv/tikv/pull/5407) and [a PR](https://github.com/tikv/tikv/pull/1).\n"),
    .fires("link-repo-mismatch", at: "5:7", "Draft [pingcap/raft#136](https://github.com/pingcap/raft-rs/issues/136).\n"),
    .quiet("link-repo-mismatch", "Draft [pingcap/raft-rs#136](https://github.com/pingcap/raft-rs/issues/136).\n"),
    .fires("mention-mismatch", at: "5:8", "Thanks [@Isampras](https://github.com/lsampras).\n"),
    .fires("mention-mismatch", at: "7:1", "Thanks [@akunds1].\n\n[@akunds1]: https://github.com/aknuds1\n"),
    .quiet("mention-mismatch", "Thanks [@Fullstop000].\n\n[@fullstop000]: https://github.com/Fullstop000/\n"),
    .fires("link-glued", at: "5:11", "* [@hicqu]has led it.\n\n[@hicqu]: https://github.com/hicqu\n"),
    .quiet("link-glued", "[@hicqu]'s work, [链接](https://e.org)的说明, and [a](https://e.org).\n\n[@hicqu]: https://github.com/hicqu\n"),
    .fires("heading-skip", at: "7:1", "## Two\n\n#### Four\n"),
    .quiet("heading-skip", "## Two\n\n### Three\n\n## Two again\n\n### Three again\n"),
    .fires("heading-empty", at: "5:1", "##\n\nText.\n"),
    .fires("heading-duplicate-id", at: "9:1", "## News\n\nText.\n\n## News\n"),
    .quiet("heading-duplicate-id", "## News\n\n## Views\n"),
    .fires("image-missing", at: "5:8", "![Cat](missing.png)\n"),
    .fires("image-missing", at: "5:8", "![Cat](../../etc/passwd)\n"),
    .quiet("image-missing", "![Cat](present.png) ![Remote](https://e.org/c.png)\n"),
    .fires("image-alt", at: "5:1", "![](present.png)\n"),
    .quiet("image-alt", "![A cat](present.png)\n"),
]

@Suite struct RuleTests {
    @Test(arguments: ruleCases)
    func rule(_ test: RuleCase) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data([0x89, 0x50, 0x4E, 0x47]).write(to: folder.appendingPathComponent("present.png"))
        try Data("---\ntitle: P\n---\n\n## Part\n".utf8).write(to: folder.appendingPathComponent("present.md"))
        let path = folder.appendingPathComponent("post.md").path
        let text = "---\n\(test.frontMatter)\n---\n" + test.body
        let findings = try checked(text, path: path).filter { $0.id.rawValue == test.rule }
        if let place = test.place {
            let finding = try #require(findings.first, "\(test.rule) did not fire")
            #expect(finding.location.map { "\($0.line):\($0.column)" } == place, "\(finding)")
            #expect(findings.count == 1, "\(findings)")
        } else {
            #expect(findings.isEmpty, "\(findings)")
        }
    }

    @Test func everyRuleHasCasesThatFireAndCasesThatDoNot() {
        let skipped: Set<String> = ["translation-untranslated", "translation-stale", "url-unreachable"]  // tested with their features
        for rule in CheckRules.all where !skipped.contains(rule.id) {
            #expect(ruleCases.contains { $0.rule == rule.id && $0.place != nil }, "\(rule.id) has no firing case")
        }
        #expect(Set(CheckRules.all.map(\.id)).count == CheckRules.all.count)
    }

    @Test func disabledRulesStayQuiet() throws {
        let text = "---\ntitle: T\ndate: 2020-01-01\n---\n\n## A\n\n#### B\n"
        #expect(try checked(text, path: "/tmp/p.md").contains { $0.id == "heading-skip" })
        #expect(try !checked(text, path: "/tmp/p.md", linter: Linter(disabled: ["heading-skip"])).contains { $0.id == "heading-skip" })
    }

    /// The findings for `text` as the post at `path`, read as `herald check` reads posts.
    func checked(_ text: String, path: String, linter: Linter = Linter()) throws -> [Diagnostic] {
        let pipeline = Pipeline(parser: MarkdownParser(readsBodyAfterFrontMatterErrors: true), includeDrafts: true)
        return linter.check(try pipeline.parse(Pipeline.Input(path: path, bytes: Array(text.utf8))))
    }
}

/// The shapes the link rules read, one by one.
@Suite struct ReferenceShapeTests {
    @Test(arguments: [
        ("#123", nil, "123"), ("tikv/tikv#5497", "tikv/tikv", "5497"), ("pingcap/raft-rs#1", "pingcap/raft-rs", "1"),
        ("a.b/c_d#9", "a.b/c_d", "9"),
    ] as [(String, String?, String)])
    func issueReferences(_ text: String, _ repository: String?, _ number: String) throws {
        let reference = try #require(IssueReference(text: text))
        #expect(reference.repository.map { "\($0.owner)/\($0.name)" } == repository)
        #expect(reference.number == number)
    }

    @Test(arguments: ["#", "#12a", "issue #12", "a/b/c#1", "/b#1", "#١٢", "PR 12", String(repeating: "a", count: 300) + "#1"])
    func notIssueReferences(_ text: String) {
        #expect(IssueReference(text: text) == nil)
    }

    @Test func gitHubAddresses() throws {
        let pull = try #require(GitHubIssueAddress("https://github.com/tikv/tikv/pull/5407#discussion_r1"))
        #expect((pull.owner, pull.repository, pull.number) == ("tikv", "tikv", "5407"))
        let issue = try #require(GitHubIssueAddress("HTTP://www.GitHub.com/pingcap/raft-rs/issues/136/"))
        #expect((issue.owner, issue.repository, issue.number) == ("pingcap", "raft-rs", "136"))
        for address in ["https://github.com/tikv/tikv", "https://github.com/tikv/tikv/commit/abc", "https://gitlab.com/a/b/pull/1",
            "https://github.com/tikv/tikv/pull/", "https://github.com.evil.org/a/b/pull/1", "github.com/a/b/pull/1"]
        {
            #expect(GitHubIssueAddress(address) == nil, "\(address)")
        }
    }

    @Test func profiles() {
        #expect(profileName(of: "https://github.com/aknuds1") == "aknuds1")
        #expect(profileName(of: "https://www.github.com/Fullstop000/") == "Fullstop000")
        #expect(profileName(of: "https://x.com/someone") == "someone")
        #expect(profileName(of: "https://github.com/tikv/tikv") == nil)
        #expect(profileName(of: "https://github.com/a?tab=repositories") == nil)
        #expect(profileName(of: "https://example.org/someone") == nil)
        #expect(profileName(of: "HTTPS://GitHub.COM/Someone") == "Someone")
        #expect(profileName(of: "https://WWW.gitlab.com/名前/") == "名前")
        for address in ["https://github.com", "https://github.com/", "https://gïthub.com/a", "ftp://github.com/a", "https:/github.com/a"] {
            #expect(profileName(of: address) == nil, "\(address)")
        }
    }
}

@Suite struct SimilarLabelsTests {
    /// The first labels asked about are compared with every definition, the later ones looked
    /// up in the index: both ways name the same definition (or none), for labels one edit apart,
    /// with and without `@`, and longer than the index takes.
    @Test func comparingAndIndexingFindTheSameLabel() {
        var random = SystemRandomNumberGenerator()
        let letters = Array("abcde-@ 中")
        func word(_ length: Int) -> String { String((0..<length).map { _ in letters.randomElement(using: &random)! }) }
        func edited(_ label: String) -> String {
            var characters = Array(label)
            let index = Int.random(in: 0...characters.count, using: &random)
            switch Int.random(in: 0..<4, using: &random) {
            case 0 where index < characters.count: characters.remove(at: index)
            case 1: characters.insert(letters.randomElement(using: &random)!, at: index)
            case 2 where index < characters.count: characters[index] = letters.randomElement(using: &random)!
            case 3: characters.insert("@", at: 0)
            default: break
            }
            return String(characters)
        }
        for _ in 0..<50 {
            let labels = (0..<Int.random(in: 1...12, using: &random)).map { _ in
                word([3, 5, 6, 8, 63, 64, 65, 66].randomElement(using: &random)!)
            }
            for _ in 0..<5 {
                let query = Bool.random(using: &random) ? edited(labels.randomElement(using: &random)!) : word(6)
                var compared = SimilarLabels(labels)
                var indexed = SimilarLabels(labels)
                for _ in 0..<SimilarLabels.comparedBeforeIndexing { _ = indexed.nearest(to: "unasked") }
                #expect(compared.nearest(to: query) == indexed.nearest(to: query), "\(labels) \(query)")
            }
        }
    }
}
