// `herald serve` over HTTP: the site as built, the reload script in served pages only, the
// editor's previews, rebuilds after an edit, errors shown instead of a stopped server, a clean
// stop on Ctrl-C. The browser side is ServeBrowserTests.

import Foundation
import Testing

@Suite struct ServeTests {
    @Test func servesTheSiteAndAddsTheReloadScriptToServedPagesOnly() async throws {
        let project = try ServeProject()
        defer { project.remove() }
        let out = project.root.appendingPathComponent("preview")
        let site = try await ServedSite(["--out", out.path], in: project.root)
        defer { site.stop() }

        let page = try await site.get("/hello/")
        #expect(page.status == 200)
        #expect(page.type == "text/html; charset=utf-8")
        #expect(page.body.contains("The first words of the newsletter."))
        #expect(page.body.contains(#"<script id="herald-reload">"#))
        #expect(page.body.contains(#"href="/__herald/email/hello""#))
        // The served page's links are the server's own address.
        #expect(page.body.contains(#"hreflang="zh" href="\#(site.url.absoluteString)zh/hello/""#))
        // The built file is the site as published: no script, no preview links.
        let built = try String(contentsOf: out.appendingPathComponent("site/hello/index.html"), encoding: .utf8)
        #expect(built.contains("The first words of the newsletter."))
        #expect(!built.contains("herald-reload") && !built.contains("__herald"))

        let chinese = try await site.get("/zh/hello/")
        #expect(chinese.status == 200 && chinese.body.contains(#"<html lang="zh">"#) && chinese.body.contains("通讯的第一句话。"))
        #expect(try await site.get("/").body.contains(#"href="hello/""#))
        #expect(try await site.get("/atom.xml").type == "application/xml; charset=utf-8")
        // A folder's address without its slash is sent to the one with it.
        let redirect = try await site.get("/hello")
        #expect(redirect.status == 301 && redirect.location == "/hello/")
        // Nothing outside the site is served.
        #expect(try await site.get("/missing/").status == 404)
        #expect(try await site.get("/%2e%2e/herald.yml").status != 200)
        #expect(try await site.get("/../manifest.json").status != 200)
        #expect(await site.interrupt() == 0)
        // --out is the editor's folder: it stays.
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("site/hello/index.html").path))
    }

    @Test func previewsAPostsEmailAndItsFindings() async throws {
        let project = try ServeProject()
        defer { project.remove() }
        // A link to a file that is not there is something `herald check` warns of.
        try writeFile(project.root, "posts/links.md", ServeProject.post(title: "Links", body: "See [the plan](plan.md)."))
        let site = try await ServedSite(in: project.root)
        defer { site.stop() }

        let email = try await site.get("/__herald/email/hello")
        #expect(email.status == 200 && email.type == "text/plain; charset=utf-8")
        #expect(email.body.contains("The first words of the newsletter."))
        let chinese = try await site.get("/__herald/email/zh/hello")
        #expect(chinese.body.contains("通讯的第一句话。"))

        let findings = try await site.get("/__herald/check/links")
        #expect(findings.status == 200)
        #expect(findings.body.contains("links.md:") && findings.body.contains("warning:"))
        #expect(try await site.get("/__herald/check/hello").body.contains("no findings"))
        #expect(try await site.get("/__herald/email/nothing-here").status == 404)

        let index = try await site.get("/__herald/")
        #expect(index.body.contains(#"href="/__herald/email/zh/hello""#) && index.body.contains("posts/links.md"))
    }

    @Test func rebuildsAfterAnEditAndShowsAnErrorInsteadOfStopping() async throws {
        let project = try ServeProject()
        defer { project.remove() }
        let site = try await ServedSite(in: project.root)
        defer { site.stop() }
        let first = try await site.status()
        #expect(first.errors.isEmpty)

        try ServeProject.post(title: "Hello", body: "Words written after the server started.").write(toFile: project.english, atomically: true, encoding: .utf8)
        let second = try await site.waitForBuild(after: first.generation)
        #expect(second.errors.isEmpty)
        #expect(try await site.get("/hello/").body.contains("Words written after the server started."))
        #expect(site.stdout.contains("changed: posts/hello.md") || site.stdout.contains("hello.md"))

        // Front matter that cannot be read: the error is on every page, and the server goes on.
        try "---\ntitle: [unclosed\n---\nText.\n".write(toFile: project.english, atomically: true, encoding: .utf8)
        let broken = try await site.waitForBuild(after: second.generation)
        #expect(broken.errors.contains { $0.contains("hello.md:") && $0.contains("error:") })
        let shown = try await site.get("/zh/hello/")
        #expect(shown.body.contains(#"id="herald-errors""#) && shown.body.contains("hello.md:3:1: error: invalid YAML"))
        #expect(site.process.isRunning)

        try ServeProject.post(title: "Hello", body: "Mended.").write(toFile: project.english, atomically: true, encoding: .utf8)
        let mended = try await site.waitForBuild(after: broken.generation)
        #expect(mended.errors.isEmpty)
        let page = try await site.get("/hello/")
        #expect(page.body.contains("Mended.") && !page.body.contains("herald-errors"))
    }

    @Test func ctrlCStopsTheServerAndRemovesItsTemporaryFolder() async throws {
        let project = try ServeProject()
        defer { project.remove() }
        let temporary = try temporaryFolder("herald-serve-tmp")
        defer { try? FileManager.default.removeItem(at: temporary) }
        let site = try await ServedSite(in: project.root, environment: ["TMPDIR": temporary.path])
        #expect(try await site.get("/hello/").status == 200)
        #expect(!filesUnder(temporary).isEmpty)
        #expect(await site.interrupt() == 0)
        #expect(filesUnder(temporary).isEmpty)
        #expect(!site.stderr.contains("Fatal error"))
    }

    @Test func aPortInUseIsAnErrorAndAnOpenHostAWarning() async throws {
        let project = try ServeProject()
        defer { project.remove() }
        let site = try await ServedSite(["--host", "0.0.0.0"], in: project.root)
        defer { site.stop() }
        #expect(site.stderr.contains("warning: listening on 0.0.0.0"))
        let port = try #require(site.url.port)

        let second = Process()
        second.executableURL = ServedSite.binary
        second.arguments = ["serve", "--port", String(port)]
        second.currentDirectoryURL = project.root
        let errors = Pipe()
        second.standardError = errors
        second.standardOutput = Pipe()
        try second.run()
        while second.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(second.terminationStatus == 1)
        #expect(message.contains("error: cannot listen on 127.0.0.1 port \(port)") && message.contains("--port"))
    }
}
