// `herald build` writes the JSON Feed beside the Atom feed and lists it in the manifest.

import Foundation
import Testing

@Suite struct JSONFeedBuildTests {
    @Test func buildWritesTheJSONFeedOfTheExamples() throws {
        let out = try temporaryFolder("herald-jsonfeed")
        let run = herald("build", Paths.examples.path, "--out", out.path, "--base-url", "https://news.example.org/", "--no-check")
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try checkManifest(out)
        let entry = try #require(manifest.outputs.first { $0.path == "site/feed.json" })
        #expect(entry.format == "jsonfeed")
        #expect(entry.source == nil)
        let data = try Data(contentsOf: out.appendingPathComponent("site/feed.json"))
        let feed = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(feed["feed_url"] as? String == "https://news.example.org/feed.json")
        let items = try #require(feed["items"] as? [[String: Any]])
        #expect(items.count == 2)
        #expect(items.allSatisfy { ($0["url"] as? String)?.hasPrefix("https://news.example.org/") == true })
        #expect(Set(items.compactMap { $0["language"] as? String }) == ["en", "zh"])
    }
}
