// Helpers for the CLI tests: running `herald` in-process, temporary folders, repository paths.

import Foundation
import HeraldCLI
import ZIPFoundation

/// The result of one in-process run of `herald`.
struct Run {
    var status: Int32
    var stdout: String
    var stderr: String
    /// How long the run took.
    var elapsed: Duration = .zero
}

func herald(_ arguments: String..., input: String = "") -> Run {
    herald(arguments, input: input)
}

func herald(_ arguments: [String], input: String = "") -> Run {
    let console = Console.capturing(input: Data(input.utf8))
    let start = ContinuousClock.now
    let status = Herald.run(arguments, console: console)
    return Run(status: status, stdout: console.stdout, stderr: console.stderr, elapsed: ContinuousClock.now - start)
}

/// `herald` for commands that run child processes (filters, sendmail): on a thread of its own,
/// waited for without holding a thread of Swift's cooperative pool, on which Swift Testing runs
/// tests and which the child-process machinery needs. The test goes on when the pool has a
/// thread for it, so time the run with `elapsed`, not around the call.
func heraldOnOwnThread(_ arguments: String..., input: String = "") async -> Run {
    await withCheckedContinuation { continuation in
        Thread { continuation.resume(returning: herald(arguments, input: input)) }.start()
    }
}

/// Runs `executable` with `arguments` and waits for it: its exit status and what it wrote to
/// standard output and standard error, together.
func runProgram(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    let output = Pipe()
    process.standardOutput = output
    process.standardError = output
    try process.run()
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}

/// `body` on a thread of its own, awaited without holding a thread of Swift's cooperative pool:
/// for slow child processes (a JVM, Python over many files) that would otherwise hold up the
/// tests waiting for the pool.
func onOwnThread<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try body() }) }.start()
    }
}

enum Paths {
    /// The repository's root folder.
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples = repository.appendingPathComponent("examples")
    /// `../shared` beside the repository: present in CI, absent in a user's fresh clone.
    static let shared = repository.deletingLastPathComponent().appendingPathComponent("shared")
    static let corpus = shared.appendingPathComponent("corpus")
    static var hasCorpus: Bool { FileManager.default.fileExists(atPath: corpus.appendingPathComponent("tikv-blog").path) }
    /// The `herald` executable built with the tests: beside the test program, in whichever
    /// build folder and configuration `swift test` used (`make test` builds optimized ones).
    static let herald = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        .deletingLastPathComponent().appendingPathComponent("herald")
}

/// The examples, the newsletter, the blog and the Chinese posts of ``ChineseCorpus`` built once
/// for the whole test run, with every format and the addresses that make messages: the books
/// epubcheck reads, the pages html5lib reads and the messages Python reads come from this one
/// build. Nil without the corpus.
enum CorpusBuild {
    static let addresses = ["--email-from", "Lantern News <news@lantern-db.org>", "--email-to", "users@lists.lantern-db.org"]

    static let shared: (folder: URL, run: Run)? = {
        guard Paths.hasCorpus, let out = try? temporaryFolder("herald-corpus-build"), let chinese = try? ChineseCorpus.write() else { return nil }
        let run = herald(
            ["build", Paths.examples.path, Paths.corpus.appendingPathComponent("this-month-in-tikv-2019-08.md").path,
             Paths.corpus.appendingPathComponent("tikv-blog").path, chinese.path, "--out", out.path, "--base-url", "https://tikv.org/blog/"] + addresses)
        return (out, run)
    }()
}

/// Chinese posts made of what real ones got wrong: control characters pasted into the prose
/// (a backspace, an escape sequence, DEL, NEL), and closing punctuation written after a space
/// (`能力 ；`), placed so that a wrap of the plain text falls on it at every column it can.
enum ChineseCorpus {
    static let count = 6
    static let slugs = (1...count).map { "zh-hardening-\($0)" }
    static let marks = ["；", "。", "，", "？", "）", "！", "：", "、", "」", "…"]
    static let filler = Array("分布式事务的提交协议需要在多个节点之间达成一致才能保证数据的正确性与可用性并且在故障发生时尽快恢复服务")

    /// Writes the posts into a new folder, which it returns.
    static func write() throws -> URL {
        let folder = try temporaryFolder("herald-zh-corpus").appendingPathComponent("zh")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for (index, slug) in slugs.enumerated() {
            var body = "---\ntitle: 加固测试第 \(index + 1) 篇\u{8}\ndate: 2026-11-0\(index + 1)\nlang: zh\ntags: [测试]\n---\n\n"
            // Six paragraphs a post, each with a spaced mark after 10 to 45 characters.
            for paragraph in 0..<6 {
                let length = 10 + index * 6 + paragraph
                let mark = marks[(index + paragraph) % marks.count]
                let control = ["", "\u{8}", "\u{1B}[1m", "\u{7F}", "\u{85}", ""][paragraph]
                let text = String(filler[0..<min(length, filler.count)]) + control + " " + mark + "后文继续说明" + String(filler[0..<(20 + paragraph)]) + "。"
                body += paragraph % 2 == 0 ? text + "\n\n" : "- " + text + "\n- 第二项 \(mark)结束\n\n"
            }
            body += "| 项目 | 说明 |\n|---|---|\n| 容灾\u{8} | 提升容灾能力 ；见下文 |\n"
            try Data(body.utf8).write(to: folder.appendingPathComponent(slug + ".md"))
        }
        return folder
    }
}

func temporaryFolder(_ name: String = "herald") throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(name)-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
}

/// Writes `contents` to `name` in `folder` and returns its path.
@discardableResult
func writeFile(_ folder: URL, _ name: String, _ contents: String) throws -> String {
    try writeFile(folder, name, Data(contents.utf8))
}

@discardableResult
func writeFile(_ folder: URL, _ name: String, _ data: Data) throws -> String {
    let url = folder.appendingPathComponent(name)
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try data.write(to: url)
    return url.path
}

/// Every regular file under `folder`, as paths relative to it; a build's own state
/// (`.herald/`, its cache) only with `includingBuildState`.
func filesUnder(_ folder: URL, includingBuildState: Bool = false) -> [String] {
    guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return [] }
    var files: [String] = []
    while let path = walker.nextObject() as? String {
        if !includingBuildState && path.hasPrefix(".herald/") { continue }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: folder.appendingPathComponent(path).path, isDirectory: &isFolder), !isFolder.boolValue {
            files.append(path)
        }
    }
    return files.sorted()
}

/// Files inside an EPUB (or any ZIP archive).
enum EPUBFiles {
    static func entry(_ path: String, in book: URL) throws -> String {
        let archive = try Archive(url: book, accessMode: .read)
        guard let entry = archive[path] else { throw CocoaError(.fileNoSuchFile) }
        var data = Data()
        _ = try archive.extract(entry) { data.append($0) }
        return String(decoding: data, as: UTF8.self)
    }
}
