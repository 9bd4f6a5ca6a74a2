// The settings Herald's own parts write for the build cache: every stored property, and a
// different text for different settings, so that a changed option never reuses a stale output.

import HeraldCore
import HeraldEPUB
import HeraldEmail
import HeraldHTML
import HeraldJSONFeed
import HeraldMarkdown
import HeraldTranslate
import Testing

@Suite struct FingerprintTests {
    static let mail = EmailOptions(
        from: MailAddress(displayName: "News", address: "news@example.org"), to: [MailAddress(address: "list@example.org")])

    /// Each part with the settings it writes.
    static let parts: [(name: String, value: any Sendable, settings: SettingsText)] = [
        ("MarkdownParser", MarkdownParser(), MarkdownParser().settings),
        ("MarkdownSyntax", MarkdownSyntax.gfm, MarkdownSyntax.gfm.settings),
        ("HTMLOptions", HTMLOptions(), HTMLOptions().settings),
        ("HTMLBackend", HTMLBackend(), HTMLBackend().settings),
        ("PlainTextOptions", PlainTextOptions(), PlainTextOptions().settings),
        ("EmailOptions", mail, mail.settings),
        ("EmailBackend", EmailBackend(options: mail), EmailBackend(options: mail).settings),
        ("JSONFeedBackend", JSONFeedBackend(), JSONFeedBackend().settings),
        ("EPUBBackend", EPUBBackend(), EPUBBackend().settings),
        ("StubResolution", StubResolution(), StubResolution().settings),
        ("PostLinks", PostLinks(), PostLinks().settings),
    ]

    /// A property added to one of these types and left out of its settings fails here: the
    /// fields written are the stored properties reflection sees, in their order.
    @Test(arguments: parts.indices)
    func settingsAccountForEveryStoredProperty(_ index: Int) {
        let part = Self.parts[index]
        let stored = Mirror(reflecting: part.value).children.map { $0.label ?? "?" }
        #expect(part.settings.fields == stored, "\(part.name)")
        #expect(part.settings.text.hasPrefix(part.name + "("), "\(part.settings.text)")
    }

    @Test func differentSettingsGiveDifferentFingerprints() {
        func email(_ change: (inout EmailOptions) -> Void) -> String {
            var options = Self.mail
            change(&options)
            return EmailBackend(options: options).fingerprint
        }
        let fingerprints = [
            MarkdownParser().fingerprint,
            MarkdownParser(syntax: .commonMark).fingerprint,
            MarkdownParser(syntax: .herald).fingerprint,
            MarkdownParser(frontMatter: .ifWellFormed).fingerprint,
            MarkdownParser(readsBodyAfterFrontMatterErrors: true).fingerprint,
            HTMLBackend().fingerprint,
            HTMLBackend(options: HTMLOptions(flavor: .gfm)).fingerprint,
            HTMLBackend(options: HTMLOptions(rawHTML: .keep)).fingerprint,
            HTMLBackend(options: HTMLOptions(tableOfContents: true)).fingerprint,
            HTMLBackend(options: HTMLOptions(markup: WebMarkup(headingAnchors: false))).fingerprint,
            email { _ in },
            email { $0.text.width = 60 },
            email { $0.text.flowed = true },
            email { $0.from = MailAddress(address: "news@example.org") },
            email { $0.to = [] },
            email { $0.replyTo = MailAddress(address: "editor@example.org") },
            email { $0.listUnsubscribe = "mailto:leave@example.org" },
            email { $0.toByLanguage = ["zh": [MailAddress(address: "zh@example.org")]] },
            JSONFeedBackend().fingerprint,
            JSONFeedBackend(limit: 10).fingerprint,
            JSONFeedBackend(options: HTMLOptions(flavor: .commonmark)).fingerprint,
            StubResolution().fingerprint,
            StubResolution(minTranslated: 80).fingerprint,
        ]
        #expect(Set(fingerprints).count == fingerprints.count, "\(fingerprints)")
    }

    /// A dictionary of settings is written in the order of its keys, which reflection would
    /// give in an order that changes from one process to the next (and the cache would never
    /// be trusted).
    @Test func recipientsByLanguageAreWrittenInTheOrderOfTheirTags() {
        var options = Self.mail
        for tag in ["zh", "en", "ja", "de"] { options.toByLanguage[tag] = [MailAddress(address: "\(tag)@example.org")] }
        let text = options.settings.text
        let positions = ["\"de\"", "\"en\"", "\"ja\"", "\"zh\""].map { text.range(of: $0)?.lowerBound }
        #expect(positions.allSatisfy { $0 != nil })
        #expect(positions.compactMap { $0 } == positions.compactMap { $0 }.sorted(), "\(text)")
    }

    /// A quote in a value cannot make it read as another field.
    @Test func textValuesAreQuoted() {
        var one = SettingsText("Part")
        one.add("a", "x\", b: \"y")
        var two = SettingsText("Part")
        two.add("a", "x")
        two.add("b", "y")
        #expect(one.text != two.text)
        #expect(two.text == "Part(a: \"x\", b: \"y\")")
        #expect(two.fields == ["a", "b"])
    }
}
