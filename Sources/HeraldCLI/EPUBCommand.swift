// `herald epub`: one post, several, or folders of them as one EPUB book.

import ArgumentParser
import Foundation
import HeraldCore
import HeraldEPUB

struct EPUBCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "epub",
        abstract: "Make an EPUB book of one post or many.",
        discussion: """
            Each POST is a post or a folder searched recursively for *.md files. One post \
            gives a one-chapter book; several give one book with a chapter per post, oldest \
            first. A post with errors is reported and left out. A book is in one language:             when the posts are in several, --lang chooses one (zh takes zh-CN too), or             --all-languages asks for one book of them all.
            """)

    @Argument(help: "Posts or folders of posts.", completion: .file(extensions: ["md"]))
    var posts: [String]

    @Option(name: [.customShort("o"), .customLong("out"), .customLong("output")], help: "The book to write.", completion: .file(extensions: ["epub"]))
    var out: String

    @Option(name: .customLong("book-title"), help: "The book's title (default: the post's title, or one made from the posts' years).")
    var bookTitle: String?

    @Option(help: "A cover image: PNG, JPEG, GIF or SVG.", completion: .file())
    var cover: String?

    @Option(help: "The book's identifier (default: a UUID derived from its posts and title).")
    var identifier: String?

    @Flag(inversion: .prefixedNo, help: "Also include posts marked draft: true.")
    var drafts: Bool?

    @Option(help: "Put only the posts in this language into the book (e.g. zh, en).")
    var lang: String?

    @Flag(name: .customLong("all-languages"), help: "Make one book of posts in several languages.")
    var allLanguages = false

    @OptionGroup var project: ProjectOptionGroup

    func validate() throws {
        guard !posts.isEmpty else { throw ValidationError("name at least one post or folder") }
    }

    func execute(_ console: Console) throws -> Int32 {
        guard let settings = Project.load(flags, console: console) else { return 1 }
        let (sources, inputDiagnostics) = Pipeline.collectSources(posts)
        console.report(inputDiagnostics)
        var report = settings.pipeline(includeDrafts: drafts ?? settings.config.drafts ?? false).load(sources.map(Pipeline.Input.file))
        console.report(report.diagnostics)
        let lang: String?
        do {
            lang = try self.lang.map(LanguageTags.parse)
        } catch {
            console.report(error.diagnostics)
            return 1
        }
        if let lang {
            report.posts = report.posts.filter { LanguageTags.matches($0.lang, lang) }
        } else if !allLanguages, let mixed = Self.mixedLanguages(report.posts) {
            console.report([.error("epub-languages", mixed)])
            return 1
        }
        guard !report.posts.isEmpty else {
            console.report([.error("epub-empty", "no post to put in the book" + (lang.map { " (none is in \($0))" } ?? ""))])
            return 1
        }
        settings.noteMissingBaseURL(console, what: "links to posts outside the book are left out")
        // --title names the book; the site's title (herald.yml) does not.
        let options = EPUBOptions(
            title: bookTitle ?? project.title, cover: cover.map { URL(fileURLWithPath: $0) }, identifier: identifier,
            baseURL: settings.context.baseURL)
        let writer = EPUBWriter(options: options, templates: settings.templates)
        do {
            let book = try writer.book(report.posts)
            console.report(book.diagnostics)
            try OutputWriter.writeFile(book.data, to: out)
            console.out("wrote \(out): \(report.posts.count) chapter\(report.posts.count == 1 ? "" : "s"), \(book.data.count) bytes\n")
        } catch {
            console.report(error.diagnostics)
            return 1
        }
        return inputDiagnostics.isEmpty && report.failedSources.isEmpty ? 0 : 1
    }
}

extension EPUBCommand {
    /// What to say when `posts` are in more than one language; nil when they are in one.
    static func mixedLanguages(_ posts: [Post]) -> String? {
        var counts: [String: Int] = [:]
        for post in posts { counts[LanguageTags.primary(post.lang), default: 0] += 1 }
        guard counts.count > 1 else { return nil }
        let languages = counts.sorted { ($0.value, $1.key) > ($1.value, $0.key) }
        return "the posts are in \(counts.count) languages (" + languages.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
            + "): make a book per language with --lang " + languages.map(\.key).joined(separator: " or --lang ")
            + ", or one book of them all with --all-languages"
    }

    var flags: Flags {
        var flags = Flags()
        project.apply(to: &flags)
        return flags
    }
}
