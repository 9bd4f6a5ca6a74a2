// Herald's Mustache: the tags, sections, standalone lines, partials and errors of the templates
// users write (docs/commands.md, "Templates").

import HeraldCore
import HeraldTemplates
import Testing

/// `text` rendered over `values`, escaping for HTML unless told otherwise.
private func render(_ text: String, _ values: [String: TemplateValue] = [:], escaping: TemplateEscaping = .html, partials: [String: String] = [:]) throws -> String {
    var library = TemplateLibrary(escaping: escaping)
    for (name, partial) in partials { try library.register(partial, named: name) }
    try library.register(text, named: "main")
    return try #require(try library.render(values, withTemplate: "main"))
}

/// Where and why `text` does not parse.
private func syntaxError(_ text: String) -> TemplateSyntaxError? {
    do {
        _ = try Template(text)
        return nil
    } catch {
        return error
    }
}

@Suite struct MustacheVariableTests {
    @Test func variablesAreEscapedForHTMLUnlessTripleOrAmpersand() throws {
        let values: [String: TemplateValue] = ["name": .text("Tom & \"Jerry\" <b>'s</b>")]
        #expect(try render("{{name}}", values) == "Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#39;s&lt;/b&gt;")
        #expect(try render("{{{name}}}|{{& name}}|{{ name }}", values)
            == "Tom & \"Jerry\" <b>'s</b>|Tom & \"Jerry\" <b>'s</b>|Tom &amp; &quot;Jerry&quot; &lt;b&gt;&#39;s&lt;/b&gt;")
        #expect(try render("{{name}}", values, escaping: .none) == "Tom & \"Jerry\" <b>'s</b>")
    }

    @Test func valuesOfEveryKindShowAsText() throws {
        let values: [String: TemplateValue] = [
            "count": .number(42), "yes": true, "tags": .texts(["rust", "性能"]), "map": .map(["a": "b"]), "empty": "",
        ]
        #expect(try render("[{{count}}] [{{yes}}] [{{tags}}] [{{map}}] [{{empty}}] [{{missing}}]", values) == "[42] [true] [rust, 性能] [] [] []")
    }

    @Test func dottedNamesLookInsideAndNamesClimbOutOfSections() throws {
        let values: [String: TemplateValue] = [
            "site": .map(["title": "Herald", "owner": .map(["name": "Ana"])]),
            "title": "outer",
            "posts": .list([.map(["title": "first"]), .map(["slug": "second"])]),
        ]
        #expect(try render("{{site.title}} {{site.owner.name}} {{site.missing.name}} {{title.length}}", values) == "Herald Ana  ")
        // A post without a title shows the outer one; `.title` asks the post only.
        #expect(try render("{{#posts}}({{title}}|{{.title}}){{/posts}}", values) == "(first|first)(outer|)")
    }

    @Test func theCurrentValueIsADot() throws {
        let values: [String: TemplateValue] = ["tags": .texts(["a<b", "c"]), "name": "x"]
        #expect(try render("{{#tags}}<{{.}}>{{/tags}}", values) == "<a&lt;b><c>")
        #expect(try render("{{#name}}{{.}}{{/name}}", values) == "x")
    }

    @Test func aContentTypeTagTurnsEscapingOffForTheRestOfItsSection() throws {
        let values: [String: TemplateValue] = ["a": "<", "on": true]
        #expect(try render("{{a}}{{#on}}{{% CONTENT_TYPE: TEXT }}{{a}}{{/on}}{{a}}", values) == "&lt;<&lt;")
        #expect(try render("{{a}}{{% CONTENT_TYPE: HTML }}{{a}}", values, escaping: .none) == "<&lt;")
    }
}

@Suite struct MustacheSectionTests {
    @Test func sectionsRenderForTruthyValuesAndInvertedOnesForTheOthers() throws {
        let values: [String: TemplateValue] = [
            "yes": true, "no": false, "empty": .list([]), "text": "", "map": .map([:]), "list": .texts(["1", "2", "3"]),
        ]
        let cases: [(String, String)] = [
            ("yes", "[S]"), ("no", "[I]"), ("missing", "[I]"), ("empty", "[I]"), ("text", "[S]"), ("map", "[S]"), ("list", "[SSS]"),
        ]
        for (name, expected) in cases {
            #expect(try render("[{{#\(name)}}S{{/\(name)}}{{^\(name)}}I{{/\(name)}}]", values) == expected, "\(name)")
        }
    }

    @Test func listItemsAreRenderedInOrderAndNestedSectionsSeeEveryLevel() throws {
        let values: [String: TemplateValue] = [
            "lang": "en",
            "posts": .list([
                .map(["title": "A", "tags": .texts(["x", "y"])]),
                .map(["title": "B", "tags": .list([])]),
            ]),
        ]
        let text = "{{#posts}}{{title}}:{{#tags}}{{.}}/{{lang}} {{/tags}}{{^tags}}none{{/tags}};{{/posts}}"
        #expect(try render(text, values) == "A:x/en y/en ;B:none;")
    }

    @Test func aLineHoldingOnlyASectionOrCommentTagLeavesNoTrace() throws {
        let values: [String: TemplateValue] = ["posts": .texts(["a", "b"]), "no": false]
        let text = "<ul>\n  {{#posts}}\n  <li>{{.}}</li>\n  {{/posts}}\n{{! a note\n  over two lines }}\n\t{{^no}}  \r\nend\n{{/no}}"
        #expect(try render(text, values) == "<ul>\n  <li>a</li>\n  <li>b</li>\nend\n")
    }

    @Test func aTagSharingItsLineWithTextOrAnotherTagKeepsTheLine() throws {
        let values: [String: TemplateValue] = ["yes": true, "name": "n"]
        #expect(try render("  {{#yes}}x\n{{/yes}}\n", values) == "  x\n")
        #expect(try render("{{#yes}}{{/yes}}\n|", values) == "\n|")
        #expect(try render(" {{name}} \n", values) == " n \n")
        #expect(try render("a {{! note }} b", values) == "a  b")
    }

    @Test func newDelimitersHoldUntilChangedAgain() throws {
        let values: [String: TemplateValue] = ["name": "<x>", "yes": true]
        #expect(try render("{{=<% %>=}}\n<% name %> {{name}} <%{ name }%>\n<%#yes%>y<%/yes%><%={{ }}=%>{{name}}", values)
            == "&lt;x&gt; {{name}} <x>\ny&lt;x&gt;")
    }
}

@Suite struct MustachePartialTests {
    @Test func aStandalonePartialIndentsEveryLineItWritesButNotTheLinesOfAValue() throws {
        let values: [String: TemplateValue] = ["content": "<\n->", "items": .texts(["1", "2"])]
        let partial = "|\n{{{content}}}\n{{#items}}\n- {{.}}\n{{/items}}\n|\n"
        #expect(try render("\\\n  {{> box}}\n/\n", values, partials: ["box": partial]) == "\\\n  |\n  <\n->\n  - 1\n  - 2\n  |\n/\n")
        // Inside a line, a partial is not indented.
        #expect(try render("> {{> box}}", values, partials: ["box": "a\nb"]) == "> a\nb")
    }

    @Test func partialsSeeTheValuesWhereTheyAreIncludedAndMissingOnesWriteNothing() throws {
        let values: [String: TemplateValue] = ["posts": .list([.map(["title": "A"]), .map(["title": "B"])])]
        #expect(try render("{{#posts}}[{{> item}}]{{/posts}}{{> missing}}", values, partials: ["item": "{{title}}"]) == "[A][B]")
    }

    @Test func partialsRecurseOverNestedDataAndStopWhenTheyWouldNeverEnd() throws {
        let tree: TemplateValue = .map(["name": "1", "children": .list([.map(["name": "1.1", "children": .list([.map(["name": "1.1.1", "children": .list([])])])])])])
        let node = "{{name}}({{#children}}{{> node}}{{/children}})"
        #expect(try render("{{#tree}}{{> node}}{{/tree}}", ["tree": tree], partials: ["node": node]) == "1(1.1(1.1.1()))")
        // A partial that includes itself whatever the data renders to a depth limit, not to a crash.
        let endless = try render("{{> loop}}", [:], partials: ["loop": "x{{> loop}}"])
        #expect(endless == String(repeating: "x", count: 100))
    }

    /// A template whose work grows at every level, which would never end in practice, is an
    /// error at its file, at once (both found by the template fuzzer).
    @Test(arguments: [
        // 2^100 renderings before the depth limit stops it.
        "x{{> loop}}{{> loop}}",
        // Once, but for every item of a list: 3^100.
        "{{#tags}}<{{.}}>{{> loop}}{{/tags}}",
    ])
    func renderingsThatWouldNeverEndAreErrors(_ loop: String) throws {
        var library = TemplateLibrary()
        try library.register(loop, named: "loop", file: "html/loop.mustache")
        try library.register("<p>{{> loop}}</p>", named: "page", file: "html/page.mustache")
        let error = try #require(throws: DiagnosticError.self) {
            try library.render(["tags": .texts(["a", "b", "c"])], withTemplate: "page")
        }
        #expect(error.diagnostics.map(\.description) == [
            "html/page.mustache: error: rendering stopped after 1000000 tags and texts: does a partial include itself? [template-render]"
        ])
    }

    @Test func aListingOfManyPostsIsFarBelowTheLimits() throws {
        let posts = TemplateValue.list((0..<20_000).map { .map(["title": .text("Post \($0)"), "url": "a/", "tags": .texts(["x", "y"])]) })
        let page = try render("{{#posts}}<li><a href=\"{{url}}\">{{title}}</a>{{#tags}} {{.}}{{/tags}}</li>\n{{/posts}}", ["posts": posts])
        #expect(page.utf8.count > 600_000)
        // Past the limits, the error says which.
        var library = TemplateLibrary()
        library.limits = TemplateLimits(steps: 1_000, output: 1 << 20)
        try library.register("{{#posts}}{{title}}{{/posts}}", named: "page", file: "page.mustache")
        #expect(throws: DiagnosticError.self) { try library.render(["posts": posts], withTemplate: "page") }
        library.limits = TemplateLimits(steps: 1_000_000, output: 1_000)
        let error = try #require(throws: DiagnosticError.self) { try library.render(["posts": posts], withTemplate: "page") }
        #expect(error.diagnostics.first?.message == "rendering stopped after 1000 bytes of output: does a partial include itself?")
    }
}

@Suite struct MustacheErrorTests {
    @Test func errorsPointAtTheTagThatIsWrong() {
        #expect(syntaxError("<html>\n  {{#posts}}\n  {{/post}}\n") == TemplateSyntaxError(
            line: 3, column: 6, message: "section closed with a name that does not match the one it opened with"))
        #expect(syntaxError("<title>{{title</title>") == TemplateSyntaxError(line: 1, column: 15, message: "unfinished tag name"))
        #expect(syntaxError("a\n  {{#posts}}\n") == TemplateSyntaxError(line: 2, column: 3, message: "section 'posts' is never closed"))
        #expect(syntaxError("{{/posts}}") == TemplateSyntaxError(
            line: 1, column: 4, message: "section closed with a name that does not match the one it opened with"))
        #expect(syntaxError("x {{! never closed") == TemplateSyntaxError(line: 1, column: 3, message: "comment is never closed"))
        #expect(syntaxError("{{=<%>=}}")?.message == "badly formed set-delimiter tag")
        #expect(syntaxError("{{% CONTENT_TYPE: XML }}") == TemplateSyntaxError(line: 1, column: 5, message: "unknown configuration variable"))
        #expect(syntaxError("{{<parent}}{{/parent}}")?.message == "template inheritance ('{{<' and '{{$') is not supported")
        #expect(syntaxError("{{upper(title)}}") == TemplateSyntaxError(line: 1, column: 8, message: "unfinished tag name"))
    }

    @Test func columnsCountCharactersNotBytes() {
        #expect(syntaxError("标题：{{标题") == TemplateSyntaxError(line: 1, column: 8, message: "unfinished tag name"))
    }

    @Test func sectionsNestedBeyondTheLimitAreAnErrorNotACrash() {
        let deep = String(repeating: "{{#a}}", count: 500) + String(repeating: "{{/a}}", count: 500)
        #expect(syntaxError(deep)?.message == "sections are nested more than 200 deep")
    }

    @Test func everyPrefixOfATemplateParsesOrFailsAndRenders() throws {
        // Cut anywhere, a template is either an error or renders: never a crash or a hang.
        let text = "{{=<% %>=}}<%#a%>\n  <%> p%>\n<%/a%><%={{ }}=%>{{! c }}{{{b}}}{{^c}}{{& d}}{{/c}}{{% CONTENT_TYPE: TEXT }}é{{.}}"
        let values: [String: TemplateValue] = ["a": .texts(["1", "2"]), "b": "<b>", "d": "&"]
        for end in text.indices {
            var library = TemplateLibrary()
            guard (try? library.register("x{{a}}\ny", named: "p")) != nil, (try? library.register(String(text[..<end]), named: "t")) != nil else { continue }
            #expect(try library.render(values, withTemplate: "t") != nil)
        }
    }

    @Test func everyBuiltInTemplateParses() throws {
        for (path, text) in TemplateSource.builtIn where path.hasSuffix(".mustache") {
            #expect(syntaxError(text) == nil, "\(path)")
        }
    }
}
