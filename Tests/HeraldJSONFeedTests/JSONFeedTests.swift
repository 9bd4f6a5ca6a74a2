// The JSON Feed backend: the feed decodes, follows the 1.1 specification, lists the newest posts
// first with absolute links, and keeps non-ASCII text as written.

import Foundation
import HeraldCore
import HeraldJSONFeed
import HeraldMarkdown
import Testing

/// Two posts, in the order the pipeline hands them to backends: newest first.
func samplePosts() throws -> [Post] {
    let older = """
        ---
        title: Release 1.0
        date: 2026-09-01
        author: Ada Lovelace
        tags: [release]
        summary: The first stable release.
        ---
        Read the [notes](notes/) and see ![the chart](chart.png).
        """
    let newer = """
        ---
        title: 社区更新：十月
        date: 2026-10-05T09:30:00+08:00
        authors: [李雷, 韩梅梅]
        tags: [社区, news]
        lang: zh
        ---
        本月我们发布了新版本。
        """
    let parser = MarkdownParser()
    return [
        try parser.parse(Array(newer.utf8), path: "posts/2026-10-update.md"),
        try parser.parse(Array(older.utf8), path: "posts/release-1.0.md"),
    ]
}

/// The feed file the backend writes, as a JSON object.
func feedObject(_ posts: [Post], context: BuildContext) throws -> (output: Output, object: [String: Any]) {
    let outputs = try JSONFeedBackend().renderCollection(posts.map(ListedPost.init), context: context)
    let output = try #require(outputs.first)
    #expect(outputs.count == 1)
    let object = try #require(try JSONSerialization.jsonObject(with: output.contents) as? [String: Any])
    return (output, object)
}

let context = BuildContext(baseURL: "https://news.example.org/blog", siteTitle: "Lantern News")

@Suite struct JSONFeedBackendTests {
    @Test func writesTheFeedOfTheSite() throws {
        let posts = try samplePosts()
        let (output, feed) = try feedObject(posts, context: context)
        #expect(output.path == "site/feed.json")
        #expect(output.format == "jsonfeed")
        #expect(feed["version"] as? String == "https://jsonfeed.org/version/1.1")
        #expect(feed["title"] as? String == "Lantern News")
        #expect(feed["home_page_url"] as? String == "https://news.example.org/blog/")
        #expect(feed["feed_url"] as? String == "https://news.example.org/blog/feed.json")
        #expect(feed["language"] as? String == "en")

        let items = try #require(feed["items"] as? [[String: Any]])
        #expect(items.count == 2)
        let slugs = posts.map(\.slug)
        #expect(items.map { $0["url"] as? String } == slugs.map { "https://news.example.org/blog/\($0)/" })
        #expect(items.map { $0["date_published"] as? String } == ["2026-10-05T09:30:00+08:00", "2026-09-01T00:00:00Z"])

        let release = items[1]
        #expect(release["id"] as? String == release["url"] as? String)
        #expect(release["title"] as? String == "Release 1.0")
        #expect(release["summary"] as? String == "The first stable release.")
        #expect(release["tags"] as? [String] == ["release"])
        #expect(release["authors"] as? [[String: String]] == [["name": "Ada Lovelace"]])
        #expect(release["language"] as? String == "en")
        let html = try #require(release["content_html"] as? String)
        let page = "https://news.example.org/blog/\(slugs[1])/"
        #expect(html.contains("href=\"\(page)notes/\""))
        #expect(html.contains("src=\"\(page)chart.png\""))
    }

    @Test func keepsChineseTextAsWritten() throws {
        let (output, feed) = try feedObject(try samplePosts(), context: context)
        let text = String(decoding: output.contents, as: UTF8.self)
        #expect(text.contains("\"title\" : \"社区更新：十月\""))
        #expect(!text.contains("\\u"))
        #expect(!text.contains("\\/"))
        let item = try #require((feed["items"] as? [[String: Any]])?.first)
        #expect(item["language"] as? String == "zh")
        #expect(item["authors"] as? [[String: String]] == [["name": "李雷"], ["name": "韩梅梅"]])
        #expect(item["tags"] as? [String] == ["社区", "news"])
        #expect((item["content_html"] as? String)?.contains("本月我们发布了新版本。") == true)
    }

    @Test func sameFeedGivesTheSameBytes() throws {
        let posts = try samplePosts()
        let first = try feedObject(posts, context: context).output.contents
        let second = try feedObject(posts, context: context).output.contents
        #expect(first == second)
        #expect(first.last == UInt8(ascii: "\n"))
    }

    @Test func listsAtMostTheLimitAndOnlyDatedPosts() throws {
        let parser = MarkdownParser()
        var posts = try (1...5).map { day in
            try parser.parse(Array("---\ntitle: Day \(day)\ndate: 2026-01-0\(6 - day)\n---\nText.\n".utf8), path: "day-\(day).md")
        }
        posts.append(try parser.parse(Array("---\ntitle: About\n---\nText.\n".utf8), path: "about.md"))
        let feed = JSONFeedBackend(limit: 3).feed(posts, baseURL: "https://e.org/", siteTitle: "E")
        #expect(feed.items.map(\.title) == ["Day 1", "Day 2", "Day 3"])
        let all = JSONFeedBackend().feed(posts, baseURL: "https://e.org/", siteTitle: "E")
        #expect(all.items.count == 5)
    }

    @Test func writesNothingPerPost() throws {
        #expect(try JSONFeedBackend().render(try samplePosts()[0], context: context).isEmpty)
    }
}

/// The keys the JSON Feed 1.1 specification requires, checked on the bytes the backend writes.
@Suite struct JSONFeedSpecificationTests {
    @Test func feedHasTheRequiredKeys() throws {
        let (_, feed) = try feedObject(try samplePosts(), context: context)
        #expect((feed["version"] as? String)?.hasPrefix("https://jsonfeed.org/version/") == true)
        #expect(feed["title"] is String)
        let items = try #require(feed["items"] as? [[String: Any]])
        #expect(!items.isEmpty)
        for item in items {
            #expect(item["id"] is String)
            #expect(item["content_html"] is String || item["content_text"] is String)
            for key in ["url", "title", "content_html", "summary", "date_published", "language"] {
                #expect(item[key] == nil || item[key] is String, "\(key) must be a string")
            }
            if let date = item["date_published"] as? String {
                #expect(ISO8601DateFormatter().date(from: date) != nil, "\(date) is not RFC 3339")
            }
            if let authors = item["authors"] {
                let list = try #require(authors as? [[String: Any]])
                #expect(list.allSatisfy { $0["name"] is String })
            }
        }
    }

    @Test func decodesAsTheFeedItWasMadeFrom() throws {
        let feed = JSONFeedBackend().feed(try samplePosts(), baseURL: "https://e.org/", siteTitle: "E")
        #expect(try JSONDecoder().decode(JSONFeed.self, from: feed.encoded()) == feed)
    }

    @Test func emptySiteStillHasAnItemsList() throws {
        let (_, feed) = try feedObject([], context: context)
        #expect((feed["items"] as? [Any])?.isEmpty == true)
    }
}
