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

    @Test(arguments: ["../x", "/etc/x", "a/../../x", "a//b", "", "a/./b", "a\0b", "a\\b"])
    func refusesPathsThatLeaveTheFolder(_ path: String) throws {
        let writer = OutputWriter(root: try temporaryFolder())
        #expect(throws: OutputWriter.PathError.self) {
            try writer.write(Output(path: path, text: "x", format: "html"))
        }
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
        }
        // A target that is a folder cannot be replaced: the write fails and leaves no temporary file.
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: folder.path)
        try FileManager.default.createDirectory(at: root.appendingPathComponent("b/index.html/x"), withIntermediateDirectories: true)
        #expect(throws: (any Error).self) { try writer.write(Output(path: "b/index.html", text: "new", format: "html")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("b").path) == ["index.html"])
    }
}
