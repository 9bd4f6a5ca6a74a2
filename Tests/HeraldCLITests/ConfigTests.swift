// herald.yml: found from any subfolder of the project, read strictly.

import Foundation
@testable import HeraldCLI
import HeraldCore
import Testing

@Suite struct ConfigTests {
    @Test func theNearestFileAboveIsFound() throws {
        let root = try temporaryFolder("herald-config")
        let deep = root.appendingPathComponent("posts/2020/10")
        try FileManager.default.createDirectory(at: deep, withIntermediateDirectories: true)
        let file = try writeFile(root, "herald.yml", "check:\n  disable: [heading-skip]\n")
        #expect(Config.nearest(from: deep) == URL(fileURLWithPath: file).standardizedFileURL.path)
        let inner = try writeFile(root.appendingPathComponent("posts"), "herald.yml", "check:\n  disable: []\n")
        #expect(Config.nearest(from: deep) == URL(fileURLWithPath: inner).standardizedFileURL.path)
        #expect(try Config.load(file).disabledRules == ["heading-skip"])
    }

    @Test(arguments: [
        ("check: [", "invalid YAML"),
        ("check:\n  disable: {heading-skip: yes}\n", "check.disable must be a string or a list of strings"),
    ])
    func badFilesAreErrors(_ text: String, _ message: String) throws {
        let file = try writeFile(try temporaryFolder("herald-config"), "herald.yml", text)
        #expect(throws: DiagnosticError.self) { try Config.load(file) }
        do {
            _ = try Config.load(file)
        } catch {
            #expect(error.diagnostics.first?.message.contains(message) == true, "\(error.diagnostics)")
            #expect(error.diagnostics.first?.id == "config-invalid")
        }
    }
}
