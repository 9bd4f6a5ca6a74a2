// Filter programs run on posts: the example filter changes the document; a filter that fails,
// writes something Herald cannot read, or overstays its time fails the post with filter-failed.

import Foundation
import HeraldCore
import HeraldHTML
import HeraldMarkdown
import Testing

@Suite struct ExternalFilterTests {
    static let source = """
        ---
        title: Mentions
        tags: [community]
        ---

        Thanks to @octocat and @mira-okafor for the release; write to team@example.org.

        - `@not-in-code` and [@not-in-links](https://e.org)
        """

    /// A post read from a file named `post.md` in a new folder, which is also the filters' folder.
    static func post() throws -> (Post, folder: URL) {
        let folder = try temporaryFolder()
        let path = folder.appendingPathComponent("post.md").path
        return (try MarkdownParser().parse(Array(source.utf8), path: path), folder)
    }

    /// The `filter-failed` diagnostic `filter` gives on the post.
    static func failure(_ command: String, timeout: Duration = .seconds(30)) async throws -> Diagnostic? {
        try await timedFailure(command, timeout: timeout).diagnostic
    }

    /// The `filter-failed` diagnostic `filter` gives on the post, and how long the filter took
    /// (timed on the thread that ran it: the test itself goes on when Swift's pool has a thread).
    static func timedFailure(_ command: String, timeout: Duration) async throws -> (diagnostic: Diagnostic?, elapsed: Duration) {
        let (post, folder) = try post()
        defer { try? FileManager.default.removeItem(at: folder) }
        let (diagnostics, elapsed) = try await onOwnThread { () -> ([Diagnostic]?, Duration) in
            let start = ContinuousClock.now
            do throws(DiagnosticError) {
                _ = try ExternalFilter(command: command, workingDirectory: folder.path, timeout: timeout).run(post)
                return (nil, ContinuousClock.now - start)
            } catch {
                return (error.diagnostics, ContinuousClock.now - start)
            }
        }
        guard let diagnostics else { return (nil, elapsed) }
        #expect(diagnostics.count == 1)
        return (diagnostics.first, elapsed)
    }

    /// `filter` run on `post`.
    static func run(_ filter: ExternalFilter, on post: Post) async throws -> Post {
        try await onOwnThread { try filter.run(post) }
    }

    @Test(.enabled(if: Python.present, "needs /usr/bin/python3"))
    func theMentionsFilterLinksGitHubUsers() async throws {
        let (post, folder) = try Self.post()
        let script = Paths.examples.appendingPathComponent("filters/github-mentions.py").path
        let filter = ExternalFilter(command: "python3 '\(script)'", workingDirectory: folder.path)
        let changed = try await Self.run(filter, on: post)
        let html = HTMLRenderer().render(changed.document).html
        #expect(html.contains("Thanks to <a href=\"https://github.com/octocat\">@octocat</a> and <a href=\"https://github.com/mira-okafor\">@mira-okafor</a> for the release; write to <a href=\"mailto:team@example.org\">team@example.org</a>."))
        #expect(html.contains("<code>@not-in-code</code> and <a href=\"https://e.org\">@not-in-links</a>"))
        // The rest of the post is as it was.
        #expect(changed.slug == post.slug && changed.lang == post.lang && changed.sourcePath == post.sourcePath)
        #expect(changed.metadata == post.metadata)
        func links(_ document: Document) -> Int {
            document.descendants().filter { if case .link = document[$0].kind { true } else { false } }.count
        }
        #expect(links(changed.document) == links(post.document) + 2)
    }

    @Test func theFilterRunsInItsFolderAndSeesTheReadOnlyFields() async throws {
        let (post, folder) = try Self.post()
        // The filter saves what it was given, then gives it back.
        let changed = try await Self.run(ExternalFilter(command: "tee input.json", workingDirectory: folder.path), on: post)
        let given = try String(contentsOf: folder.appendingPathComponent("input.json"), encoding: .utf8)
        #expect(given == filterInput(post))
        #expect(given.contains("\"source_path\": \(Escape.quotedString(post.sourcePath))"))
        #expect(changed.document == post.document)
    }

    @Test func aLargeDocumentPassesThroughWithoutBlocking() async throws {
        var (post, folder) = try Self.post()
        let paragraph = post.document.children(of: post.document.root).first { _ in true }!
        for index in 0..<20_000 { post.document.append(.text("line \(index) of many "), to: paragraph) }
        // `cat` writes while it reads: Herald must read while it writes.
        let filter = ExternalFilter(command: "cat", workingDirectory: folder.path)
        let (changed, elapsed) = try await onOwnThread { [post] in
            let start = ContinuousClock.now
            return (try filter.run(post), ContinuousClock.now - start)
        }
        #expect(changed.document.jsonString() == post.document.jsonString())
        #expect(elapsed < .seconds(20))
    }

    @Test func aFilterThatIgnoresItsInputStillCounts() async throws {
        var (post, folder) = try Self.post()
        // More than a pipe holds: the filter exits before Herald has written it all.
        let paragraph = post.document.children(of: post.document.root).first { _ in true }!
        for index in 0..<20_000 { post.document.append(.text("unread \(index) "), to: paragraph) }
        var replacement = Document()
        replacement.append(.text("new"), to: replacement.append(.paragraph, to: replacement.root))
        try Data(replacement.jsonString().utf8).write(to: folder.appendingPathComponent("new.json"))
        let changed = try await Self.run(ExternalFilter(command: "cat new.json", workingDirectory: folder.path), on: post)
        #expect(changed.document.plainText(of: changed.document.root) == "new")
    }

    @Test func aFailingFilterNamesItsStatusAndLastErrorLine() async throws {
        let diagnostic = try #require(try await Self.failure("cat >/dev/null; echo warming up >&2; echo 'no such tag: x' >&2; exit 3"))
        #expect(diagnostic.id == "filter-failed")
        #expect(diagnostic.severity == .error)
        #expect(diagnostic.file?.hasSuffix("/post.md") == true)
        #expect(diagnostic.message == "filter 'cat >/dev/null; echo warming up >&2; echo 'no such tag: x' >&2; exit 3' failed with exit status 3: no such tag: x")
    }

    @Test func invalidJSONIsReportedWithItsPlace() async throws {
        let diagnostic = try #require(try await Self.failure("printf '{\"herald_ast_version\": 1,\\n oops}'"))
        #expect(diagnostic.id == "filter-failed")
        #expect(diagnostic.message.hasPrefix("filter 'printf "))
        #expect(diagnostic.message.hasSuffix("' wrote invalid JSON (line 2, column 2: expected a quoted key)"))
    }

    @Test func aDocumentThatBreaksTheFormatIsReportedWithItsPath() async throws {
        let json = "{\"herald_ast_version\": 1, \"metadata\": {}, \"root\": {\"type\": \"document\", \"children\": [{\"type\": \"paragraph\", \"children\": [{\"type\": \"smallcaps\"}]}]}}"
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data(json.utf8).write(to: folder.appendingPathComponent("herald-broken-filter.json"))
        let diagnostic = try #require(try await Self.failure("cat '\(folder.path)/herald-broken-filter.json'"))
        #expect(diagnostic.id == "filter-failed")
        #expect(diagnostic.message.hasSuffix("herald-broken-filter.json'' wrote a document Herald cannot read (root.children[0].children[0]: unknown type 'smallcaps')"))
    }

    @Test func aDocumentOfAnotherVersionIsRefused() async throws {
        let diagnostic = try #require(try await Self.failure("sed 's/\"herald_ast_version\": 1/\"herald_ast_version\": 2/'"))
        #expect(diagnostic.id == "filter-failed")
        #expect(diagnostic.message.hasSuffix("' wrote a document of another version (herald_ast_version: version 2 is not supported (Herald reads version 1))"))
    }

    @Test func aFilterThatOverstaysIsKilledWithWhatItStarted() async throws {
        // The shell starts `sleep` as a child, which holds the output pipe open: only killing
        // the whole process group ends the run.
        let (failure, elapsed) = try await Self.timedFailure("cat >/dev/null; echo thinking >&2; sleep 30; echo done", timeout: .seconds(1))
        let diagnostic = try #require(failure)
        #expect(diagnostic.id == "filter-failed")
        #expect(diagnostic.message == "filter 'cat >/dev/null; echo thinking >&2; sleep 30; echo done' did not answer within 1 s and was stopped: thinking")
        #expect(elapsed < .seconds(5))
    }

    @Test func aFilterKilledByASignalSaysSo() async throws {
        let diagnostic = try #require(try await Self.failure("kill -KILL $$"))
        #expect(diagnostic.message == "filter 'kill -KILL $$' was killed by signal 9")
    }
}
