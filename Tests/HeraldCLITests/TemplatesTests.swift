// `herald templates export`, and what a build says about a template that does not parse.

import Foundation
import HeraldTemplates
import Testing

@Suite struct TemplatesExportTests {
    /// The templates compiled into the binary are the files of `templates/`, byte for byte: after
    /// editing a template, `make templates` writes Sources/HeraldTemplates/EmbeddedTemplates.swift.
    @Test func theBuiltInTemplatesAreTheFilesOfTheTemplatesFolder() throws {
        let folder = Paths.repository.appendingPathComponent("templates")
        let files = filesUnder(folder)
        #expect(files.count >= 10)
        #expect(files == TemplateSource.builtIn.keys.sorted(), "run `make templates`")
        for path in files {
            let text = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
            #expect(TemplateSource.builtIn[path] == text, "\(path) differs from the built-in one: run `make templates`")
        }
    }

    @Test func writesEveryBuiltInTemplateInItsFolder() throws {
        let folder = try temporaryFolder("herald-templates").appendingPathComponent("mine")
        let run = herald("templates", "export", folder.path)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stderr.isEmpty)
        #expect(filesUnder(folder) == TemplateSource.builtIn.keys.sorted())
        for (path, text) in TemplateSource.builtIn {
            #expect(try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8) == text, "\(path)")
            #expect(run.stdout.contains("wrote \(folder.path)/\(path)\n"))
        }
        #expect(filesUnder(folder).contains("html/page.mustache"))
    }

    @Test func refusesToReplaceTemplatesWithoutForce() throws {
        let folder = try temporaryFolder("herald-templates")
        try writeFile(folder, "html/page.mustache", "mine\n")
        try writeFile(folder, "email/footer.mustache", "mine too\n")
        let run = herald("templates", "export", folder.path)
        #expect(run.status == 1)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.split(separator: "\n").sorted() == [
            "\(folder.path)/email/footer.mustache: error: already exists, not replaced (use --force to replace it) [template-exists]",
            "\(folder.path)/html/page.mustache: error: already exists, not replaced (use --force to replace it) [template-exists]",
        ])
        // Nothing was written: the user's files are intact and no other template appeared.
        #expect(filesUnder(folder) == ["email/footer.mustache", "html/page.mustache"])
        #expect(try String(contentsOf: folder.appendingPathComponent("html/page.mustache"), encoding: .utf8) == "mine\n")

        let forced = herald("templates", "export", folder.path, "--force")
        #expect(forced.status == 0, "\(forced.stderr)")
        #expect(filesUnder(folder) == TemplateSource.builtIn.keys.sorted())
        #expect(try String(contentsOf: folder.appendingPathComponent("html/page.mustache"), encoding: .utf8)
            == TemplateSource.builtIn["html/page.mustache"])
    }

    @Test func exportedTemplatesBuildTheSameSite() throws {
        let templates = try temporaryFolder("herald-templates")
        #expect(herald("templates", "export", templates.path).status == 0)
        let plain = try temporaryFolder("herald-out")
        let custom = try temporaryFolder("herald-out")
        #expect(herald("build", Paths.examples.path, "--out", plain.path, "--no-check").status == 0)
        let run = herald("build", Paths.examples.path, "--out", custom.path, "--no-check", "--templates", templates.path)
        #expect(run.status == 0, "\(run.stderr)")
        let page = "site/2026-10-community-update/index.html"
        #expect(try Data(contentsOf: plain.appendingPathComponent(page)) == Data(contentsOf: custom.appendingPathComponent(page)))
    }
}

@Suite struct BrokenTemplateTests {
    @Test func aBuildSaysOnceWhereTheTemplateIsBroken() throws {
        let templates = try temporaryFolder("herald-templates")
        try writeFile(templates, "html/page.mustache", "<html>\n<body>\n  {{#posts}}\n  <p>{{title}}</p>\n  {{/post}}\n</body>\n")
        let posts = try temporaryFolder("herald-posts")
        try writeFile(posts, "a.md", "---\ntitle: A\ndate: 2020-01-01\n---\n\nA.\n")
        try writeFile(posts, "b.md", "---\ntitle: B\ndate: 2020-01-02\n---\n\nB.\n")
        let out = try temporaryFolder("herald-out")
        let run = herald("build", posts.path, "--out", out.path, "--templates", templates.path)
        #expect(run.status == 1)
        let errors = run.stderr.split(separator: "\n").filter { $0.contains(": error: ") }
        #expect(errors == [
            "\(templates.path)/html/page.mustache:5:6: error: section closed with a name that does not match the one it opened with [template-invalid]"
        ])
        #expect(!run.stderr.contains("ParserError"))
    }

    @Test func renderReportsTheTemplatesLineAndColumn() throws {
        let templates = try temporaryFolder("herald-templates")
        try writeFile(templates, "html/page.mustache", "<title>{{title</title>\n")
        let post = try writeFile(try temporaryFolder("herald-posts"), "a.md", "---\ntitle: A\n---\n\nA.\n")
        let run = herald("render", post, "--standalone", "--templates", templates.path)
        #expect(run.status == 1)
        #expect(run.stderr == "\(templates.path)/html/page.mustache:1:15: error: unfinished tag name [template-invalid]\n")
    }
}
