// `herald serve` run as the editor runs it: the built executable in a project folder, on a free
// port, stopped with Ctrl-C (SIGINT). The tests talk to it over HTTP.

import Foundation
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A project with English and Chinese posts, translations of each other.
struct ServeProject {
    let root: URL
    var english: String { root.appendingPathComponent("posts/hello.md").path }
    var chinese: String { root.appendingPathComponent("posts-zh/hello.md").path }

    init() throws {
        root = try temporaryFolder("herald-serve-project")
        try writeFile(root, "herald.yml", """
            site:
              title: Lantern News
            languages:
              en: { folder: posts, title: Lantern News }
              zh: { folder: posts-zh, title: 灯笼新闻 }

            """)
        try writeFile(root, "posts/hello.md", Self.post(title: "Hello", body: "The first words of the newsletter."))
        try writeFile(root, "posts-zh/hello.md", Self.post(title: "你好", body: "通讯的第一句话。"))
    }

    static func post(title: String, body: String, date: String = "2026-11-02") -> String {
        """
        ---
        title: \(title)
        date: \(date)
        author: Ana
        tags: [news]
        ---
        \(body)

        """
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}

/// A running `herald serve`. Its waits are asynchronous: a test that blocked a thread of Swift's
/// cooperative pool (two threads on two cores) would hold up every other test.
final class ServedSite: @unchecked Sendable {
    let process = Process()
    let url: URL
    private let output = Pipe(), errors = Pipe()
    private let captured = Captured()

    /// What the server printed so far.
    private final class Captured: @unchecked Sendable {
        let lock = NSLock()
        var stdout = "", stderr = ""
        func append(_ data: Data, error: Bool) {
            lock.withLock { if error { stderr += String(decoding: data, as: UTF8.self) } else { stdout += String(decoding: data, as: UTF8.self) } }
        }
    }

    static let binary = Paths.herald

    /// Starts `herald serve --port 0 ARGUMENTS` in `folder` and waits for its address.
    init(_ arguments: [String] = [], in folder: URL, environment: [String: String] = [:]) async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary.path), "build herald first (swift build)")
        process.executableURL = Self.binary
        process.arguments = ["serve", "--port", "0"] + arguments
        process.currentDirectoryURL = folder
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = output
        process.standardError = errors
        let captured = self.captured
        output.fileHandleForReading.readabilityHandler = { captured.append($0.availableData, error: false) }
        errors.fileHandleForReading.readabilityHandler = { captured.append($0.availableData, error: true) }
        try process.run()
        // `serving http://127.0.0.1:PORT/ …` once the first build is done.
        let deadline = Date().addingTimeInterval(60)
        var address: URL?
        while address == nil && Date() < deadline && process.isRunning {
            try await Task.sleep(for: .milliseconds(50))
            let text = captured.lock.withLock { captured.stdout }
            if let range = text.range(of: #"serving (http://[^ ]+/)"#, options: .regularExpression) {
                address = URL(string: String(text[range].dropFirst("serving ".count)))
            }
        }
        guard let address else {
            process.terminate()
            throw ServeFailure(stdout: captured.lock.withLock { captured.stdout }, stderr: captured.lock.withLock { captured.stderr })
        }
        url = address
    }

    struct ServeFailure: Error, CustomStringConvertible {
        var stdout: String, stderr: String
        var description: String { "herald serve did not start\nstdout: \(stdout)\nstderr: \(stderr)" }
    }

    var stdout: String { captured.lock.withLock { captured.stdout } }
    var stderr: String { captured.lock.withLock { captured.stderr } }

    /// GET `path`; redirects are not followed, so they can be seen.
    func get(_ path: String) async throws -> (status: Int, body: String, type: String?, location: String?) {
        var request = URLRequest(url: URL(string: path, relativeTo: url)!)
        request.timeoutInterval = 30
        let (data, response) = try await URLSession(configuration: .ephemeral, delegate: NoRedirects(), delegateQueue: nil)
            .data(for: request)
        let http = try #require(response as? HTTPURLResponse)
        return (http.statusCode, String(decoding: data, as: UTF8.self), http.value(forHTTPHeaderField: "Content-Type"),
                http.value(forHTTPHeaderField: "Location"))
    }

    private final class NoRedirects: NSObject, URLSessionTaskDelegate {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    /// The server's view of its last build.
    func status() async throws -> (generation: Int, errors: [String]) {
        let body = try await get("/__herald/status").body
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        return (json["generation"] as? Int ?? -1, json["errors"] as? [String] ?? [])
    }

    /// Waits until the build after `generation` is done (the page's own wait, as a browser does it).
    func waitForBuild(after generation: Int) async throws -> (generation: Int, errors: [String]) {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            _ = try await get("/__herald/wait?generation=\(generation)")
            let now = try await status()
            if now.generation != generation { return now }
        }
        Issue.record("no rebuild within 60 s\nstdout: \(stdout)\nstderr: \(stderr)")
        return (generation, [])
    }

    /// Ctrl-C, and the exit status once the server has stopped.
    @discardableResult
    func interrupt() async -> Int32 {
        guard process.isRunning else { return process.terminationStatus }
        kill(process.processIdentifier, SIGINT)
        let deadline = Date().addingTimeInterval(20)
        while process.isRunning && Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning { process.terminate() }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(50)) }
        return process.terminationStatus
    }

    /// Ctrl-C without waiting: for a test's end, whatever happened before.
    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGINT) }
    }

    deinit { if process.isRunning { process.terminate() } }
}
