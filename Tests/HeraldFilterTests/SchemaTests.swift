// docs/filters/document.schema.json describes the JSON form: the examples, the corpus and a post
// with every kind of node are valid against it; broken documents are not (nor does Herald read them).

import Foundation
import HeraldCore
import HeraldMarkdown
import Testing

@Suite(.enabled(if: Python.hasJSONSchema, "needs python3 with jsonschema (make setup installs python3-jsonschema)"))
struct SchemaTests {
    /// Validates each file against the schema; prints `valid` or `invalid: place: message` per file.
    static let validator = """
        import json, sys
        from jsonschema import Draft202012Validator
        from jsonschema.exceptions import best_match
        schema = json.load(open(sys.argv[1], encoding="utf-8"))
        Draft202012Validator.check_schema(schema)
        validator = Draft202012Validator(schema)
        for path in sys.argv[2:]:
            error = best_match(validator.iter_errors(json.load(open(path, encoding="utf-8"))))
            if error is None:
                print("valid")
            else:
                print("invalid: /" + "/".join(map(str, error.absolute_path)) + ": " + error.message)
        """

    /// The schema's verdict on each JSON text, in order.
    static func verdicts(_ documents: [String]) throws -> [String] {
        let folder = try temporaryFolder("herald-schema")
        defer { try? FileManager.default.removeItem(at: folder) }
        var files: [String] = []
        for (index, json) in documents.enumerated() {
            let file = folder.appendingPathComponent("\(index).json")
            try Data(json.utf8).write(to: file)
            files.append(file.path)
        }
        let run = try Python.run(["-c", validator, Paths.schema.path] + files)
        #expect(run.status == 0, "\(run.output)")
        return run.output.split(separator: "\n").map(String.init)
    }

    /// A Markdown post that uses every kind of node Herald has.
    static let everyKind = """
        Setext heading
        ==============

        # ATX *heading* with `code`

        A paragraph with **strong**, *emphasis*, ~~strike~~, a [link](https://e.org "T"), a
        [reference][ref], [ref][], [ref], <https://auto.example>, ![alt *text*](a.png),
        <b>html</b>, a footnote[^1] and a hard\\
        break.

        > quoted

        - [ ] open
        - [x] done
        + other

        3) three
        4) four

        1. loose

        2. list

        ```swift title="x"
        let x = 1
        ```

            indented code

        <div>
        block html
        </div>

        ---

        | none | left | center | right |
        |------|:-----|:------:|------:|
        | a    | b    |        | d     |

        [^1]: The note.

        [ref]: https://e.org/ref "Ref"
        """

    @Test func examplesAndAPostWithEveryKindOfNodeAreValid() async throws {
        var documents = try Paths.examplePosts.map { filterInput(try parsePost($0)) }
        documents.append(MarkdownParser().parseMarkdown(Self.everyKind).jsonString())
        let checked = documents
        let verdicts = try await onOwnThread { try Self.verdicts(checked) }
        #expect(verdicts == Array(repeating: "valid", count: documents.count))
    }

    @Test(.enabled(if: Paths.hasCorpus, "needs ../shared/corpus"))
    func everyCorpusPostIsValid() async throws {
        let documents = try Paths.corpusPosts.map { filterInput(try parsePost($0)) }
        let verdicts = try await onOwnThread { try Self.verdicts(documents) }
        #expect(verdicts.count == documents.count)
        for (path, verdict) in zip(Paths.corpusPosts, verdicts) {
            #expect(verdict == "valid", "\(path)")
        }
    }

    /// A valid document whose root holds `children` (JSON text).
    static func document(_ children: String, version: String = "1") -> String {
        "{\"herald_ast_version\": \(version), \"metadata\": {\"title\": \"T\"}, \"root\": {\"type\": \"document\", \"children\": [\(children)]}}"
    }

    static let broken: [(name: String, json: String)] = [
        ("unknown node type", document("{\"type\": \"paragraph\", \"children\": [{\"type\": \"foo\", \"literal\": \"x\"}]}")),
        ("paragraph without children", document("{\"type\": \"paragraph\"}")),
        ("another version", document("{\"type\": \"thematic_break\"}", version: "2")),
        ("no version", "{\"metadata\": {}, \"root\": {\"type\": \"document\", \"children\": []}}"),
        ("text with children", document("{\"type\": \"paragraph\", \"children\": [{\"type\": \"text\", \"literal\": \"x\", \"children\": []}]}")),
        ("inline among blocks", document("{\"type\": \"text\", \"literal\": \"x\"}")),
        ("paragraph in a paragraph", document("{\"type\": \"paragraph\", \"children\": [{\"type\": \"paragraph\", \"children\": []}]}")),
        ("heading level 7", document("{\"type\": \"heading\", \"level\": 7, \"setext\": false, \"children\": []}")),
        ("ordered list with a bullet", document("{\"type\": \"list\", \"ordered\": true, \"tight\": true, \"start\": 1, \"delimiter\": \".\", \"bullet\": \"-\", \"children\": []}")),
        ("bullet list without its bullet", document("{\"type\": \"list\", \"ordered\": false, \"tight\": true, \"children\": []}")),
        ("unknown field", document("{\"type\": \"thematic_break\", \"style\": \"stars\"}")),
        ("bad range", document("{\"type\": \"thematic_break\", \"range\": \"3:1\"}")),
        ("unknown metadata field", "{\"herald_ast_version\": 1, \"metadata\": {\"author\": \"A\"}, \"root\": {\"type\": \"document\", \"children\": []}}"),
        ("root that is not a document", "{\"herald_ast_version\": 1, \"metadata\": {}, \"root\": {\"type\": \"paragraph\", \"children\": []}}"),
    ]

    @Test func brokenDocumentsAreInvalidAndHeraldRefusesThemToo() async throws {
        let verdicts = try await onOwnThread { try Self.verdicts(Self.broken.map(\.json)) }
        #expect(verdicts.count == Self.broken.count)
        for (example, verdict) in zip(Self.broken, verdicts) {
            #expect(verdict.hasPrefix("invalid: "), "\(example.name): \(verdict)")
            #expect(throws: DocumentJSONError.self, "\(example.name)") { try Document(json: Data(example.json.utf8)) }
        }
        // The schema says why, in the words of its validator.
        #expect(verdicts[0].contains("'foo' is not one of"))
        #expect(verdicts[1].contains("'children' is a required property"))
        #expect(verdicts[2].contains("1 was expected"))
    }

    @Test func theSchemaDefinesEveryNodeTypeAndTheTestPostHasThemAll() throws {
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: Paths.schema)) as? [String: Any])
        let definitions = try #require(schema["$defs"] as? [String: Any])
        let kinds: [NodeKind] = [
            .document, .paragraph, .heading(level: 1, setext: false), .blockQuote,
            .list(ListStyle(marker: .bullet("-"), isTight: true)), .item(task: nil),
            .codeBlock(info: "", literal: "", fenced: true), .htmlBlock(""), .thematicBreak, .table(alignments: [.none]),
            .tableRow(isHeader: true), .tableCell, .footnoteDefinition(label: ""), .text(""), .softBreak, .lineBreak,
            .code(""), .inlineHTML(""), .emphasis, .strong, .strikethrough, .link(Link(destination: "")),
            .image(Link(destination: "")), .footnoteReference(label: ""),
        ]
        for kind in kinds { #expect(definitions[kind.name] != nil, "\(kind.name)") }
        // The post the schema is tried on has them all.
        let post = MarkdownParser().parseMarkdown(Self.everyKind)
        #expect(Set(post.descendants().map { post[$0].kind.name }) == Set(kinds.map(\.name)))
    }
}
