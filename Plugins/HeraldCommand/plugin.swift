// Command plugin: `swift package herald ARGUMENTS` runs the `herald` tool with ARGUMENTS in the
// package's folder. It is thin on purpose: everything it does is `herald`'s, which tests reach.

import Foundation
import PackagePlugin

@main
struct HeraldCommand: CommandPlugin {
    func performCommand(context: PluginContext, arguments: [String]) async throws {
        let process = Process()
        process.executableURL = try context.tool(named: "herald").url
        process.arguments = arguments
        process.currentDirectoryURL = context.package.directoryURL
        try process.run()
        process.waitUntilExit()
        let status = process.terminationStatus
        guard process.terminationReason == .exit, status == 0 else {
            let how = process.terminationReason == .exit ? "exited with status \(status)" : "was killed by signal \(status)"
            Diagnostics.error("herald \(arguments.joined(separator: " ")) \(how)")
            throw HeraldFailed()
        }
    }
}

/// The `herald` tool did not succeed; its own messages are already on standard error.
struct HeraldFailed: Error, CustomStringConvertible {
    var description: String { "the herald command failed" }
}
