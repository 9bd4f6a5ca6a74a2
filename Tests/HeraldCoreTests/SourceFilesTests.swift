// Reading a post's file: all of its bytes whatever its size, and a plain reason when it cannot be read.

import Foundation
import HeraldCore
import Testing

@Suite struct SourceFilesTests {
    private func temporaryFolder() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("herald-sources-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    /// Empty, small, and bigger than the read chunk: every byte comes back, none more.
    @Test(arguments: [0, 1, 4_095, 65_536, 65_537, 300_001])
    func everyByteIsRead(_ size: Int) throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 / 251) }
        let file = folder.appendingPathComponent("post.md")
        try Data(bytes).write(to: file)
        #expect(try SourceFiles.read(file.path) == bytes)
    }

    @Test func aFolderOrAMissingFileSaysWhy() throws {
        let folder = try temporaryFolder()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: DiagnosticError.self) { try SourceFiles.read(folder.path) }
        do {
            _ = try SourceFiles.read(folder.path)
        } catch {
            #expect(error.diagnostics.first?.message == "cannot read: is a folder")
        }
        do {
            _ = try SourceFiles.read(folder.appendingPathComponent("missing.md").path)
        } catch {
            #expect(error.diagnostics.first?.message == "cannot read: no such file or directory")
        }
    }

    /// A file that says it is empty may still have bytes to read (a pipe, a file of /proc).
    @Test func aFileWhoseSizeIsNotKnownIsReadToItsEnd() throws {
        let bytes = try SourceFiles.read("/proc/self/status")
        #expect(String(decoding: bytes, as: UTF8.self).contains("Name:"))
        #expect(bytes.count > 100)
    }
}
