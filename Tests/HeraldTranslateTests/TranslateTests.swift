// Translation stubs: segments, the merge that never loses work, PO exchange, and stubs built
// as posts.

import Foundation
import HeraldCore
import HeraldMarkdown
@testable import HeraldTranslate
import Testing

func folder(_ name: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

extension String {
    /// Puts `translation` in the slot of block segment `id` of this stub text.
    func filling(_ id: String, with translation: String) -> String {
        var lines = components(separatedBy: "\n")
        guard let start = lines.firstIndex(where: { $0.contains("<!-- herald:" + id) }),
            let close = lines[start...].firstIndex(where: { $0.drop { $0 == " " || $0 == ">" } == "-->" })
        else { return self }
        let slot = close + 1
        let opening = lines[slot]
        // The translation typed after the container's marker and the spaces the stub has there.
        let lead = opening.trimmingCharacters(in: .whitespaces).isEmpty ? "" : opening.last == " " ? opening : opening + " "
        lines[slot] = lead + translation
        return lines.joined(separator: "\n")
    }
}

/// msgfmt's verdict on a PO file. gettext is installed by `make setup`; without it the test
/// fails rather than skip the check.
func msgfmtCheck(_ path: String) throws -> (status: Int32, output: String)? {
    try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/msgfmt"), "msgfmt is missing: run make setup (gettext)")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/msgfmt")
    process.arguments = ["--check", "--statistics", "-o", "/dev/null", path]
    let pipe = Pipe()
    process.standardError = pipe
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

@Suite struct MergeScenarioTests {
    static let english = """
        ---
        title: Community update
        date: 2026-10-30
        author: Mira
        tags: [news]
        summary: What happened this month.
        ---

        # Releases

        First paragraph, about the release.

        Second paragraph, about the meetup in Berlin.

        Third paragraph, which will be deleted.

        Fourth paragraph, which will move.

        Fifth paragraph, which will also move.

        - An item with `code` and a [link](https://example.org/a).
        - Another item.

        | Name | Note |
        |------|------|
        | one  | first |

        > A quoted paragraph.

        ```sh
        echo "code is copied"
        ```

        See [the docs][docs].[^1]

        [docs]: https://example.org/docs "Docs"

        [^1]: A footnote.
        """

    static let chinese = """
        ---
        title: 社区动态
        date: 2026-10-31
        author: 陈静
        lang: zh
        ---

        ## 版本发布

        第一段，关于新版本的发布。

        第二段，关于柏林的线下活动。

        第三段，这一段会被删除。

        第四段，这一段会被移动。

        第五段，这一段也会被移动。

        - 列表项，包含`代码`和[链接](https://example.org/zh)。
        """

    /// Runs the scenario of the issue on `source` translated into `lang`, with paragraph texts
    /// `paragraphs` (first to fifth) and the edits that change the first paragraph.
    func scenario(source: String, lang: String, paragraphs: [String], changed: String, added: String, translations: [String]) throws {
        let dir = try folder("translate-scenario")
        let post = dir.appendingPathComponent("post.md")
        try source.write(to: post, atomically: true, encoding: .utf8)
        let (stubPath, _) = try Translator.update(sourcePath: post.path, lang: lang)
        #expect(stubPath == dir.appendingPathComponent("post.\(lang).md").path)

        // Fill three paragraphs in the stub, and two segments through a PO file.
        let sourcePost = try Translator.readSource(post.path)
        let id = { (text: String) in try #require(sourcePost.segments.first { $0.text == text }?.id) }
        var stub = try String(contentsOfFile: stubPath, encoding: .utf8)
        for (index, text) in paragraphs.enumerated() where index != 1 {
            stub = stub.filling(try id(text), with: translations[index])
        }
        try stub.write(toFile: stubPath, atomically: true, encoding: .utf8)
        let po = try Translator.exportPO(sourcePath: post.path, lang: lang, poPath: dir.appendingPathComponent("t.po").path)
        let filledPO = po.replacingOccurrences(
            of: "msgctxt \"\(try id(paragraphs[1]))\"\nmsgid \"\(paragraphs[1])\"\nmsgstr \"\"",
            with: "msgctxt \"\(try id(paragraphs[1]))\"\nmsgid \"\(paragraphs[1])\"\nmsgstr \"\(translations[1])\"")
        #expect(filledPO != po)
        try filledPO.write(to: dir.appendingPathComponent("t.po"), atomically: true, encoding: .utf8)
        try Translator.importPO(dir.appendingPathComponent("t.po").path)
        let before = try Translator.currentState(stubPath: stubPath)
        let translatedBefore = before.segments.filter { $0.state.status == .translated }
        #expect(translatedBefore.count == 5)

        // Edit the source: change the first paragraph, add one, delete the third, move the
        // fourth and fifth to the top.
        var edited = source.replacingOccurrences(of: paragraphs[0], with: changed)
        edited = edited.replacingOccurrences(of: paragraphs[2] + "\n\n", with: "")
        edited = edited.replacingOccurrences(of: paragraphs[3] + "\n\n", with: "")
        edited = edited.replacingOccurrences(of: paragraphs[4] + "\n\n", with: added + "\n\n")
        let heading = edited.range(of: "\n#")!
        let lineEnd = edited[heading.upperBound...].firstIndex(of: "\n")!
        edited.insert(contentsOf: "\n\n" + paragraphs[3] + "\n\n" + paragraphs[4], at: lineEnd)
        try edited.write(to: post, atomically: true, encoding: .utf8)
        let (_, report) = try Translator.update(sourcePath: post.path, lang: lang)
        #expect(report.stale == 1 && report.added == 1 && report.obsolete == 1)

        let after = try Translator.currentState(stubPath: stubPath)
        let byTranslation = { (translation: String) in after.segments.first { $0.state.translation == translation } }
        // Unchanged (and moved) translations kept byte for byte.
        for index in [1, 3, 4] {
            let segment = try #require(byTranslation(translations[index]), "lost: \(translations[index])")
            #expect(segment.state.status == .translated)
            #expect(segment.source == paragraphs[index])
        }
        // The changed one is stale and shows its previous source.
        let stale = try #require(byTranslation(translations[0]))
        #expect(stale.state.status == .stale)
        #expect(stale.state.previous == paragraphs[0])
        #expect(stale.source == changed)
        // The new one is untranslated; the deleted one is obsolete, not lost.
        #expect(after.segments.first { $0.source == added }?.state.status == .untranslated)
        #expect(after.obsolete.contains { $0.state.translation == translations[2] && $0.source == paragraphs[2] })
        #expect(!after.segments.contains { $0.source == paragraphs[2] })
        let counts = after.counts
        #expect(counts.translated == 3 && counts.stale == 1)
        #expect(counts.untranslated == after.segments.count - 4)
        let text = try String(contentsOfFile: stubPath, encoding: .utf8)
        #expect(text.contains("<!-- herald:obsolete"))
        #expect(text.contains(StubSyntax.previousMarker + "\n" + paragraphs[0]))

        // The PO file of the result passes msgfmt, fuzzy and obsolete entries included.
        let poPath = dir.appendingPathComponent("after.po").path
        try Translator.exportPO(sourcePath: post.path, lang: lang, poPath: poPath).write(toFile: poPath, atomically: true, encoding: .utf8)
        let poText = try String(contentsOfFile: poPath, encoding: .utf8)
        #expect(poText.contains("#, fuzzy\n#| msgid \"\(paragraphs[0])\""))
        #expect(poText.contains("#~ msgstr \"\(translations[2])\""))
        if let check = try msgfmtCheck(poPath) {
            #expect(check.status == 0, "\(check.output)")
            #expect(check.output.contains("3 translated messages, 1 fuzzy translation"))
        }
    }

    @Test func englishToChinese() throws {
        let paragraphs = [
            "First paragraph, about the release.", "Second paragraph, about the meetup in Berlin.",
            "Third paragraph, which will be deleted.", "Fourth paragraph, which will move.",
            "Fifth paragraph, which will also move.",
        ]
        try scenario(
            source: Self.english, lang: "zh", paragraphs: paragraphs,
            changed: "First paragraph, about the big release.", added: "A new paragraph.",
            translations: ["第一段，关于发布。", "第二段，关于柏林的活动。", "第三段，将被删除。", "第四段，将被移动。", "第五段，也会移动。"])
    }

    @Test func chineseToEnglish() throws {
        let paragraphs = ["第一段，关于新版本的发布。", "第二段，关于柏林的线下活动。", "第三段，这一段会被删除。", "第四段，这一段会被移动。", "第五段，这一段也会被移动。"]
        try scenario(
            source: Self.chinese, lang: "en", paragraphs: paragraphs,
            changed: "第一段，关于新版本的正式发布。", added: "新加的一段。",
            translations: ["First, on the release.", "Second, on the Berlin meetup.", "Third, to be deleted.", "Fourth, to move.", "Fifth, to move too."])
    }
}

@Suite struct StubTests {
    func stub(_ markdown: String, lang: String = "zh") throws -> (URL, String, SourcePost) {
        let dir = try folder("translate-stub")
        let post = dir.appendingPathComponent("post.md")
        try markdown.write(to: post, atomically: true, encoding: .utf8)
        let (path, _) = try Translator.update(sourcePath: post.path, lang: lang)
        return (post, try String(contentsOfFile: path, encoding: .utf8), try Translator.readSource(post.path))
    }

    /// ``stub(_:lang:)`` in Chinese, with the stub's path and the source's document.
    func stubWithOriginal(_ markdown: String) throws -> (post: URL, text: String, source: SourcePost, stubPath: String, original: Document) {
        let (post, text, source) = try stub(markdown)
        let original = try MarkdownParser().parse(Array(markdown.utf8), path: post.path).document
        return (post, text, source, Translator.stubPath(for: post.path, lang: "zh"), original)
    }

    @Test func everyKindOfSegmentIsFound() throws {
        let (_, _, source) = try stub(MergeScenarioTests.english)
        let kinds = Dictionary(grouping: source.segments, by: \.kind).mapValues(\.count)
        #expect(kinds[.title] == 1 && kinds[.summary] == 1 && kinds[.heading] == 1)
        #expect(kinds[.paragraph] == 6)
        #expect(kinds[.item] == 2 && kinds[.cell] == 4 && kinds[.quote] == 1 && kinds[.footnote] == 1)
        #expect(source.segments.contains { $0.text == "An item with `code` and a [link](https://example.org/a)." })
        #expect(source.segments.contains { $0.text == "See [the docs][docs].[^1]" })
    }

    @Test func codeDefinitionsAndHTMLAreCopiedAsTheyAre() throws {
        let (_, text, _) = try stub(MergeScenarioTests.english + "\n\n<div class=\"note\">Raw</div>\n")
        #expect(text.contains("```sh\necho \"code is copied\"\n```"))
        #expect(text.contains("\n[docs]: https://example.org/docs \"Docs\"\n"))
        #expect(text.contains("\n<div class=\"note\">Raw</div>\n"))
        #expect(text.contains("| <!-- herald:td-"))
        #expect(text.contains("# <!-- herald:h-"))
    }

    @Test func anUntranslatedStubBuildsToTheSourceAndATranslatedOneToTheTranslation() throws {
        let (post, text, source) = try stub(MergeScenarioTests.english)
        let stubPath = Translator.stubPath(for: post.path, lang: "zh")
        let original = try MarkdownParser().parse(Array(MergeScenarioTests.english.utf8), path: post.path)
        let untranslated = try resolved(text, path: stubPath)
        #expect(untranslated.document.plainText(of: untranslated.document.root) == original.document.plainText(of: original.document.root))
        #expect(untranslated.metadata.title == "Community update")
        #expect(untranslated.lang == "zh")
        #expect(untranslated.slug == original.slug + "-zh")

        // Fill everything through a PO file: the post is all translation.
        let poPath = post.deletingLastPathComponent().appendingPathComponent("all.po").path
        var po = try Translator.exportPO(sourcePath: post.path, lang: "zh", poPath: poPath)
        for segment in source.segments {
            // A stand-in translation that keeps the inline Markdown, as a translator does.
            let translation = "译" + segment.text.replacingOccurrences(of: "paragraph", with: "段落")
            po = po.replacingOccurrences(
                of: "msgctxt \"\(segment.id)\"\nmsgid \"\(PO.escape(segment.text))\"\nmsgstr \"\"",
                with: "msgctxt \"\(segment.id)\"\nmsgid \"\(PO.escape(segment.text))\"\nmsgstr \"\(PO.escape(translation))\"")
        }
        try po.write(toFile: poPath, atomically: true, encoding: .utf8)
        try Translator.importPO(poPath)
        let full = try Translator.currentState(stubPath: stubPath)
        #expect(full.percentTranslated == 100)
        let translated = try resolved(try String(contentsOfFile: stubPath, encoding: .utf8), path: stubPath)
        let words = translated.document.plainText(of: translated.document.root)
        #expect(!words.contains("paragraph"))
        #expect(translated.document.descendants().contains { id in
            if case .codeBlock(_, let literal, _) = translated.document[id].kind { return literal == "echo \"code is copied\"\n" }
            return false
        })
        #expect(translated.metadata.title == "译Community update")
        // Links keep their addresses through translation.
        #expect(translated.document.descendants().contains { id in
            if case .link(let link) = translated.document[id].kind { return link.destination == "https://example.org/docs" }
            return false
        })
    }

    /// Lines that go on a paragraph but read as the start of a block (indented in the source,
    /// or lazy under a quote) stay in their paragraph in the stub, untranslated and translated.
    @Test(arguments: [
        "> A quoted paragraph\n    * that goes on, not a list\n",
        ">A quoted paragraph\n>     # that goes on, not a heading\n",
        "> > Quoted twice\n    - and going on\n",
        "- An item\n      1. that goes on\n",
        "A paragraph\n    > that goes on, not a quote\n",
        // Items whose content starts three spaces after the marker, a list nested under one,
        // and a line under that list too little indented to be an item of it.
        "*   An item\n *   New features\n        *   Nested one\n        *   Nested two\n    *   Bug fixes\n",
        // An item right after a quote's marker (its content a column further in than the
        // stub's prefix says), with lazy lines that read as items (found by the pipeline fuzzer).
        ">*   Smaine, Lead* [Boot](#boot)\n    * [Cycles](#cycles)\n    * [Early](#early)\n",
        ">1.  First\n    2. that goes on\n",
    ])
    func continuationLinesThatReadAsBlocksStayInTheParagraph(_ markdown: String) throws {
        let (_, text, source, stubPath, original) = try stubWithOriginal(markdown)
        func shape(_ document: Document) -> [String] {
            document.descendants().map { String(String(describing: document[$0].kind).prefix { $0 != "(" }) }
        }
        let untranslated = try resolved(text, path: stubPath).document
        #expect(untranslated.plainText(of: untranslated.root) == original.plainText(of: original.root))
        #expect(shape(untranslated) == shape(original))
        // Translated with the source's own words, the lines after the first without their
        // container prefix, as a translator may write them.
        var filled = text
        for segment in source.segments { filled = filled.filling(segment.id, with: segment.text) }
        #expect(filled != text)
        let translated = try resolved(filled, path: stubPath).document
        #expect(translated.plainText(of: translated.root) == original.plainText(of: original.root))
        #expect(shape(translated) == shape(original))
    }

    /// A heading's translation runs to the end of its line, `|` included, and a cell's to the
    /// next `|`, past text that only starts like a stub's marker: a setext heading whose first
    /// line reads like a table row, ATX and setext headings holding `|`, a heading and a cell
    /// holding `<!-- herald:` (found by the pipeline fuzzer). Filled through a PO file with their
    /// source text (as `msgen` does), they build to the source; with other words, to those words.
    @Test(arguments: [
        "| Name | Description |\n|------|-- not a delimiter row\nand a third line\n---\n\nA paragraph.\n",
        "## Either | or ##\n\nA paragraph.\n",
        "One | two\n===\n\n| a | b |\n|---|---|\n| c | d |\n",
        "## <!-- herald:h-c6e77de---\n\nA paragraph.\n",
        "| <!-- herald:td-1 open | b |\n|---|---|\n| c | d |\n",
    ])
    func headingsAndCellsRoundTripThroughPO(_ markdown: String) throws {
        let (post, _, source, stubPath, original) = try stubWithOriginal(markdown)
        let poPath = post.deletingLastPathComponent().appendingPathComponent("all.po").path
        func importing(_ translate: (String) -> String) throws -> Document {
            try? FileManager.default.removeItem(atPath: stubPath)
            var po = try Translator.exportPO(sourcePath: post.path, lang: "zh", poPath: poPath)
            for segment in source.segments {
                let entry = "msgctxt \"\(segment.id)\"\nmsgid \"\(PO.escape(segment.text))\"\nmsgstr \""
                #expect(po.contains(entry + "\""), "no empty entry for \(segment.id)")
                po = po.replacingOccurrences(of: entry + "\"", with: entry + PO.escape(translate(segment.text)) + "\"")
            }
            try po.write(toFile: poPath, atomically: true, encoding: .utf8)
            try Translator.importPO(poPath)
            #expect(try Translator.currentState(stubPath: stubPath).percentTranslated == 100)
            return try resolved(try String(contentsOfFile: stubPath, encoding: .utf8), path: stubPath).document
        }
        let same = try importing { $0 }
        #expect(same.plainText(of: same.root) == original.plainText(of: original.root))
        // The first heading or cell, translated.
        func first(_ document: Document) throws -> NodeID {
            try #require(document.descendants().first {
                switch document[$0].kind {
                case .heading, .tableCell: true
                default: false
                }
            })
        }
        let translated = try importing { "译 " + $0 }
        #expect(translated.plainText(of: try first(translated)) == "译 " + original.plainText(of: try first(original)))
    }

    @Test func aStubBelowTheThresholdIsRefused() throws {
        let (post, text, _) = try stub(MergeScenarioTests.english)
        #expect(throws: DiagnosticError.self) {
            try resolved(text, path: Translator.stubPath(for: post.path, lang: "zh"), minTranslated: 50)
        }
    }

    /// A stub read as every command reads it: parsed, then resolved by the stubs transform.
    func resolved(_ text: String, path: String, minTranslated: Double? = nil) throws -> Post {
        let pipeline = Pipeline(parser: MarkdownParser(), transforms: [StubResolution(minTranslated: minTranslated)])
        let report = pipeline.load([Pipeline.Input(path: path, bytes: Array(text.utf8))])
        guard let post = report.posts.first else { throw DiagnosticError(report.diagnostics) }
        return post
    }

    /// Raw HTML or code that starts like a stub's marker would be copied into the stub and
    /// taken for a marker there: such a source is refused at the line, and no stub is written.
    @Test(arguments: [
        "<!-- herald:p-0123abcd\nnot a segment\n-->", "    <!-- /herald -->", "```html\n<!-- herald:h-1 x -->\n```", "A paragraph\n    <!-- herald:p-1 goes on",
        "A heading of\n     <!-- herald:li-1 two lines\n---", "```sh\n| <!-- herald:td-1 a cell -->   b\n```",
        "## Stubs write <!-- herald:h-1 this --> inline", "## Or start <!-- herald:h-0123abcd one",
    ])
    func aSourceWithAStubsMarkerIsRefused(_ block: String) throws {
        let dir = try folder("translate-marker")
        let post = dir.appendingPathComponent("post.md")
        try "---\ntitle: News\n---\n\nA paragraph.\n\n\(block)\n".write(to: post, atomically: true, encoding: .utf8)
        #expect {
            try Translator.update(sourcePath: post.path, lang: "zh")
        } throws: { error in
            let diagnostic = (error as? DiagnosticError)?.diagnostics.first
            return diagnostic?.id == "source-has-stub-marker" && diagnostic?.location?.line == (block.hasPrefix("```") || block.hasPrefix("A ") ? 8 : 7)
        }
        #expect(!FileManager.default.fileExists(atPath: Translator.stubPath(for: post.path, lang: "zh")))
    }

    /// A PO file's translation of a segment the stub has translated otherwise wins, and the
    /// stub's own goes to the obsolete section instead of being lost.
    @Test func aTranslationAPOFileReplacesIsKeptAsObsolete() throws {
        let (post, text, source) = try stub("---\ntitle: News\n---\n\nThe first paragraph.\n\nThe second paragraph.\n")
        let stubPath = Translator.stubPath(for: post.path, lang: "zh")
        let first = try #require(source.segments.first { $0.text == "The first paragraph." })
        let second = try #require(source.segments.first { $0.text == "The second paragraph." })
        try text.filling(first.id, with: "第一段（译者甲）").filling(second.id, with: "第二段").write(toFile: stubPath, atomically: true, encoding: .utf8)
        let poPath = post.deletingLastPathComponent().appendingPathComponent("zh.po").path
        let po = try Translator.exportPO(sourcePath: post.path, lang: "zh", poPath: poPath)
        let filled = po.replacingOccurrences(
            of: "msgctxt \"\(first.id)\"\nmsgid \"The first paragraph.\"\nmsgstr \"第一段（译者甲）\"",
            with: "msgctxt \"\(first.id)\"\nmsgid \"The first paragraph.\"\nmsgstr \"第一段（译者乙）\"")
        #expect(filled != po)
        try filled.write(toFile: poPath, atomically: true, encoding: .utf8)
        try Translator.importPO(poPath)
        let after = try Translator.readStub(stubPath)
        #expect(after.segments.first { $0.id == first.id }?.state.translation == "第一段（译者乙）")
        #expect(after.segments.first { $0.id == second.id }?.state.translation == "第二段")
        #expect(after.obsolete.map(\.state.translation) == ["第一段（译者甲）"])
        #expect(after.obsolete.first?.source == "The first paragraph.")
        // The same import again replaces nothing more.
        try Translator.importPO(poPath)
        #expect(try Translator.readStub(stubPath).obsolete.count == 1)
    }

    /// An edited heading, table cell or alt text keeps its translation, marked stale with the
    /// text it was made from, as an edited paragraph does: short texts change too much to be
    /// found by similarity, so they are found by their place.
    @Test func editedShortTextsGoStaleLikeParagraphs() throws {
        let english = "---\ntitle: Monthly\ndate: 2020-01-01\n---\n\n## News\n\nThe project grew a lot this month.\n\n## Events\n\n| Name | Role |\n|---|---|\n| Ana | Maintainer |\n\n![A chart of growth](chart.png)\n"
        let (post, text, _) = try stub(english)
        let stubPath = Translator.stubPath(for: post.path, lang: "zh")
        var filled = text
        for (source, translation) in [("News", "新闻"), ("Events", "活动"), ("Maintainer", "维护者")] {
            filled = filled.replacingOccurrences(of: " \(source) -->", with: " \(source) --> \(translation)")
        }
        filled = filled.replacingOccurrences(of: "![](chart.png)", with: "![增长图](chart.png)")
        try filled.write(toFile: stubPath, atomically: true, encoding: .utf8)
        let edited = english.replacingOccurrences(of: "## News", with: "## News and releases")
            .replacingOccurrences(of: "| Maintainer |", with: "| Lead of releases |")
            .replacingOccurrences(of: "A chart of growth", with: "Growth in 2020")
        try edited.write(to: post, atomically: true, encoding: .utf8)
        let (_, report) = try Translator.update(sourcePath: post.path, lang: "zh")
        #expect(report.stale == 3 && report.obsolete == 0 && report.kept == 1, "\(report)")
        let updated = try String(contentsOfFile: stubPath, encoding: .utf8)
        #expect(updated.contains(" stale News and releases ⟸ previous: News --> 新闻"), "\(updated)")
        #expect(updated.contains(" stale Lead of releases ⟸ previous: Maintainer --> 维护者"))
        #expect(updated.contains("![增长图](chart.png)") && updated.contains("stale"))
        #expect(updated.contains(" Events --> 活动"))
    }

    @Test func whatTheTranslatorAddedIsKept() throws {
        let (post, text, source) = try stub(MergeScenarioTests.english)
        let stubPath = Translator.stubPath(for: post.path, lang: "zh")
        let first = try #require(source.segments.first { $0.kind == .paragraph })
        var edited = text.filling(first.id, with: "第一段。")
        edited = edited.replacingOccurrences(of: "slug: ", with: "translator: \"李雷\"\nslug: ")
        edited = edited.replacingOccurrences(of: "<!-- /herald -->\n", with: "<!-- /herald -->\n\n译者注：这是译者加的说明。\n", options: [], range: edited.range(of: "<!-- /herald -->\n"))
        try edited.write(toFile: stubPath, atomically: true, encoding: .utf8)
        try Translator.update(sourcePath: post.path, lang: "zh")
        let updated = try String(contentsOfFile: stubPath, encoding: .utf8)
        #expect(updated.contains("translator: \"李雷\""))
        #expect(updated.contains("译者注：这是译者加的说明。"))
        #expect(updated.contains("第一段。"))
        // Updating again changes nothing.
        try Translator.update(sourcePath: post.path, lang: "zh")
        #expect(try String(contentsOfFile: stubPath, encoding: .utf8) == updated)
    }

    @Test func aKeyGivenTwiceInTheStubKeepsTheValueHeraldReads() throws {
        let (post, text, _) = try stub(MergeScenarioTests.english)
        let stubPath = Translator.stubPath(for: post.path, lang: "zh")
        // The translator's title comes last; an earlier `title` below a key of their own is
        // ignored when the stub is read, and must not come back after the title Herald writes.
        let edited = text.replacingOccurrences(of: "slug: ", with: "reviewer: 韩梅梅\ntranslator: 李雷\ntitle: 旧标题\nreviewer: 王芳\ntitle: 新标题\nslug: ")
        try edited.write(toFile: stubPath, atomically: true, encoding: .utf8)
        #expect(try Translator.readStub(stubPath).segments.first { $0.id.hasPrefix("title-") }?.state.translation == "新标题")
        try Translator.update(sourcePath: post.path, lang: "zh")
        let updated = try String(contentsOfFile: stubPath, encoding: .utf8)
        #expect(try Translator.readStub(stubPath).segments.first { $0.id.hasPrefix("title-") }?.state.translation == "新标题")
        #expect(!updated.contains("旧标题") && !updated.contains("韩梅梅"))
        #expect(updated.contains("translator: 李雷") && updated.contains("reviewer: 王芳"))
    }

    @Test(arguments: [("posts/a.md", "zh", "posts/a.zh.md"), ("a.en.md", "zh", "a.zh.md"), ("a.zh.md", "en", "a.en.md"), ("v1.2.md", "zh", "v1.2.zh.md")])
    func stubNames(_ source: String, _ lang: String, _ stub: String) {
        #expect(Translator.stubPath(for: source, lang: lang) == stub)
    }

    @Test func similarityWorksForWordsAndChinese() {
        #expect(Translator.similarity("First paragraph, about the release.", "First paragraph, about the big release.") > 0.8)
        #expect(Translator.similarity("第一段，关于新版本的发布。", "第一段，关于新版本的正式发布。") > 0.7)
        #expect(Translator.similarity("Completely different", "第一段") == 0)
    }

    @Test func poStringsRoundTrip() throws {
        let tricky = "Line \"one\"\\\nline\ttwo\n"
        let po = "msgid \"\"\nmsgstr \"Language: zh\\n\"\n\n" + "msgctxt \"p-1\"\n" + PO.field("msgid", tricky) + PO.field("msgstr", "译")
        let (header, entries) = try PO.parse(po, path: "t.po")
        #expect(header["Language"] == "zh")
        #expect(entries.first?.source == tricky)
        #expect(entries.first?.translation == "译")
    }
}

/// A fresh stub of every corpus post and example reads back with each segment's source exactly as the post
/// has it: the merge relies on that to tell a translator's edit inside a comment from the source.
@Suite struct StubRoundTripTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let repositoryExamples = repository.appendingPathComponent("examples")
    static let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: corpus.path), "needs ../shared/corpus"))
    func everySegmentReadsBackAsWritten() throws {
        let (sources, _) = Pipeline.collectSources([Self.corpus.path, Self.repositoryExamples.path])
        #expect(sources.count == 53)
        let dir = try folder("herald-roundtrip")
        var mismatches: [String] = []
        for path in sources {
            let copy = dir.appendingPathComponent(URL(fileURLWithPath: path).lastPathComponent).path
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            let source = try Translator.readSource(copy)
            let (stubPath, _) = try Translator.update(sourcePath: copy, lang: "zh")
            let stub = try Translator.readStub(stubPath)
            let written = Dictionary(stub.segments.map { ($0.id, $0.source) }, uniquingKeysWith: { first, _ in first })
            for segment in source.segments where written[segment.id] != segment.text {
                mismatches.append("\(URL(fileURLWithPath: path).lastPathComponent) \(segment.id): \(String(reflecting: segment.text.prefix(80))) read back as \(String(reflecting: written[segment.id]?.prefix(80)))")
            }
        }
        #expect(mismatches.isEmpty, "\(mismatches.count) segments: \(mismatches.prefix(10).joined(separator: "\n"))")
    }
}
