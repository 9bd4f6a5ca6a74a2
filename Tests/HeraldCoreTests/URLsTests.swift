// Link destinations: schemes, web addresses, and the quick answers that spare Foundation's parser.

import Foundation
@testable import HeraldCore
import Testing

@Suite struct URLsTests {
    static let addresses = [
        "https://github.com/tikv/tikv/pull/5128", "https://.github.com/tikv/tikv/pull/5128", "http://example.org",
        "https://example.org/a%20b?q=1&r=2#part", "https://example.org/a%2", "https://example.org/#a#b",
        "https://-bad.example.org/", "https://ok-.example.org/", "https://", "https:///path", "HTTPS://Example.org/",
        "https://user@example.org/", "https://example.org:8080/x", "https://[::1]/", "https://例子.公司/", "https://a..b/",
        "https://example.org/a b", "https://example.org/[x]", "https://example.org/~user/(a)", "mailto:a@b.org",
        "ftp://example.org", "https://example.org/path/with/ü", "https://example.org?x", "https://example.org#",
    ]

    @Test func webAddressesHaveAHostThatCanBeRead() {
        #expect(URLs.isWellFormedWebAddress("https://github.com/tikv/tikv/pull/5128"))
        #expect(!URLs.isWellFormedWebAddress("https://.github.com/tikv/tikv/pull/5128"))
        #expect(!URLs.isWellFormedWebAddress("https://-bad.example.org/"))
        #expect(!URLs.isWellFormedWebAddress("https://"))
        #expect(URLs.isWellFormedWebAddress("mailto:a@b.org"))
    }

    /// The quick answer, where it gives one, is the parser's answer: on the cases above and on
    /// every link of the sample corpus.
    @Test func theQuickAnswerAgreesWithTheParser() throws {
        var addresses = Self.addresses
        let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("shared/corpus")
        for file in (FileManager.default.enumerator(atPath: corpus.path)?.compactMap { $0 as? String } ?? []) where file.hasSuffix(".md") {
            let text = try String(contentsOf: corpus.appendingPathComponent(file), encoding: .utf8)
            addresses += text.split(separator: "(").compactMap { part in
                let address = part.prefix { $0 != ")" && !$0.isWhitespace }
                return address.hasPrefix("http") ? String(address) : nil
            }
        }
        var answered = 0
        for address in addresses {
            guard let quick = URLs.simpleWebAddress(address) else { continue }
            answered += 1
            #expect(quick == URLs.parsedWebAddressIsWellFormed(address), "\(address)")
        }
        #expect(answered >= 8)
    }

    @Test func schemesAreLettersDigitsAndPlusMinusDot() {
        #expect(URLs.hasScheme("https://x") && URLs.hasScheme("mailto:a@b") && URLs.hasScheme("git+ssh://x") && URLs.hasScheme("a1:x"))
        #expect(!URLs.hasScheme("/path:x") && !URLs.hasScheme("1a:x") && !URLs.hasScheme(":x") && !URLs.hasScheme("page.html") && !URLs.hasScheme("中:x"))
    }

    @Test func aSchemeIsReadAsABrowserReadsIt() {
        #expect(URLs.startsLike(" Java\tScript:alert(1)", "javascript:"))
        #expect(URLs.startsLike("java\u{7F}script:x", "javascript:"))
        #expect(!URLs.startsLike("javascrip", "javascript:") && !URLs.startsLike("https://x", "javascript:"))
    }
}
