// A post is a value: its parts share one box until a copy is changed.

import HeraldCore
import Testing

@Suite struct PostTests {
    /// The text node of ``post()``.
    private let text: NodeID = {
        var document = Document()
        return document.append(.text(""), to: document.append(.paragraph, to: document.root))
    }()

    private func post() -> Post {
        var document = Document()
        let paragraph = document.append(.paragraph, to: document.root)
        document.append(.text("one"), to: paragraph)
        return Post(sourcePath: "one.md", document: document, slug: "one", lang: "en", diagnostics: [.note(.draftSkipped, file: "one.md", "a note")])
    }

    @Test func aCopyChangedLeavesTheOriginalAsItWas() {
        let original = post()
        var copy = original
        copy.slug = "two"
        copy.lang = "zh"
        copy.sourcePath = "two.md"
        copy.translationKey = "key"
        copy.translations = [Translation(lang: "en", slug: "one", title: "One")]
        copy.diagnostics = []
        copy.document.setKind(.text("changed"), of: text)
        copy.document.metadata.title = "Two"

        #expect(original.slug == "one" && original.lang == "en" && original.sourcePath == "one.md")
        #expect(original.translationKey == nil && original.translations.isEmpty && original.diagnostics.count == 1)
        #expect(original.document[text].kind == .text("one") && original.metadata.title == nil)
        #expect(copy.slug == "two" && copy.lang == "zh" && copy.sourcePath == "two.md" && copy.translationKey == "key")
        #expect(copy.document[text].kind == .text("changed") && copy.displayTitle == "Two")
    }

    @Test func theOriginalChangedLeavesACopyAsItWas() {
        var original = post()
        let copy = original
        original.document.setKind(.text("changed"), of: text)
        original.slug = "changed"
        #expect(copy.document[text].kind == .text("one") && copy.slug == "one")
        #expect(original.document[text].kind == .text("changed") && original.slug == "changed")
    }

    @Test func copiesOnOtherThreadsChangeApart() async {
        let original = post()
        let slugs = await withTaskGroup(of: String.self) { group in
            for number in 0..<8 {
                group.addTask { [text] in
                    var mine = original
                    mine.slug = "post-\(number)"
                    mine.document.setKind(.text("\(number)"), of: text)
                    guard case .text(let written) = mine.document[text].kind, written == "\(number)" else { return "mixed" }
                    return mine.slug
                }
            }
            return await group.reduce(into: Set<String>()) { $0.insert($1) }
        }
        #expect(slugs == Set((0..<8).map { "post-\($0)" }))
        #expect(original.slug == "one" && original.document[text].kind == .text("one"))
    }
}
