// `herald serve` in a real browser: headless Chromium (Debian's) driven by Playwright for
// Python from the virtual environment `make setup` makes. The script is
// Tests/Browser/serve_in_browser.py; it edits a post while its page is open and sees the new
// text appear, follows the language switch to the translation, and sees a post started with
// `herald new` appear on the open index. Without the browser or Playwright the test fails: run
// `make setup`.

import Foundation
import Testing

@Suite struct ServeBrowserTests {
    static let python = Paths.repository.appendingPathComponent(".venv/bin/python")
    static let script = Paths.repository.appendingPathComponent("Tests/Browser/serve_in_browser.py")

    @Test func pagesReloadOnSaveAndTheLanguageSwitchLeadsToTheTranslation() async throws {
        try #require(
            FileManager.default.isExecutableFile(atPath: Self.python.path) && FileManager.default.isExecutableFile(atPath: "/usr/bin/chromium"),
            "the browser tests need Chromium and Playwright: run `make setup`")
        let project = try ServeProject()
        defer { project.remove() }
        let site = try await ServedSite(in: project.root)
        defer { site.stop() }

        let browser = Process()
        browser.executableURL = Self.python
        browser.arguments = [
            Self.script.path, site.url.absoluteString, project.english,
            ServedSite.binary.path, "new", "Notes From The Browser", "--config", project.root.appendingPathComponent("herald.yml").path,
        ]
        browser.currentDirectoryURL = project.root
        let output = Pipe()
        browser.standardOutput = output
        browser.standardError = output
        try browser.run()
        // Read on a thread of its own: the browser takes seconds, and the pool's threads are few.
        let said = await withCheckedContinuation { continuation in
            Thread {
                let data = output.fileHandleForReading.readDataToEndOfFile()
                browser.waitUntilExit()
                continuation.resume(returning: String(decoding: data, as: UTF8.self))
            }.start()
        }
        #expect(browser.terminationStatus == 0, "\(said)\nherald serve said:\n\(site.stdout)\(site.stderr)")
        #expect(said.contains("browser check passed"))
    }
}
