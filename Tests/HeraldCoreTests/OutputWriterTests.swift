// Writing outputs: inside the output folder only, atomically, with manifest entries that match.

import Foundation
import HeraldCore
import Testing

@Suite struct OutputWriterTests {
    func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("herald-writer-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test(arguments: ["../x", "/etc/x", "a/../../x", "a//b", "", "a/./b", "a\0b", "a\\b", "a/", ".", "a/..", "./a", "a/b/."])
    func refusesPathsThatLeaveTheFolder(_ path: String) throws {
        let writer = OutputWriter(root: try temporaryFolder())
        #expect(throws: OutputWriter.PathError.self) {
            try writer.write(Output(path: path, text: "x", format: "html"))
        }
    }

    @Test func dotsThatAreNamesAreSafe() throws {
        #expect(try OutputWriter.safeComponents("x/.../.y/z../中文") == ["x", "...", ".y", "z..", "中文"])
    }

    @Test func writesAndReportsSizeAndDigest() throws {
        let root = try temporaryFolder()
        let entry = try OutputWriter(root: root).write(Output(path: "site/p/index.html", text: "héllo", format: "html", lang: "en", source: "p.md"))
        let data = try Data(contentsOf: root.appendingPathComponent("site/p/index.html"))
        #expect(entry.bytes == data.count && entry.bytes == 6)
        #expect(entry.sha256 == sha256Hex(data))
        // No temporary file is left beside it.
        let names = try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("site/p").path)
        #expect(names == ["index.html"])
    }

    /// `herald build` run as `nobody` into `root`, whose folder `folder` (holding the old
    /// page) it may not write: the build fails with a write-failed error, and the page is whole.
    func unprivilegedBuildFails(into root: URL, folder: URL) throws {
        // The `herald` built with the tests, beside the test program.
        let herald = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
            .deletingLastPathComponent().appendingPathComponent("herald").path
        try #require(FileManager.default.isExecutableFile(atPath: herald), "build herald first (swift build)")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv (util-linux) is missing")
        let post = root.appendingPathComponent("a.md")
        try Data("---\ntitle: A\ndate: 2020-01-01\n---\n\nNew text.\n".utf8).write(to: post)
        // The page the build makes for a.md is folder/index.html: `--out` is the folder above it,
        // which nobody may read but not write, and the page's folder is `site/a`.
        let out = root.appendingPathComponent("out")
        let site = out.appendingPathComponent("site/a")
        try FileManager.default.createDirectory(at: site, withIntermediateDirectories: true)
        try Data("old".utf8).write(to: site.appendingPathComponent("index.html"))
        for path in [root.path, out.path, out.appendingPathComponent("site").path] {
            try FileManager.default.setAttributes([.posixPermissions: 0o777], ofItemAtPath: path)
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: site.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: site.path) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
        process.arguments = ["--reuid=nobody", "--regid=nogroup", "--clear-groups", herald, "build", post.path, "--out", out.path, "--formats", "html", "--quiet"]
        let errors = Pipe()
        process.standardError = errors
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        let said = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 1, "\(said)")
        #expect(said.contains("site/a/index.html") && said.contains("[write-failed]"), "\(said)")
        #expect(try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8) == "old")
        #expect(try FileManager.default.contentsOfDirectory(atPath: site.path) == ["index.html"])
    }

    @Test func aFailedWriteLeavesTheOldFileWhole() throws {
        let root = try temporaryFolder()
        let writer = OutputWriter(root: root)
        try writer.write(Output(path: "a/index.html", text: "old", format: "html"))
        // Make the folder read-only: the temporary file cannot be created, the old file stays.
        let folder = root.appendingPathComponent("a")
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: folder.path)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path) }
        if getuid() != 0 {
            #expect(throws: (any Error).self) { try writer.write(Output(path: "a/index.html", text: "new", format: "html")) }
            #expect(try String(contentsOf: folder.appendingPathComponent("index.html"), encoding: .utf8) == "old")
        } else {
            // Root writes anywhere: the same write, by `herald build`, as an unprivileged user.
            try unprivilegedBuildFails(into: root, folder: folder)
        }
        // A target that is a folder cannot be replaced: the write fails and leaves no temporary file.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("b/index.html/x"), withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { try writer.write(Output(path: "b/index.html", text: "new", format: "html")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("b").path) == ["index.html"])
    }
}

@Suite struct ManifestEncodingTests {
    /// The manifest written directly has the bytes Foundation's encoder gives it (through
    /// StableJSON): keys sorted, absent ones left out, every kind of character in its strings.
    @Test func theManifestIsWhatTheEncoderWrites() throws {
        var random = SystemRandomNumberGenerator()
        let pieces = ["post", "/", "中文", "😀", " ", "-", ".", "\u{2028}", "\u{7F}", "é", "\"", "\\", "\t", "ü"]
        func text() -> String { pieces.randomText(1...6, using: &random) }
        func plainText() -> String { text().filter { $0 != "\"" && $0 != "\\" && $0 != "\t" } }
        for round in 0..<200 {
            // Most manifests without a character to escape (written directly), some with one.
            let make = round % 4 == 0 ? text : plainText
            let outputs = (0..<Int.random(in: 1...5, using: &random)).map { _ in
                ManifestEntry(
                    source: Bool.random(using: &random) ? make() : nil, format: make(), lang: Bool.random(using: &random) ? make() : nil,
                    path: make(), bytes: Int.random(in: 0...1_000_000, using: &random), sha256: make())
            }
            let manifest = Manifest(outputs: outputs)
            #expect(try manifest.encoded() == StableJSON.encode(manifest), "\(outputs)")
        }
        #expect(try Manifest().encoded() == StableJSON.encode(Manifest()))
    }
}
