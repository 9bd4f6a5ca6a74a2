// The walk over libxml2's tree that frees the finished parts of the body while the parser reads
// (so a long post's tree is never whole in memory) against the walk over the whole tree.

@testable import HeraldXHTML
import Testing

@Suite struct FragmentWalkTests {
    func events(_ fragment: String, walksEarly: Bool) -> [FragmentEvent] {
        var events: [FragmentEvent] = []
        let walkedEarly = LibXML2.walkHTMLFragment(fragment, walksEarly: walksEarly) { events.append($0) }
        if !walksEarly { #expect(walkedEarly == 0) }
        return events
    }

    /// Fragments whose shape matters to when the body's children are finished: whitespace
    /// between blocks (libxml2 drops it or keeps it by looking at the last child), text and
    /// inline elements straight in the body, comments, `<pre>`'s first newline, repeated ids,
    /// a `</body>` or `</html>` in the middle, a `<title>` or `<meta>` first, a void element
    /// that swallows what follows, tables, lists and unclosed elements.
    static let fragments = [
        "",
        "<p>one</p>\n<p>two</p>\n\n<p>three</p>\n",
        "text first <b>bold</b> then\n<p>para</p> tail <i>it</i>\n<div>x</div>  \n",
        "<!-- a comment --><p>a</p>\n<!-- another -->\n<h2 id=\"x\">h</h2>\n<h2 id=\"x\">h again</h2>\n",
        "<p>before</p>\n<pre>\nkept first line\n  indented</pre>\n<pre>\n\nsecond</pre>\n<textarea>\nt</textarea>\n",
        "<p>a</p></body><p>after the body</p></html><p>after the html</p>\n<div>more</div>",
        "<title>t</title><meta charset=\"utf-16\"><p>p</p><style>p{}</style>\n<p>q</p>",
        "<p>a</p><embed src=\"x\"><p>inside the embed</p><p>still</p>\n<p>and</p>",
        "<table><tr><td>1</td></tr></table>\n<ul><li>a<li>b</ul>\n<ol><li>c</ol> \t \n<p>unclosed\n<p>next",
        "<html><body><p>nested html</p></body></html><p>after</p>\n<body><p>body again</p></body>",
        "<script>if (a < b) {}</script>\n<p>x</p>\n<b>bold<p>block in inline</p></b>\n<p>y</p>",
        "  \n  <p>leading spaces</p>   <span> spaced </span> \n <em>e</em>\n",
        "<dl><dt>t<dd>d</dl>\n<p>&amp; &lt;entities&gt; &#x4e2d;文</p>\n<br><hr>\n<img src=a alt=b>\n",
    ]

    @Test(arguments: fragments)
    func walkingEarlyGivesTheSameEvents(_ fragment: String) {
        #expect(events(fragment, walksEarly: true) == events(fragment, walksEarly: false))
    }

    /// Long fragments made of the pieces above in many orders, as a long post's body is.
    @Test func longFragmentsGiveTheSameEvents() {
        let pieces = Self.fragments.count
        for round in 0..<40 {
            var fragment = ""
            for step in 0..<(20 + round * 3) {
                fragment += Self.fragments[(round * 7 + step * step * 3 + step) % pieces]
                if (round + step) % 3 == 0 { fragment += "\n" }
            }
            let early = events(fragment, walksEarly: true)
            #expect(early == events(fragment, walksEarly: false), "\(fragment)")
            #expect(!early.isEmpty)
        }
    }

    /// The walk that frees as it goes sanitizes a long body as the whole-tree walk does.
    @Test func aLongBodyIsSanitizedTheSameWay() {
        let block = "<p>Text with <a href=\"https://example.org/\" onclick=\"x()\">a link</a> and <script>bad()</script>.</p>\n"
        let body = String(repeating: block, count: 5_000)
        let sanitized = HTMLSanitizer().sanitize(body)
        #expect(sanitized.components(separatedBy: "<p>").count == 5_001)
        #expect(!sanitized.contains("onclick") && !sanitized.contains("<script"))
        #expect(events(body, walksEarly: true) == events(body, walksEarly: false))
        // The body holds a paragraph and a newline per block. All but the last paragraph, the
        // newline before it (the last child when it starts) and its own were walked while the
        // parser read on.
        #expect(LibXML2.walkHTMLFragment(body) { _ in } == 2 * 5_000 - 3)
    }
}
