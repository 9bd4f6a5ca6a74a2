// `herald new`: where a new post goes, what its front matter says, which template it starts
// from, and that it passes `herald check` as written.

import Foundation
import HeraldCore
import HeraldMarkdown
import Testing

@Suite struct NewCommandTests {
    /// A project of two languages, English the default.
    static let bilingual = """
        site:
          title: Lantern News
          author: Mira Okafor
        languages:
          en: { folder: posts }
          zh: { folder: posts-zh, title: Lantern 新闻 }
        """

    /// A temporary project with `settings` as its herald.yml; removed by the caller.
    func project(_ settings: String) throws -> (folder: URL, config: String) {
        let folder = try temporaryFolder("herald-new")
        return (folder, try writeFile(folder, "herald.yml", settings))
    }

    /// The post `herald new` wrote: its path, its text, and its front matter read back.
    struct Written {
        var path: String
        var text: String
        var front: FrontMatterResult
        var metadata: PostMetadata { front.metadata }
    }

    func written(_ run: Run) throws -> Written {
        #expect(run.status == 0, "\(run.stderr)")
        let path = run.stdout.trimmingCharacters(in: .newlines)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let front = FrontMatter.parse(SourceText(text, path: path))
        #expect(front.diagnostics.isEmpty, "\(front.diagnostics)")
        return Written(path: path, text: text, front: front)
    }

    @Test func anEnglishPostGoesIntoTheDefaultLanguagesFolder() throws {
        let (folder, config) = try project(Self.bilingual)
        defer { try? FileManager.default.removeItem(at: folder) }
        let post = try written(herald("new", "Hello, World!", "--config", config, "--date", "2026-10-05"))
        #expect(post.path == folder.appendingPathComponent("posts/hello-world.md").path)
        #expect(post.metadata.title == "Hello, World!")
        #expect(post.metadata.date == PostDate(year: 2026, month: 10, day: 5))
        #expect(post.metadata.authors == ["Mira Okafor"])
        // The folder says the language; a new post is not a draft and has no empty tags.
        #expect(post.metadata.keyLocations["lang"] == nil)
        #expect(post.metadata.keyLocations["draft"] == nil && !post.metadata.draft)
        #expect(post.metadata.keyLocations["tags"] == nil)
        #expect(post.text.hasPrefix("---\ntitle: Hello, World!\ndate: 2026-10-05\nauthor: Mira Okafor\n"))
        #expect(post.front.body.contains("## The first section"))
        #expect(!post.text.contains("{{"))
    }

    @Test func aChinesePostGoesIntoTheChineseFolderFromTheChineseTemplate() throws {
        let (folder, config) = try project(Self.bilingual)
        defer { try? FileManager.default.removeItem(at: folder) }
        let post = try written(herald("new", "TiKV 本月动态", "--lang", "zh", "--config", config))
        #expect(post.path == folder.appendingPathComponent("posts-zh/tikv-本月动态.md").path)
        #expect(post.metadata.title == "TiKV 本月动态")
        #expect(post.metadata.keyLocations["lang"] == nil)
        #expect(post.front.body.contains("开头一段") && post.front.body.contains("## 第一部分"))
        #expect(!post.front.body.contains("The opening paragraph"))
    }

    @Test func theMonthlyTemplateHasTheNewslettersSections() throws {
        let (folder, config) = try project(Self.bilingual)
        defer { try? FileManager.default.removeItem(at: folder) }
        let english = try written(herald("new", "This Month in Lantern: October 2026", "--template", "monthly", "--date", "2026-10-30", "--config", config))
        #expect(english.metadata.tags == ["Monthly update", "Community"])
        #expect(english.front.body.contains("Welcome to the October 2026 edition"))
        var position = english.front.body.startIndex
        for section in ["News", "Releases", "Reading materials", "Notable PRs", "Notable issues", "Events", "New contributors"] {
            let heading = try #require(english.front.body.range(of: "\n## \(section)\n", range: position..<english.front.body.endIndex), "no section \(section)")
            position = heading.upperBound
        }

        let chinese = try written(herald("new", "Lantern 本月动态", "--template", "monthly", "--lang", "zh", "--date", "2026-10-30", "--config", config))
        #expect(chinese.path.hasSuffix("posts-zh/lantern-本月动态.md"))
        #expect(chinese.metadata.tags == ["月报", "社区"])
        #expect(chinese.front.body.contains("2026 年 10 月"))
        for section in ["社区新闻", "版本发布", "阅读材料", "重要 PR", "值得关注的 Issue", "社区活动", "新贡献者"] {
            #expect(chinese.front.body.contains("\n## \(section)\n"), "no section \(section)")
        }
    }

    @Test(arguments: ["default", "monthly"], ["en", "zh"])
    func aNewPostPassesCheck(_ template: String, _ lang: String) throws {
        let (folder, config) = try project(Self.bilingual)
        defer { try? FileManager.default.removeItem(at: folder) }
        let title = lang == "zh" ? "Lantern 十月动态" : "Lantern in October"
        let post = try written(herald("new", title, "--template", template, "--lang", lang, "--config", config))
        let check = herald("check", post.path, "--strict", "--config", config)
        #expect(check.status == 0, "\(check.stderr)")
        #expect(check.stderr.hasSuffix("1 post checked: 0 errors, 0 warnings\n"), "\(check.stderr)")
        // Also as a site in one language, where the post says its language itself.
        let (single, singleConfig) = try project("site:\n  author: [Mira Okafor, Chen Jing]\nposts: articles\n")
        defer { try? FileManager.default.removeItem(at: single) }
        let alone = try written(herald("new", title, "--template", template, "--lang", lang, "--config", singleConfig))
        #expect(alone.path == single.appendingPathComponent("articles/\(Slug.fromTitle(title)!).md").path)
        #expect(alone.metadata.lang == lang && alone.metadata.authors == ["Mira Okafor", "Chen Jing"])
        let checkAlone = herald("check", "--strict", "--config", singleConfig)
        #expect(checkAlone.status == 0 && checkAlone.stderr.hasSuffix("0 errors, 0 warnings\n"), "\(checkAlone.stderr)")
    }

    @Test func anExistingFileIsNeverReplaced() throws {
        let (folder, config) = try project(Self.bilingual)
        defer { try? FileManager.default.removeItem(at: folder) }
        let existing = try writeFile(folder, "posts/hello.md", "my words\n")
        let run = herald("new", "Hello", "--config", config)
        #expect(run.status != 0)
        #expect(run.stdout.isEmpty)
        #expect(run.stderr.hasPrefix("\(existing): error: already exists"), "\(run.stderr)")
        #expect(run.stderr.contains("[post-exists]"))
        #expect(try String(contentsOfFile: existing, encoding: .utf8) == "my words\n")
    }

    @Test func anUnknownTemplateIsAnErrorListingTheTemplates() throws {
        let (folder, config) = try project(Self.bilingual)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = herald("new", "Hello", "--template", "monthy", "--config", config)
        #expect(run.status == 1)
        #expect(run.stderr.contains("no template 'monthy'") && run.stderr.contains("did you mean 'monthly'?"), "\(run.stderr)")
        #expect(run.stderr.contains("(templates: default, monthly)"), "\(run.stderr)")
        #expect(filesUnder(folder) == ["herald.yml"])
    }

    @Test func aLanguageTheSiteDoesNotHaveIsAnError() throws {
        let (folder, config) = try project(Self.bilingual)
        defer { try? FileManager.default.removeItem(at: folder) }
        let run = herald("new", "Bonjour", "--lang", "fr", "--config", config)
        #expect(run.status == 1)
        #expect(run.stderr.contains("--lang fr: not one of the site's languages") && run.stderr.contains("(languages: en, zh)"), "\(run.stderr)")
        #expect(filesUnder(folder) == ["herald.yml"])
        // Written as BCP 47 writes it, a configured language is found.
        let upper = try written(herald("new", "大写", "--lang", "ZH", "--config", config))
        #expect(upper.path.hasSuffix("posts-zh/大写.md"))
    }

    @Test func withoutLanguagesTheLanguageGoesIntoTheFrontMatter() throws {
        let (folder, config) = try project("posts: [articles, more]\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let post = try written(herald("new", "Release notes", "--lang", "zh-cn", "--config", config))
        #expect(post.path == folder.appendingPathComponent("articles/release-notes.md").path)
        #expect(post.metadata.lang == "zh-CN")
        #expect(post.metadata.keyLocations["author"] == nil)
        // zh-CN takes the zh template.
        #expect(post.front.body.contains("开头一段"))
        let wrong = herald("new", "Other", "--lang", "xx", "--config", config)
        #expect(wrong.status == 1 && wrong.stderr.contains("'xx' is not a language Herald knows"), "\(wrong.stderr)")
        // Neither languages nor posts: posts/ beside herald.yml.
        let (bare, bareConfig) = try project("site:\n  title: Bare\n")
        defer { try? FileManager.default.removeItem(at: bare) }
        let plain = try written(herald("new", "First", "--config", bareConfig))
        #expect(plain.path == bare.appendingPathComponent("posts/first.md").path)
        #expect(plain.metadata.keyLocations["lang"] == nil)
    }

    @Test func todayIsTheSitesDay() throws {
        // 25 hours apart: whatever the time, the two sites are on different days.
        var days: [PostDate] = []
        for zone in ["Pacific/Kiritimati", "Pacific/Pago_Pago"] {
            let (folder, config) = try project("site:\n  timezone: \(zone)\nposts: posts\n")
            defer { try? FileManager.default.removeItem(at: folder) }
            let before = Self.today(in: zone)
            let post = try written(herald("new", "Today", "--config", config))
            let date = try #require(post.metadata.date)
            #expect(date == before || date == Self.today(in: zone), "\(date) in \(zone)")
            #expect(!date.hasTime)
            days.append(date)
        }
        #expect(days[0] != days[1])
    }

    @Test func dateIsChecked() throws {
        let (folder, config) = try project("site:\n  timezone: Asia/Shanghai\nposts: posts\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let leap = try written(herald("new", "Leap day", "--date", "2024-02-29", "--config", config))
        #expect(leap.metadata.date == PostDate(year: 2024, month: 2, day: 29))
        for wrong in ["2026-02-29", "2026-10-5", "05/10/2026", "2026-10-05T10:00:00Z"] {
            let run = herald("new", "Wrong day", "--date", wrong, "--config", config)
            #expect(run.status != 0, "\(wrong)")
            #expect(run.stderr.contains("--date"), "\(run.stderr)")
        }
        #expect(filesUnder(folder) == ["herald.yml", "posts/leap-day.md"])
    }

    static func today(in zone: String) -> PostDate {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: zone)!
        let parts = calendar.dateComponents([.year, .month, .day], from: Date())
        return PostDate(year: parts.year!, month: parts.month!, day: parts.day!)
    }

    @Test(arguments: [
        #"Lantern 3.0: the "next" release"#,
        "It's here: 3.0 — 'finally'",
        "#1 in the charts",
        "- a dash, then & and *",
        "true",
        "null",
        "2026",
        "[brackets] and {braces}: yes",
        #"back\slash and "quotes""#,
        "标题：冒号与「引号」",
    ])
    func titlesSurviveTheFrontMatter(_ title: String) throws {
        let (folder, config) = try project("site:\n  author: \"O'Brien: Jr\"\nposts: posts\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        // `--`: a title may start with `-`.
        let post = try written(herald("new", "--config", config, "--", title))
        #expect(post.metadata.title == title)
        #expect(post.metadata.authors == ["O'Brien: Jr"])
        let rendered = herald("render", post.path, "--standalone", "--config", config)
        #expect(rendered.status == 0, "\(rendered.stderr)")
    }

    @Test func aProjectsTemplatesReplaceAndAddToTheBuiltInOnes() throws {
        let (folder, config) = try project(Self.bilingual + "\ntemplates: site-templates\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        try writeFile(folder, "site-templates/new/weekly.md", """
            ---
            author: The Lantern Team
            tags: [weekly]
            ---
            {{! Our weekly digest. }}
            The week up to {{dateDisplay}}, by {{author}}: {{title}} ({{slug}}, {{lang}}, {{siteTitle}}).
            {{#authors}}
            - {{.}}
            {{/authors}}
            """)
        try writeFile(folder, "site-templates/new/default.md", "Our own default for {{title}}.\n")

        let weekly = try written(herald("new", "Week 41 & more", "--template", "weekly", "--date", "2026-10-09", "--config", config))
        // The template's author wins over the site's; Herald writes the rest.
        #expect(weekly.metadata.authors == ["The Lantern Team"])
        #expect(weekly.metadata.tags == ["weekly"])
        #expect(weekly.metadata.title == "Week 41 & more")
        #expect(weekly.text.hasPrefix("---\ntitle: Week 41 & more\ndate: 2026-10-09\nauthor: The Lantern Team\ntags: [weekly]\n---\n\n"))
        #expect(weekly.front.body.contains("The week up to October 9, 2026, by Mira Okafor: Week 41 & more (week-41-more, en, Lantern News)."))

        let plain = try written(herald("new", "Mine", "--config", config))
        #expect(plain.front.body == "\nOur own default for Mine.\n")
        // The built-in Chinese default is still there for Chinese posts.
        let chinese = try written(herald("new", "我的", "--lang", "zh", "--config", config))
        #expect(chinese.front.body.contains("开头一段"))

        let unknown = herald("new", "Other", "--template", "daily", "--config", config)
        #expect(unknown.stderr.contains("(templates: default, monthly, weekly)"), "\(unknown.stderr)")
    }

    @Test func aTemplateThatDoesNotParseIsReportedAtItsFile() throws {
        let (folder, config) = try project("posts: posts\n")
        defer { try? FileManager.default.removeItem(at: folder) }
        let templates = folder.appendingPathComponent("mine")
        try writeFile(templates, "new/broken.md", "Hello {{#title}}\n")
        let run = herald("new", "Broken", "--template", "broken", "--templates", templates.path, "--config", config)
        #expect(run.status == 1)
        #expect(run.stderr.contains("new/broken.md") && run.stderr.contains("[template-invalid]"), "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("posts/broken.md").path))
    }
}
