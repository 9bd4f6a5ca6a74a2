// Rebuilds into the same folder: what is unchanged is neither read nor written, what changed is
// made again with what lists it, what is gone is removed, and the result is always the files a
// fresh build would write.

import Foundation
import HeraldCLI
@testable import HeraldCore
import Testing

@Suite struct IncrementalBuildTests {
    /// A small blog: `b` links to `a`, `c` has an image beside it, all are dated.
    struct Blog {
        let root: URL
        var posts: URL { root.appendingPathComponent("posts") }
        var out: URL { root.appendingPathComponent("dist") }

        init() throws {
            root = try temporaryFolder("herald-incremental")
            try writeFile(posts, "a.md", "---\ntitle: Alpha\ndate: 2024-01-01\n---\n\nThe first post.\n")
            try writeFile(posts, "b.md", "---\ntitle: Beta\ndate: 2024-02-01\n---\n\nAfter [the first](a.md).\n")
            try writeFile(posts, "c.md", "---\ntitle: Gamma\ndate: 2024-03-01\n---\n\n![A chart](chart.png)\n")
            try writeFile(posts, "chart.png", Data([0x89, 0x50, 0x4E, 0x47, 1, 2, 3]))
        }

        @discardableResult
        func build(_ extra: String...) -> Run {
            let run = herald(["build", posts.path, "--out", out.path, "--base-url", "https://e.org/", "--from", "news@e.org", "--to", "list@e.org"] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            return run
        }

        /// Sets every file of the output folder to an old time, so that the next build's writes
        /// show (file systems keep times coarsely).
        func age() throws {
            let old = Date(timeIntervalSince1970: 1_000_000_000)
            for path in filesUnder(out, includingBuildState: true) {
                try FileManager.default.setAttributes([.modificationDate: old], ofItemAtPath: out.appendingPathComponent(path).path)
            }
        }

        /// The files written since ``age()``.
        func written() throws -> Set<String> {
            Set(try filesUnder(out, includingBuildState: true).filter { path in
                let attributes = try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent(path).path)
                return (attributes[.modificationDate] as? Date ?? .distantFuture).timeIntervalSince1970 > 1_000_000_001
            })
        }

        /// Every output equals what a fresh build of the posts as they are now writes.
        func matchesAFreshBuild(_ extra: String...) throws {
            let fresh = root.appendingPathComponent("fresh")
            let run = herald(["build", posts.path, "--out", fresh.path, "--base-url", "https://e.org/", "--from", "news@e.org", "--to", "list@e.org"] + extra)
            #expect(run.status == 0, "\(run.stderr)")
            let files = filesUnder(out)
            #expect(files == filesUnder(fresh))
            for path in files {
                #expect(FileManager.default.contents(atPath: out.appendingPathComponent(path).path)
                    == FileManager.default.contents(atPath: fresh.appendingPathComponent(path).path), "\(path)")
            }
            try FileManager.default.removeItem(at: fresh)
        }
    }

    @Test func anUnchangedRebuildWritesNothing() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        let first = blog.build()
        #expect(first.stdout.contains("built 3 of 3 posts"))
        #expect(first.stdout.contains("(17 written, 0 unchanged, 0 removed)"), "\(first.stdout)")
        try blog.age()
        let again = blog.build()
        #expect(try blog.written() == [])
        #expect(again.stdout.contains("built 3 of 3 posts"))
        #expect(again.stdout.contains("17 files (0 written, 17 unchanged, 0 removed)"), "\(again.stdout)")
        try blog.matchesAFreshBuild()
    }

    /// An output removed, or cut short, since the last build is written again, and the other
    /// outputs are left alone: a rebuild looks for every output the cache lists, with its size.
    @Test func anOutputRemovedOrCutShortIsWrittenAgain() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build()
        try blog.age()
        try FileManager.default.removeItem(at: blog.out.appendingPathComponent("email/a.txt"))
        try Data("cut".utf8).write(to: blog.out.appendingPathComponent("site/b/index.html"))
        try blog.age()
        let run = blog.build()
        #expect(try blog.written().isSuperset(of: ["email/a.txt", "site/b/index.html"]))
        #expect(try !blog.written().contains { $0.hasPrefix("epub/") || $0 == "email/c.txt" })
        #expect(run.stdout.contains("17 files ("), "\(run.stdout)")
        try blog.matchesAFreshBuild()
    }

    @Test func aOnePostEditWritesThatPostsOutputsAndTheListsThatShowIt() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build()
        try blog.age()
        try writeFile(blog.posts, "c.md", "---\ntitle: Gamma, revised\ndate: 2024-03-01\n---\n\n![A chart](chart.png)\n\nMore.\n")
        let run = blog.build()
        #expect(try blog.written() == [
            "site/c/index.html", "email/c.txt", "email/c.eml", "epub/c.epub",
            "site/index.html", "site/atom.xml", "site/feed.json", "manifest.json", ".herald/build-cache",
        ])
        #expect(run.stdout.contains("(7 written, 10 unchanged, 0 removed)"), "\(run.stdout)")
        try blog.matchesAFreshBuild()
    }

    /// The index and the sitemap show what posts say of themselves: an edit of a post's text
    /// leaves them as they were (they are not even made again); the feeds, which hold the text, change.
    @Test func anEditOfAPostsTextLeavesTheIndexAlone() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build("--base-url", "https://example.org/")
        try blog.age()
        try writeFile(blog.posts, "c.md", "---\ntitle: Gamma\ndate: 2024-03-01\n---\n\n![A chart](chart.png)\n\nMore words.\n")
        blog.build("--base-url", "https://example.org/")
        #expect(try blog.written() == [
            "site/c/index.html", "email/c.txt", "email/c.eml", "epub/c.epub",
            "site/atom.xml", "site/feed.json", "manifest.json", ".herald/build-cache",
        ])
        // A new tag is a change of the listing: the index stays, the tag pages and the sitemap follow.
        try blog.age()
        try writeFile(blog.posts, "c.md", "---\ntitle: Gamma\ndate: 2024-03-01\ntags: [charts]\n---\n\n![A chart](chart.png)\n\nMore words.\n")
        blog.build("--base-url", "https://example.org/")
        let written = try blog.written()
        #expect(written.isSuperset(of: ["site/c/index.html", "site/tags/index.html", "site/tags/charts/index.html", "site/index.html"]))
        try blog.matchesAFreshBuild("--base-url", "https://example.org/")
    }

    /// The feeds show the newest 50 posts in full: an edit of an older post leaves them as
    /// they are (they are not even made again); an edit of a post they show makes them again.
    @Test func theFeedsAreMadeAgainOnlyForThePostsTheyShow() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        for day in 1...52 {
            try writeFile(blog.posts, "old/p\(day).md", "---\ntitle: Post \(day)\ndate: 2023-01-\(String(format: "%02d", day % 28 + 1))T\(String(format: "%02d", day % 24)):00:00Z\n---\n\nText \(day).\n")
        }
        blog.build()
        try blog.age()
        // Of the 55 posts, the three of 2024 and 47 of 2023 are in the feeds; the oldest, p28, is not.
        try writeFile(blog.posts, "old/p28.md", "---\ntitle: Post 28\ndate: 2023-01-01T04:00:00Z\n---\n\nText 28, revised.\n")
        blog.build()
        #expect(try blog.written() == ["site/p28/index.html", "email/p28.txt", "email/p28.eml", "epub/p28.epub", "manifest.json", ".herald/build-cache"])
        try blog.matchesAFreshBuild()

        try blog.age()
        try writeFile(blog.posts, "c.md", "---\ntitle: Gamma\ndate: 2024-03-01\n---\n\n![A chart](chart.png)\n\nNews.\n")
        blog.build()
        #expect(try blog.written() == [
            "site/c/index.html", "email/c.txt", "email/c.eml", "epub/c.epub", "site/atom.xml", "site/feed.json", "manifest.json", ".herald/build-cache",
        ])
        try blog.matchesAFreshBuild()
    }

    @Test func aPostIsMadeAgainWhenAPostItLinksToChanges() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build()
        try blog.age()
        // `a` gets a slug of its own: `b`'s link to it points at the new page.
        try writeFile(blog.posts, "a.md", "---\ntitle: Alpha\ndate: 2024-01-01\nslug: first\n---\n\nThe first post.\n")
        blog.build()
        let written = try blog.written()
        #expect(written.isSuperset(of: ["site/first/index.html", "site/b/index.html", "email/b.txt"]))
        #expect(!written.contains("site/c/index.html"))
        #expect(try String(contentsOf: blog.out.appendingPathComponent("site/b/index.html"), encoding: .utf8).contains("href=\"../first/\""))
        #expect(!FileManager.default.fileExists(atPath: blog.out.appendingPathComponent("site/a").path))
        try blog.matchesAFreshBuild()
    }

    @Test func aPostIsMadeAgainWhenItsImageChanges() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build()
        try blog.age()
        try writeFile(blog.posts, "chart.png", Data([0x89, 0x50, 0x4E, 0x47, 9, 9, 9, 9]))
        blog.build()
        let written = try blog.written()
        #expect(written.isSuperset(of: ["site/c/chart.png", "epub/c.epub"]))
        #expect(!written.contains("site/a/index.html") && !written.contains("site/b/index.html"))
        try blog.matchesAFreshBuild()
    }

    @Test func aRemovedPostsOutputsAreRemovedAndNothingElse() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build()
        // A file the build did not write stays, even in a folder the build made.
        try writeFile(blog.out, "site/CNAME", "news.e.org\n")
        try writeFile(blog.out, "site/c/notes.txt", "mine\n")
        try FileManager.default.removeItem(at: blog.posts.appendingPathComponent("c.md"))
        let run = blog.build()
        #expect(run.stdout.contains("built 2 of 2 posts"))
        #expect(run.stdout.contains("5 removed"), "\(run.stdout)")
        let files = filesUnder(blog.out)
        #expect(!files.contains { $0.hasPrefix("email/c.") || $0 == "epub/c.epub" || $0 == "site/c/index.html" || $0 == "site/c/chart.png" })
        #expect(files.contains("site/CNAME") && files.contains("site/c/notes.txt"))
        // The folder of a post is removed with its last file.
        try FileManager.default.removeItem(at: blog.posts.appendingPathComponent("b.md"))
        blog.build()
        #expect(!FileManager.default.fileExists(atPath: blog.out.appendingPathComponent("site/b").path))
        #expect(FileManager.default.fileExists(atPath: blog.out.appendingPathComponent("site/a/index.html").path))
    }

    @Test func forceRewritesEverything() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build()
        try blog.age()
        let run = blog.build("--force")
        #expect(try blog.written() == Set(filesUnder(blog.out, includingBuildState: true)))
        #expect(run.stdout.contains("(17 written, 0 unchanged, 0 removed)"), "\(run.stdout)")
    }

    @Test func otherSettingsMakeEveryPostAgainAndWriteWhatChanged() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build()
        try blog.age()
        blog.build("--title", "Another Name")
        let written = try blog.written()
        // The site's name is on every page and in every mail.
        #expect(written.isSuperset(of: ["site/a/index.html", "site/index.html", "email/a.txt"]))
        try blog.matchesAFreshBuild("--title", "Another Name")
    }

    @Test func aDamagedCacheIsIgnoredWithANote() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build()
        for damage in ["herald build cache 1\n\u{7}", "{\"format\": \"something-else\"}"] {
            try writeFile(blog.out, ".herald/build-cache", damage)
            try blog.age()
            let run = blog.build()
            #expect(run.stderr.contains(".herald/build-cache: note: ") && run.stderr.contains("building every post [build-cache-ignored]"), "\(run.stderr)")
            // Every post is made again; the files that come out the same are not rewritten.
            #expect(try blog.written() == [".herald/build-cache"])
            try blog.matchesAFreshBuild()
        }
    }

    @Test func aDamagedManifestRemovesNothing() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build()
        // Without a cache to go by, the manifest is the record of what the last build wrote.
        try writeFile(blog.out, ".herald/build-cache", "not a cache")
        try writeFile(blog.out, "manifest.json", "{\"outputs\": [{\"path\": \"../../etc\"")
        try FileManager.default.removeItem(at: blog.posts.appendingPathComponent("a.md"))
        let run = blog.build()
        #expect(run.stderr.contains("[manifest-unreadable]"), "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: blog.out.appendingPathComponent("site/a/index.html").path))
    }

    /// A source that has not changed for a few seconds is known by its stamp (size, times,
    /// inode) at the next build and not read again; a change, even one that keeps the size and
    /// puts the modification time back, changes the stamp and is seen.
    @Test func settledSourcesAreKnownByTheirStampsAndEveryChangeIsSeen() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        blog.build()
        // Just written, the sources are read at every build: their stamps are not kept yet.
        #expect(try Self.stampedSources(blog.out) == [])
        Thread.sleep(forTimeInterval: 3.2)
        try blog.age()
        blog.build()
        // The stamps are kept, and only the cache holding them was written.
        #expect(try Self.stampedSources(blog.out) == ["a.md", "b.md", "c.md"])
        #expect(try blog.written() == [".herald/build-cache"])
        try blog.age()
        let again = blog.build()
        #expect(try blog.written() == [])
        #expect(again.stdout.contains("17 files (0 written, 17 unchanged, 0 removed)"), "\(again.stdout)")
        // The same number of bytes, the old modification time put back: the change time moves on.
        let file = blog.posts.appendingPathComponent("c.md").path
        let modified = try #require(try FileManager.default.attributesOfItem(atPath: file)[.modificationDate] as? Date)
        let text = try String(contentsOfFile: file, encoding: .utf8)
        try Data(text.replacingOccurrences(of: "Gamma", with: "Omega").utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: file)
        blog.build()
        #expect(try blog.written().contains("site/c/index.html"))
        let page = try String(contentsOf: blog.out.appendingPathComponent("site/c/index.html"), encoding: .utf8)
        #expect(page.contains("Omega") && !page.contains("Gamma"))
        try blog.matchesAFreshBuild()
        // The entries of `a.md` and `b.md` were copied from the last cache: the cache is the one
        // its entries encoded afresh make.
        let bytes = try #require(FileManager.default.contents(atPath: blog.out.appendingPathComponent(".herald/build-cache").path))
        var cache = try BuildCache.decoded([UInt8](bytes))
        cache.asRead = nil
        #expect(cache.encoded() == [UInt8](bytes))
    }

    /// The names of the sources whose stamps the build cache in `out` keeps.
    static func stampedSources(_ out: URL) throws -> [String] {
        let bytes = try #require(FileManager.default.contents(atPath: out.appendingPathComponent(".herald/build-cache").path))
        let cache = try BuildCache.decoded([UInt8](bytes))
        return cache.sources.values.filter { $0.stamp != nil }.map { URL(fileURLWithPath: $0.path).lastPathComponent }.sorted()
    }

    /// The cache's sources are written in parts that a rebuild decodes on every core: a cache
    /// of many posts comes back as it was written, and one cut short anywhere is damaged.
    @Test func aCacheOfManyPostsIsReadBackWholeFromItsParts() throws {
        var sources: [String: BuildCache.Source] = [:]
        for number in 0..<(BuildCache.entriesPerPart * 2 + 22) {
            sources["/blog/posts/\(number).md"] = BuildCache.Source(
                path: "posts/\(number).md", digest: "digest \(number)",
                stamp: number % 2 == 0 ? FileStamp(device: 1, inode: UInt64(number), size: 10, modified: 5, changed: 6) : nil,
                dependencies: ["/blog/posts/chart\(number).png": "image \(number)"],
                diagnostics: [.warning("reference-unused", file: "posts/\(number).md", at: SourceLocation(line: number, column: 1), "said of \(number)")],
                outputs: [ManifestEntry(
                    source: number % 3 == 0 ? "posts/\(number + 1).md" : "posts/\(number).md", format: "html", lang: "zh",
                    path: "site/\(number)/index.html", bytes: number, sha256: "sum \(number)")],
                listed: nil)
        }
        let cache = BuildCache(
            herald: "herald", settings: "settings", sources: sources, listing: BuildCache.Collection(key: "listing", outputs: []),
            collection: BuildCache.Collection(key: "collection", outputs: [], shows: ["/blog/posts/1.md"]), extra: [])
        let bytes = cache.encoded()
        let read = try BuildCache.decoded(bytes)
        #expect(read.sources.count == sources.count)
        for (key, source) in sources {
            let back = try #require(read.sources[key])
            #expect(back.path == source.path && back.digest == source.digest && back.stamp == source.stamp)
            #expect(back.dependencies == source.dependencies && back.outputs == source.outputs)
            #expect(back.diagnostics.map(\.message) == source.diagnostics.map(\.message))
        }
        #expect(read.collection.shows == ["/blog/posts/1.md"] && read.settings == "settings")
        // Written again, every entry is copied as it was read; or some, the others encoded.
        #expect(read.encoded() == bytes)
        var some = read
        some.asRead = read.asRead?.keeping(sources.keys.filter { $0.hasSuffix("3.md") || $0.hasSuffix("0.md") })
        #expect(some.asRead?.ranges.count == 2 * (BuildCache.entriesPerPart * 2 + 22) / 10)
        #expect(some.encoded() == bytes)
        for length in stride(from: BuildCache.header.count, to: bytes.count, by: 97) {
            #expect(throws: CacheReader.Damaged.self) { try BuildCache.decoded(Array(bytes[..<length])) }
        }
    }

    @Test func warningsOfUnchangedPostsAreSaidAgain() throws {
        let blog = try Blog()
        defer { try? FileManager.default.removeItem(at: blog.root) }
        try writeFile(blog.posts, "d.md", "---\ntitle: Delta\ndate: 2024-04-01\n---\n\nSee [nothing](missing.md).\n")
        let first = blog.build()
        let again = blog.build()
        #expect(first.stderr.contains("[link-missing-file]"))
        #expect(again.stderr == first.stderr)
        #expect(again.stdout.contains("0 written"))
        // The missing post appears: the post linking to it is made again and the warning goes.
        try writeFile(blog.posts, "missing.md", "---\ntitle: Found\ndate: 2024-05-01\n---\n\nHere.\n")
        let third = blog.build()
        #expect(!third.stderr.contains("[link-missing-file]"), "\(third.stderr)")
        try blog.matchesAFreshBuild()
    }

    @Test func progressShowsOnATerminalOnlyAndQuietSaysNothing() throws {
        let root = try temporaryFolder("herald-progress")
        defer { try? FileManager.default.removeItem(at: root) }
        for day in 1...9 {
            try writeFile(root, "posts/p\(day).md", "---\ntitle: Post \(day)\ndate: 2024-01-0\(day)\n---\n\nText \(day).\n")
        }
        let terminal = Console.capturing(errorIsTerminal: true)
        let arguments = ["build", root.appendingPathComponent("posts").path, "--formats", "html", "--base-url", "https://e.org/"]
        #expect(Herald.run(arguments + ["--out", root.appendingPathComponent("a").path], console: terminal) == 0)
        #expect(terminal.stderr.contains("rendering 9/9 posts"), "\(terminal.stderr)")
        #expect(terminal.stdout.hasPrefix("built 9 of 9 posts into"))
        let piped = herald(arguments + ["--out", root.appendingPathComponent("b").path])
        #expect(piped.stderr == "")
        let quiet = Console.capturing(errorIsTerminal: true)
        #expect(Herald.run(arguments + ["--out", root.appendingPathComponent("c").path, "--quiet"], console: quiet) == 0)
        #expect(quiet.stderr == "" && quiet.stdout == "")
    }
}
