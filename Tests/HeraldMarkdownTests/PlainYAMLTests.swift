// The plain front matter reader against Yams: whatever it reads, it reads as the Yams reading
// does (values, types and places), and what it does not read it leaves to Yams.

import Foundation
import HeraldCore
@testable import HeraldMarkdown
import Testing

/// The front matter `yaml` as a post with it, read both ways: the plain reader's tree (nil when
/// it left the text to Yams) and Yams' tree, each written out with every place.
private func bothReadings(_ yaml: String) -> (plain: String?, yams: String) {
    let source = SourceText("---\n" + yaml + "---\n\nBody.\n", path: "post.md")
    let plain = MetadataDecoder.yamlTree(yaml, in: source, firstLine: 2, plainFirst: true)
    let yams = MetadataDecoder.yamlTree(yaml, in: source, firstLine: 2, plainFirst: false)
    let tookPlain = PlainYAML.read(Array(yaml.utf8)) { SourceLocation(line: $0, column: $1) } != nil
    func written(_ reading: (root: MetadataNode?, diagnostics: [Diagnostic])) -> String {
        (reading.root.map(describe) ?? "nil") + " " + reading.diagnostics.map(\.description).joined(separator: " | ")
    }
    return (tookPlain ? written(plain) : nil, written(yams))
}

private func describe(_ node: MetadataNode) -> String {
    let place = "@\(node.location.line):\(node.location.column)"
    switch node.kind {
    case .scalar(let text, let value): return "\(text.debugDescription)=\(value)\(place)"
    case .list(let items): return "[\(items.map(describe).joined(separator: ", "))]\(place)"
    case .map(let entries):
        return "{\(entries.map { "\($0.key)@\($0.keyLocation.line):\($0.keyLocation.column): \(describe($0.value))" }.joined(separator: "; "))}\(place)"
    }
}

@Suite struct PlainYAMLTests {
    /// Front matter the plain reader reads.
    static let plain = [
        "title: This Month in TiKV\ndate: 2019-08-30\nauthor: Siddon Tang\ntags: ['Community', \"Monthly\", plain]\n",
        "title: '它''s 中文 标题'\ndate: 2020-01-01T10:00:00+08:00\n",
        "title: \"Quoted: with # and 'inner'\"\nsummary: a, b [c] {d} it's fine\n",
        "title: value # a comment\n# a comment line\ndraft: true\nweight: 12\nratio: 1.5e3\nnothing: ~\n",
        "tags:\n- a\n- 'b c'\n- \"d\"\nauthor:\n  - 张三\n  - Li Si  # comment\n",
        "tags:   [  spaced ,   items  ]   \nempty: []\n",
        "title: 一个很长的中文标题：带有全角冒号\nslug: 中文-slug\nlang: zh\n",
        "title: ends with colon:x\nurl: https://tikv.org/blog/post#part\n",
        "\n\ntitle: after blank lines\n\n\ndate: 2021-02-03\n",
        "title: \"\"\nsummary: ''\n",
        "key_with-dash.dot: v\nTrue: yes\nnull_ish: NULL\nnum: 12\nhex: 0x1F\noctal: 0o17\nnan: .NaN\n",
        "tags: [C++, a.b, ok]\n",
    ]

    /// Front matter the plain reader leaves to Yams.
    static let leftToYams = [
        "title: |\n  block\n", "title: >\n  folded\n", "title: a\n  continued\n", "title: \"esc\\n\"\n",
        "title: &a x\n", "title: *a\n", "title: !!str 12\n", "title: {a: 1}\n", "title: a: b\n",
        "title: x\ntitle: y\n", "draft:\n", "tags:\n  - a\n - b\n", "tags:\n  - [a]\n", "tags:\n  - k: v\n",
        "tags: [a, ]\n", "tags: [a,, b]\n", "tags: [a: b]\n", "tags: [a #b]\n", "tags: [a\n", "title:\tx\n",
        "title: x\r\n", "title: a\u{85}b\n", "title: a\u{2028}b\n", "title: '多行\n  quoted'\n", "- a\n- b\n",
        "just text\n", "title:x\n", "\"quoted key\": v\n", "1st: v\n", "  title: indented\n", "title: -1\n",
        "title: 'a'b\n", "title: 'a'#b\n", "title: x\n  # indented comment\n", "title: @reserved\n", "",
    ]

    @Test(arguments: plain)
    func plainFrontMatterIsReadAsYamsReadsIt(_ yaml: String) throws {
        let (plain, yams) = bothReadings(yaml)
        let read = try #require(plain, "the plain reader should read \(yaml.debugDescription)")
        #expect(read == yams)
    }

    @Test(arguments: leftToYams)
    func otherFrontMatterIsLeftToYams(_ yaml: String) {
        #expect(bothReadings(yaml).plain == nil)
    }

    /// Many front matters made of pieces that are or are not plain YAML: wherever the plain
    /// reader takes one, its reading is Yams' (a failure names the front matter).
    @Test func randomFrontMatterIsReadAsYamsReadsIt() {
        var generator = SystemRandomNumberGenerator()
        let keys = ["title", "date", "tags", "author", "summary", "x-extra", "a.b", "_k"]
        let pieces = [
            "plain", "two  words", "中文", "a,b", "[x]", "it's", "say \"hi\"", ":", ": ", " #", "#", "a:b", "-", "- ",
            "'", "''", "\"", "\\", "&", "*", "!", "|", ">", "%", "@", "`", "{", "}", "?", "~", "null", "true", "1", "-1",
            "0x1A", "1.5", ".inf", " ", "é", "😀", "2020-01-01", ",", "]", "[",
        ]
        func value() -> String { (0..<Int.random(in: 1...4, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined() }
        var taken = 0
        for _ in 0..<3000 {
            var yaml = ""
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let key = keys.randomElement(using: &generator)!
                switch Int.random(in: 0..<6, using: &generator) {
                case 0: yaml += "\(key): [\((0..<Int.random(in: 0...3, using: &generator)).map { _ in value() }.joined(separator: ", "))]\n"
                case 1: yaml += "\(key):\n" + (0..<Int.random(in: 0...3, using: &generator)).map { _ in "  - \(value())\n" }.joined()
                case 2: yaml += "\(key): '\(value())'\n"
                case 3: yaml += "\(key): \"\(value())\"\n"
                default: yaml += "\(key): \(value())\n"
                }
            }
            let (plain, yams) = bothReadings(yaml)
            guard let plain else { continue }
            taken += 1
            #expect(plain == yams, "\(yaml.debugDescription)")
        }
        // The pieces are chosen so that the plain reader takes a good part of them (about 600).
        #expect(taken > 300)
    }

    /// Every post of the sample corpus: read the same both ways, and almost all without Yams.
    @Test func corpusFrontMatterIsReadAsYamsReadsIt() throws {
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/corpus").standardizedFileURL
        let files = (FileManager.default.enumerator(atPath: corpus.path)?.compactMap { $0 as? String } ?? []).filter { $0.hasSuffix(".md") }
        guard !files.isEmpty else { return }  // A clone without ../shared has no corpus.
        var taken = 0
        for file in files {
            let text = try String(contentsOf: corpus.appendingPathComponent(file), encoding: .utf8)
            let source = SourceText(text, path: file)
            guard let split = try? FrontMatter.split(source), split.format == .yaml else { continue }
            let (plain, yams) = bothReadings(split.frontMatter)
            guard let plain else { continue }
            taken += 1
            #expect(plain == yams, "\(file)")
        }
        #expect(taken * 10 >= files.count * 9)
    }
}
