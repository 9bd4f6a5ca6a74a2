// Shell commands as child processes: input in, output out, the working folder and environment
// given, and a time limit that ends everything the command started.

import Foundation
import HeraldCore
import Testing

@Suite struct ShellCommandTests {
    @Test func inputGoesInAndBothOutputsComeBack() async throws {
        let result = try await Self.onOwnThread { try ShellCommand.run("tr a-z A-Z; echo note >&2; exit 4", input: Data("hello\n".utf8)) }
        #expect(result.ending == .exit(4))
        #expect(String(decoding: result.stdout, as: UTF8.self) == "HELLO\n")
        #expect(String(decoding: result.stderr, as: UTF8.self) == "note\n")
    }

    @Test func theFolderAndEnvironmentAreGiven() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try await Self.onOwnThread {
            try ShellCommand.run(
                "pwd; printf '%s\\n' \"$HERALD_TEST_VALUE\"", in: folder.path, environment: ["HERALD_TEST_VALUE": "a 'b' c"],
                input: Data())
        }
        let lines = String(decoding: result.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(URL(fileURLWithPath: lines.first ?? "").resolvingSymlinksInPath().path == folder.resolvingSymlinksInPath().path)
        #expect(lines.last == "a 'b' c")
    }

    @Test func aSignalIsReported() async throws {
        #expect(try await Self.onOwnThread { try ShellCommand.run("kill -TERM $$", input: Data()) }.ending == .signal(SIGTERM))
    }

    @Test func aMissingFolderCannotStart() async {
        await #expect(throws: (any Error).self) {
            try await Self.onOwnThread { try ShellCommand.run("true", in: "/nonexistent/herald", input: Data()) }
        }
    }

    /// A command that closes its output and goes on working is waited for, under its deadline.
    @Test func theShellIsWaitedForAfterItsOutputCloses() async throws {
        let start = ContinuousClock.now
        let done = try await Self.onOwnThread {
            try ShellCommand.run("exec >&- 2>&-; sleep 0.3; exit 7", input: Data(), timeout: .seconds(10))
        }
        #expect(done.ending == .exit(7))
        #expect(ContinuousClock.now - start >= .milliseconds(300))
        let stopped = try await Self.onOwnThread {
            try ShellCommand.run("exec >&- 2>&-; sleep 30", input: Data(), timeout: .milliseconds(300))
        }
        #expect(stopped.ending == .timedOut)
    }

    /// Past its time, the command and everything it started are killed: nothing is left running.
    @Test func overstayingKillsTheWholeGroup() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("herald-shell-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (result, elapsed) = try await Self.onOwnThread {
            let start = ContinuousClock.now
            let result = try ShellCommand.run(
                "sleep 60 </dev/null >/dev/null 2>&1 & echo $! > child; echo started >&2; wait", in: folder.path, input: Data(),
                timeout: .milliseconds(500))
            return (result, ContinuousClock.now - start)
        }
        #expect(result.ending == .timedOut)
        #expect(String(decoding: result.stderr, as: UTF8.self) == "started\n")
        #expect(elapsed < .seconds(5))
        let child = try #require(Int32(String(decoding: try Data(contentsOf: folder.appendingPathComponent("child")), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)))
        // Killed, the child may stay a zombie for a moment (or for good, where nothing reaps orphans).
        let deadline = ContinuousClock.now + .seconds(2)
        while Self.isRunning(child) && ContinuousClock.now < deadline { usleep(20_000) }
        #expect(!Self.isRunning(child), "process \(child) was left running")
    }

    /// Many commands at once, from the pipeline's threads.
    @Test func manyCommandsAtOnce() async throws {
        let outputs = try await Self.onOwnThread {
            Array(0..<12).concurrentMap { index in
                let result = try? ShellCommand.run("sleep 0.1; cat", input: Data("\(index)".utf8), timeout: .seconds(30))
                return String(decoding: result?.stdout ?? Data(), as: UTF8.self)
            }
        }
        #expect(outputs == (0..<12).map(String.init))
    }

    /// `body` on a thread of its own, waited for without holding a thread of Swift's cooperative
    /// pool (on which Swift Testing runs tests), which the child-process machinery needs. The
    /// test goes on when the pool has a thread for it: time within `body`.
    static func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result(catching: body)) }.start()
        }
    }

    /// Whether process `id` is running (a zombie is not).
    static func isRunning(_ id: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(id)/stat", encoding: .utf8) else { return false }
        // The state follows the command name, which is in parentheses.
        guard let end = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(after: end)...].trimmingCharacters(in: .whitespaces).first != "Z"
    }
}
