// A site in two languages, as projects keep one: English posts in one folder, Chinese posts in
// another under the same file names, and a translation stub beside its source. The build lays
// each language out in its own folder (Hugo's convention), and every page links to its
// translations both ways.

import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite struct BilingualSiteTests {
    /// A project with `herald.yml` naming an English and a Chinese folder.
    struct Site {
        let root: URL
        var out: URL { root.appendingPathComponent("dist") }
        var config: String { root.appendingPathComponent("herald.yml").path }

        init(paginate: Int? = nil) throws {
            root = try temporaryFolder("herald-bilingual")
            try writeFile(root, "herald.yml", """
                site:
                  title: TiKV Blog
                  base-url: https://tikv.org/blog/
                \(paginate.map { "  paginate: \($0)\n" } ?? "")languages:
                  en: { folder: blog-en, title: TiKV Blog }
                  zh: { folder: blog-cn, title: TiKV 博客, email: { to: tikv-cn@lists.example.org } }
                email:
                  from: "TiKV <news@tikv.org>"
                  to: tikv@lists.example.org

                """)
            try writeFile(root, "blog-en/raft.md", """
                ---
                title: Raft in TiKV
                date: 2026-10-01
                author: Ana
                tags: [raft, engineering]
                ---
                TiKV replicates with Raft. The [release](release.md) has more.

                """)
            try writeFile(root, "blog-cn/raft.md", """
                ---
                title: TiKV 中的 Raft
                date: 2026-10-01
                author: Ana
                tags: [raft, 工程]
                ---
                TiKV 用 Raft 复制数据。详见[发布说明](release.md)，以及[复制](raft.md#复制)。

                ## 复制

                每个 Region 有三个副本。

                """)
            try writeFile(root, "blog-en/release.md", """
                ---
                title: TiKV 5.0 released
                date: 2026-11-01
                tags: [release]
                ---
                Released. Read about [Raft](raft.md).

                """)
            // Paired by their front matter, whatever their file names.
            try writeFile(root, "blog-en/meetup.md", """
                ---
                title: Meetup in Beijing
                date: 2026-09-01
                translationKey: beijing-meetup-2026
                ---
                We met in Beijing.

                """)
            try writeFile(root, "blog-cn/beijing-meetup.md", """
                ---
                title: 北京见面会
                date: 2026-09-01
                translationKey: beijing-meetup-2026
                ---
                我们在北京见面了。

                """)
        }

        @discardableResult
        func build(_ extra: String...) -> Run {
            herald(["build", "--config", config, "--out", out.path] + extra)
        }

        func page(_ path: String) throws -> String {
            try String(contentsOf: out.appendingPathComponent(path), encoding: .utf8)
        }

        /// The `hreflang` alternates of a page: language → address.
        func alternates(_ path: String) throws -> [String: String] {
            var found: [String: String] = [:]
            for line in try page(path).split(separator: "\n") where line.hasPrefix("<link rel=\"alternate\" hreflang=") {
                let parts = line.split(separator: "\"")
                found[String(parts[3])] = String(parts[5])
            }
            return found
        }
    }

    @Test func bothLanguagesAreBuiltEachInItsOwnFolder() throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let run = site.build()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!run.stderr.contains("error:"), "\(run.stderr)")
        #expect(run.stdout.contains("built 5 of 5 posts"), "\(run.stdout)")
        let files = Set(filesUnder(site.out))
        for path in [
            "site/raft/index.html", "site/zh/raft/index.html", "site/release/index.html", "site/meetup/index.html",
            "site/zh/beijing-meetup/index.html",
            "site/index.html", "site/zh/index.html", "site/atom.xml", "site/zh/atom.xml", "site/feed.json", "site/zh/feed.json",
            "site/tags/index.html", "site/tags/raft/index.html", "site/zh/tags/index.html", "site/zh/tags/raft/index.html",
            "site/zh/tags/工程/index.html", "site/sitemap.xml",
            "email/raft.eml", "email/zh/raft.eml", "epub/raft.epub", "epub/zh/raft.epub",
        ] {
            #expect(files.contains(path), "\(path) missing")
        }
        // Each language's pages are in that language, and so are its index and feeds.
        #expect(try site.page("site/zh/raft/index.html").contains("<html lang=\"zh\">"))
        #expect(try site.page("site/raft/index.html").contains("<html lang=\"en\">"))
        let chineseIndex = try site.page("site/zh/index.html")
        #expect(chineseIndex.contains("<html lang=\"zh\">") && chineseIndex.contains("TiKV 中的 Raft") && !chineseIndex.contains("Raft in TiKV"))
        let englishIndex = try site.page("site/index.html")
        #expect(englishIndex.contains("Raft in TiKV") && !englishIndex.contains("TiKV 中的 Raft"))
        let chineseFeed = try site.page("site/zh/atom.xml")
        #expect(chineseFeed.contains("<title>TiKV 博客</title>") && chineseFeed.contains("https://tikv.org/blog/zh/raft/"))
        #expect(!chineseFeed.contains("Raft in TiKV"))
        #expect(try !site.page("site/atom.xml").contains("TiKV 中的 Raft"))
        let feed = try JSONSerialization.jsonObject(with: Data(site.page("site/zh/feed.json").utf8)) as? [String: Any]
        #expect(feed?["home_page_url"] as? String == "https://tikv.org/blog/zh/")
        #expect((feed?["items"] as? [[String: Any]])?.map { $0["url"] as? String } == ["https://tikv.org/blog/zh/raft/", "https://tikv.org/blog/zh/beijing-meetup/"])
        // Tag pages list the posts of their language.
        #expect(try site.page("site/zh/tags/raft/index.html").contains("href=\"../../raft/\""))
        #expect(try site.page("site/tags/raft/index.html").contains("href=\"../../raft/\""))
        // Each language's mail goes to its own list.
        #expect(try site.page("email/zh/raft.eml").contains("To: tikv-cn@lists.example.org"))
        #expect(try site.page("email/raft.eml").contains("To: tikv@lists.example.org"))
    }

    @Test func translationsLinkToEachOtherBothWays() throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        #expect(site.build().status == 0)
        let pairs = [("site/raft/index.html", "site/zh/raft/index.html"), ("site/meetup/index.html", "site/zh/beijing-meetup/index.html")]
        for (english, chinese) in pairs {
            let englishURL = "https://tikv.org/blog/" + english.dropFirst("site/".count).dropLast("index.html".count)
            let chineseURL = "https://tikv.org/blog/" + chinese.dropFirst("site/".count).dropLast("index.html".count)
            let expected = ["en": englishURL, "zh": chineseURL, "x-default": englishURL]
            #expect(try site.alternates(english) == expected)
            #expect(try site.alternates(chinese) == expected)
            // The visible switch leads to the translation's page.
            let switchTo = try languageSwitch(site.page(chinese))
            #expect(switchTo.count == 1)
            let target = site.out.appendingPathComponent(chinese).deletingLastPathComponent().appendingPathComponent(switchTo[0] + "index.html").standardizedFileURL
            #expect(target.path == site.out.appendingPathComponent(english).standardizedFileURL.path)
        }
        // A post without a translation has no alternates and no switch.
        #expect(try site.alternates("site/release/index.html").isEmpty)
        #expect(try languageSwitch(site.page("site/release/index.html")).isEmpty)
        // The indexes link to each other.
        #expect(try site.alternates("site/zh/index.html") == ["en": "https://tikv.org/blog/", "zh": "https://tikv.org/blog/zh/", "x-default": "https://tikv.org/blog/"])
        #expect(try languageSwitch(site.page("site/index.html")) == ["zh/"])
    }

    @Test func linksBetweenPostsGoToThePostInTheSameLanguage() throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let run = site.build()
        #expect(run.status == 0)
        // `release.md` has no Chinese version yet: the English page, and no warning about it.
        #expect(!run.stderr.contains("link-missing-file"), "\(run.stderr)")
        let chinese = try site.page("site/zh/raft/index.html")
        #expect(chinese.contains("<a href=\"../../release/\">发布说明</a>"))
        // A heading's address is percent-encoded in links, as the heading's own anchor writes it.
        #expect(chinese.contains("<a href=\"#%E5%A4%8D%E5%88%B6\">复制</a>"))
        #expect(try site.page("site/release/index.html").contains("<a href=\"../raft/\">Raft</a>"))
    }

    @Test func aStubBesideItsSourceIsTheSourceInItsLanguage() throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        #expect(site.build().status == 0)
        let stub = herald("translate", "--config", site.config, site.root.appendingPathComponent("blog-en/release.md").path, "--to", "zh")
        #expect(stub.status == 0, "\(stub.stderr)")
        let run = site.build()
        #expect(run.status == 0, "\(run.stderr)")
        // The stub is the Chinese release, under the source's name.
        #expect(FileManager.default.fileExists(atPath: site.out.appendingPathComponent("site/zh/release/index.html").path))
        #expect(!FileManager.default.fileExists(atPath: site.out.appendingPathComponent("site/release-zh/index.html").path))
        let expected = ["en": "https://tikv.org/blog/release/", "zh": "https://tikv.org/blog/zh/release/", "x-default": "https://tikv.org/blog/release/"]
        #expect(try site.alternates("site/release/index.html") == expected)
        #expect(try site.alternates("site/zh/release/index.html") == expected)
        // The unchanged English page was made again for its new translation: the same as a
        // fresh build gives.
        let fresh = site.root.appendingPathComponent("fresh")
        #expect(herald("build", "--config", site.config, "--out", fresh.path).status == 0)
        #expect(filesUnder(site.out) == filesUnder(fresh))
        for path in filesUnder(fresh) {
            #expect(FileManager.default.contents(atPath: site.out.appendingPathComponent(path).path)
                == FileManager.default.contents(atPath: fresh.appendingPathComponent(path).path), "\(path)")
        }
        // A Chinese link to the release now goes to its Chinese page.
        let chinese = try site.page("site/zh/raft/index.html")
        #expect(chinese.contains("<a href=\"../release/\">发布说明</a>"), "\(chinese)")
    }

    @Test func theSitemapListsEveryPageWithItsAlternates() throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        #expect(site.build().status == 0)
        let data = try Data(contentsOf: site.out.appendingPathComponent("site/sitemap.xml"))
        let document = try XMLDocument(data: data)
        let root = try #require(document.rootElement())
        #expect(root.name == "urlset")
        #expect(root.uri == "http://www.sitemaps.org/schemas/sitemap/0.9")
        var alternatesByPage: [String: [String: String]] = [:]
        for url in root.elements(forName: "url") {
            let children = url.children?.compactMap { $0 as? XMLElement } ?? []
            // sitemaps.org: <loc> first, then <lastmod>, then elements of other namespaces.
            #expect(children.first?.name == "loc")
            let loc = try #require(children.first?.stringValue)
            #expect(loc.hasPrefix("https://tikv.org/blog/") && !loc.contains(where: { !$0.isASCII }), "\(loc)")
            var links: [String: String] = [:]
            for link in children.dropFirst() where link.localName == "link" {
                #expect(link.uri == "http://www.w3.org/1999/xhtml")
                // Looked up among the attributes: FoundationXML's attribute(forName:) misses them on
                // an element of another namespace.
                func attribute(_ name: String) -> String? { link.attributes?.first { $0.name == name }?.stringValue }
                #expect(attribute("rel") == "alternate")
                links[attribute("hreflang") ?? ""] = attribute("href")
            }
            alternatesByPage[loc] = links
        }
        let pages = Set(alternatesByPage.keys)
        for path in ["", "zh/", "raft/", "zh/raft/", "release/", "meetup/", "zh/beijing-meetup/", "tags/raft/", "zh/tags/%E5%B7%A5%E7%A8%8B/"] {
            #expect(pages.contains("https://tikv.org/blog/" + path), "\(path) not listed")
        }
        // Alternates are listed pages, and each lists the other back (with itself).
        for (page, links) in alternatesByPage where !links.isEmpty {
            #expect(links.values.contains(page))
            for (lang, other) in links where lang != "x-default" {
                #expect(pages.contains(other))
                #expect(alternatesByPage[other] == links, "\(other) does not list \(page) back")
            }
        }
        #expect(alternatesByPage["https://tikv.org/blog/raft/"] == [
            "en": "https://tikv.org/blog/raft/", "zh": "https://tikv.org/blog/zh/raft/", "x-default": "https://tikv.org/blog/raft/",
        ])
    }

    @Test func indexesArePaginatedNewestFirst() throws {
        let site = try Site(paginate: 2)
        defer { try? FileManager.default.removeItem(at: site.root) }
        for day in 10...14 {
            try writeFile(site.root, "blog-en/day-\(day).md", "---\ntitle: Day \(day)\ndate: 2026-12-\(day)\n---\nText.\n")
        }
        #expect(site.build().status == 0)
        // 8 English posts, 2 a page: 4 pages, the newest first.
        let first = try site.page("site/index.html")
        #expect(first.contains("Day 14") && first.contains("Day 13") && !first.contains("Day 12"))
        #expect(first.contains("<link rel=\"next\" href=\"page/2/\">"))
        let second = try site.page("site/page/2/index.html")
        #expect(second.contains("Day 12") && second.contains("Day 11"))
        #expect(second.contains("<link rel=\"prev\" href=\"../../\">") && second.contains("<link rel=\"next\" href=\"../3/\">"))
        #expect(second.contains("<a href=\"../../day-12/\">Day 12</a>"))
        let last = try site.page("site/page/4/index.html")
        #expect(last.contains("Meetup in Beijing") && !last.contains("rel=\"next\""))
        #expect(!FileManager.default.fileExists(atPath: site.out.appendingPathComponent("site/page/5/index.html").path))
        // The Chinese index has its own pages: 2 posts, one page.
        #expect(!FileManager.default.fileExists(atPath: site.out.appendingPathComponent("site/zh/page/2/index.html").path))
    }

    @Test func aBookIsInOneLanguageUnlessAskedForAll() throws {
        let site = try Site()
        defer { try? FileManager.default.removeItem(at: site.root) }
        let book = site.root.appendingPathComponent("book.epub").path
        let folders = [site.root.appendingPathComponent("blog-en").path, site.root.appendingPathComponent("blog-cn").path]
        let mixed = herald(["epub"] + folders + ["-o", book, "--config", site.config])
        #expect(mixed.status == 1)
        #expect(mixed.stderr.contains("error: the posts are in 2 languages (en: 3, zh: 2): make a book per language with --lang en or --lang zh"), "\(mixed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: book))

        let chinese = herald(["epub"] + folders + ["-o", book, "--config", site.config, "--lang", "zh"])
        #expect(chinese.status == 0 && chinese.stdout.contains("2 chapters"), "\(chinese.stderr)")
        #expect(try EPUBFiles.entry("EPUB/package.opf", in: URL(fileURLWithPath: book)).contains("<dc:language>zh</dc:language>"))
        let all = herald(["epub"] + folders + ["-o", book, "--config", site.config, "--all-languages"])
        #expect(all.status == 0 && all.stdout.contains("5 chapters"), "\(all.stderr)")
    }

    @Test func aLanguageTagHeraldDoesNotKnowIsAnErrorAtItsPlace() throws {
        let root = try temporaryFolder("herald-bilingual-config")
        let config = try writeFile(root, "herald.yml", "languages:\n  en: { folder: en }\n  klingon: { folder: tlh }\n")
        let run = herald("build", "--config", config)
        #expect(run.status == 1)
        #expect(run.stderr.contains("\(config):3:3: error: 'klingon' is not a language tag Herald knows"), "\(run.stderr)")
        try FileManager.default.removeItem(at: root)
    }

    /// The addresses of a page's language switch.
    func languageSwitch(_ html: String) -> [String] {
        guard let start = html.range(of: "<nav class=\"languages\""), let end = html.range(of: "</nav>", range: start.upperBound..<html.endIndex) else { return [] }
        return html[start.upperBound..<end.lowerBound].components(separatedBy: "<a href=\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
    }
}
