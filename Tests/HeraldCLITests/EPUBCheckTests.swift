// The official validator on every book Herald makes of the examples and the corpus: each
// must report 0 fatals, 0 errors and 0 warnings.

import Foundation
import Testing

enum EPUBCheck {
    static let jar = "/usr/share/java/epubcheck.jar"
    static let java = "/usr/bin/java"
    static let javac = "/usr/bin/javac"
    static var present: Bool {
        FileManager.default.fileExists(atPath: jar) && FileManager.default.isExecutableFile(atPath: java)
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        try runProgram(executable, arguments).output
    }

    /// A short run of the JVM: the quick compiler only, and the simplest collector. Halves the
    /// time epubcheck takes over a few dozen books.
    static let quickJVM = ["-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xshare:auto"]

    /// The runner that checks many books in one JVM, compiled once per test run; nil without
    /// a JDK.
    static let runnerClasses: URL? = {
        guard FileManager.default.isExecutableFile(atPath: javac), let classes = try? temporaryFolder("epubcheck-classes") else { return nil }
        let runner = Paths.repository.appendingPathComponent("Tests/EPUBCheck/CheckAll.java")
        _ = try? run(javac, quickJVM.map { "-J" + $0 } + ["-cp", jar, "-d", classes.path, runner.path])
        return FileManager.default.fileExists(atPath: classes.appendingPathComponent("CheckAll.class").path) ? classes : nil
    }()

    /// epubcheck's report for each book: in one JVM when a JDK can compile the runner,
    /// else one `java -jar` per book.
    static func reports(_ books: [URL]) throws -> [String: String] {
        var output = ""
        if let classes = runnerClasses {
            output = try run(java, quickJVM + ["-cp", jar + ":" + classes.path, "CheckAll"] + books.map(\.path))
        } else {
            for book in books { output += "=== \(book.path)\n" + (try run(java, quickJVM + ["-jar", jar, book.path])) }
        }
        var reports: [String: String] = [:]
        var current: String?
        for line in output.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("=== ") {
                current = String(line.dropFirst(4))
                reports[current!] = ""
            } else if let book = current {
                reports[book, default: ""] += line + "\n"
            }
        }
        return reports
    }
}

@Suite struct EPUBCheckTests {
    @Test(.enabled(if: EPUBCheck.present, "needs Debian's epubcheck (make setup)"))
    func everyBookIsCleanUnderEpubcheck() async throws {
        let out: URL
        if let (folder, built) = CorpusBuild.shared {
            #expect(built.status == 0, "\(built.stderr)")
            out = folder
        } else {
            out = try temporaryFolder("herald-epubcheck")
            let built = herald("build", Paths.examples.path, "--out", out.path, "--base-url", "https://tikv.org/blog/")
            #expect(built.status == 0, "\(built.stderr)")
        }
        var books = filesUnder(out).filter { $0.hasSuffix(".epub") }.map { out.appendingPathComponent($0) }
        #expect(books.count == (Paths.hasCorpus ? 53 + ChineseCorpus.count : 2))
        if Paths.hasCorpus {
            // The newsletter's Chinese stub, untranslated, as a book (the translation tests make it).
            books.append(try TranslateCLITests.newsletterStubBook())
            // Beside, not in, the shared build's folder, whose files its manifest lists.
            let book = try temporaryFolder("herald-epubcheck").appendingPathComponent("tikv-blog.epub")
            let made = herald("epub", Paths.corpus.appendingPathComponent("tikv-blog").path, "-o", book.path, "--title", "TiKV blog 2019–2020", "--base-url", "https://tikv.org/blog/")
            #expect(made.status == 0, "\(made.stderr)")
            #expect(made.stdout.contains("50 chapters"))
            books.append(book)
        }
        let checked = books
        let reports = try await onOwnThread { try EPUBCheck.reports(checked) }
        #expect(reports.count == books.count)
        for book in books {
            let report = reports[book.path] ?? "no report"
            #expect(report.contains("Messages: 0 fatals / 0 errors / 0 warnings"), "\(book.lastPathComponent):\n\(report)")
        }
    }

    @Test func twoBuildsGiveTheSameBooks() throws {
        let first = try temporaryFolder("herald-epub"), second = try temporaryFolder("herald-epub")
        #expect(herald("build", Paths.examples.path, "--out", first.path).status == 0)
        #expect(herald("build", Paths.examples.path, "--out", second.path).status == 0)
        for book in filesUnder(first).filter({ $0.hasSuffix(".epub") }) {
            #expect(try Data(contentsOf: first.appendingPathComponent(book)) == (try Data(contentsOf: second.appendingPathComponent(book))))
        }
    }

    @Test func theEpubCommandReportsBadPostsAndStillMakesTheBook() throws {
        let folder = try temporaryFolder("herald-epub-bad")
        try writeFile(folder, "good.md", "---\ntitle: Good\ndate: 2020-01-01\n---\n\nFine.\n")
        try writeFile(folder, "bad.md", "---\ntitle: [broken\n---\n\nBad.\n")
        let book = folder.appendingPathComponent("book.epub")
        let run = herald("epub", folder.path, "-o", book.path)
        #expect(run.status != 0)
        #expect(run.stderr.contains("bad.md:"))
        #expect(FileManager.default.fileExists(atPath: book.path))
    }
}
