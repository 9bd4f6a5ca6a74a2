// File stamps taken many at a time, each file looked at in its folder: the same stamps as one
// file at a time by its path.

import Foundation
@testable import HeraldCore
import Testing

@Suite struct FileStampTests {
    @Test func stampsOfManyFilesAreTheStampsOfEach() throws {
        let tests = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        let sources = tests.deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Sources/HeraldCore/Pipeline")
        let here = try FileManager.default.contentsOfDirectory(atPath: tests.path).sorted().prefix(3).map { tests.appendingPathComponent($0).path }
        let there = try FileManager.default.contentsOfDirectory(atPath: sources.path).sorted().prefix(3).map { sources.appendingPathComponent($0).path }
        #expect(here.count == 3 && there.count == 3)
        // Files of two folders taken turn about (each folder is opened once, and met again),
        // none, a file that is not there, a folder, a path that ends in a slash, and a bare
        // name (in the current folder).
        let paths: [String?] = [
            here[0], there[0], here[1], nil, there[1], tests.appendingPathComponent("missing.swift").path, here[2], there[2],
            tests.path, tests.path + "/", "Package.swift", here[0],
        ]
        let stamps = FileStamp.stamps(of: paths)
        #expect(stamps.count == paths.count)
        for (path, stamp) in zip(paths, stamps) {
            #expect(stamp == path.flatMap { FileStamp(path: $0) }, "\(path ?? "nil")")
        }
        #expect(stamps[3] == nil && stamps[5] == nil && stamps[8] == nil && stamps[9] == nil)
        // Most files of a checkout settled long before its tests run (a file changed in the
        // last three seconds has no stamp, by either way).
        #expect(stamps.compactMap { $0 }.count >= 3)
    }
}
