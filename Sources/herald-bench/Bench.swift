// `make bench`: how fast Herald turns posts into every format, as ratios against cmark-gfm
// rendering the same posts to HTML in the same process (the reference run), so the figures
// mean the same on a slow machine and a fast one.
//
//     herald-bench [CORPUS_FOLDER] [--posts N] [--rounds R] [--only WORD]
//
// The corpus (default: ../shared/corpus, else examples/) is repeated up to N posts (default
// 1,000). Each stage runs R times (default 3) and its fastest run counts. Targets are ratios;
// a stage over its target is reported and the exit status is 1. `--only email` runs the stages
// whose name holds that word (and the reference), for profiling one of them.

import Foundation
import HeraldCheck
import HeraldCore
import HeraldEPUB
import HeraldEmail
import HeraldHTML
import HeraldMarkdown
import HeraldTemplates

#if canImport(Glibc)
    import Glibc
#endif

@main
struct Bench {
    /// One measured stage and the most it may take, as a multiple of the reference.
    struct Stage {
        var name: String
        var target: Double?
        var seconds: Double = 0
    }

    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        func option(_ name: String, default value: Int) -> Int {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count, let number = Int(arguments[index + 1]) else { return value }
            arguments.removeSubrange(index...(index + 1))
            return number
        }
        let count = option("--posts", default: 1_000)
        let rounds = option("--rounds", default: 3)
        var only: String?
        if let index = arguments.firstIndex(of: "--only"), index + 1 < arguments.count {
            only = arguments[index + 1]
            arguments.removeSubrange(index...(index + 1))
        }
        let corpus = arguments.first ?? (FileManager.default.fileExists(atPath: "../shared/corpus") ? "../shared/corpus" : "examples")
        let (sources, _) = Pipeline.collectSources([corpus])
        guard !sources.isEmpty else {
            FileHandle.standardError.write(Data("herald-bench: no posts in \(corpus)\n".utf8))
            exit(2)
        }
        let files = sources.map { [UInt8](FileManager.default.contents(atPath: $0) ?? Data()) }
        let posts = (0..<count).map { index in (path: sources[index % sources.count], bytes: files[index % files.count]) }
        let megabytes = Double(posts.reduce(0) { $0 + $1.bytes.count }) / 1_048_576
        print("herald-bench: \(count) posts (\(sources.count) distinct from \(corpus)), \(String(format: "%.1f", megabytes)) MB, best of \(rounds) rounds, \(ProcessInfo.processInfo.activeProcessorCount) cores")

        let context = BuildContext(baseURL: "https://example.org/blog/", siteTitle: "Bench")
        let from = try MailAddress(parsing: "news@example.org", field: "from")
        let to = try MailAddress(parsing: "list@example.org", field: "to")
        let html = HTMLBackend()
        let email = EmailBackend(options: EmailOptions(from: from, to: [to]))
        let epub = EPUBBackend()
        let parser = MarkdownParser()
        let parsed = posts.compactMap { try? parser.parse($0.bytes, path: $0.path) }

        func best(_ work: () throws -> Void) rethrows -> Double {
            var fastest = Double.infinity
            for _ in 0..<max(rounds, 1) {
                let start = ContinuousClock.now
                try work()
                let elapsed = ContinuousClock.now - start
                fastest = min(fastest, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
            }
            return fastest
        }
        /// Renders every post with `backend` on one core, returning the bytes made (so nothing is optimized away).
        func serially(_ backend: any Backend) throws -> Int {
            var bytes = 0
            for post in parsed { bytes += try backend.render(post, context: context).reduce(0) { $0 + $1.contents.count } }
            return bytes
        }

        var sink = 0
        let reference = best { for post in posts { sink &+= CmarkReference.html(post.bytes).count } }
        // Targets guard against regressions: each sits about a third above the ratio measured when
        // it was last set. The aim for the whole build is about a second for 1,000 posts, some
        // ten times cmark-gfm alone.
        var stages = [
            Stage(name: "parse (Herald's AST)", target: 4),
            Stage(name: "html page", target: 4),
            Stage(name: "email .txt + .eml", target: 16),
            Stage(name: "epub", target: 13),
            Stage(name: "check", target: 10),
            Stage(name: "build, all formats, \(ProcessInfo.processInfo.activeProcessorCount) cores", target: 30),
        ]
        func runs(_ index: Int) -> Bool { only.map { stages[index].name.contains($0) } ?? true }
        if runs(0) { stages[0].seconds = best { for post in posts { sink &+= (try? parser.parse(post.bytes, path: post.path))?.document.descendants().count ?? 0 } } }
        if runs(1) { stages[1].seconds = try best { sink &+= try serially(html) } }
        if runs(2) { stages[2].seconds = try best { sink &+= try serially(email) } }
        if runs(3) { stages[3].seconds = try best { sink &+= try serially(epub) } }
        let linter = Linter()
        if runs(4) { stages[4].seconds = best { for post in posts { sink &+= linter.check(post.bytes, path: post.path).count } } }
        if runs(5) {
            // In memory where the system offers it (/dev/shm): a disk's state (how many files were
            // deleted lately, what is being written back) would swamp Herald's own time.
            let memory = URL(fileURLWithPath: "/dev/shm")
            let root = FileManager.default.isWritableFile(atPath: memory.path) ? memory : FileManager.default.temporaryDirectory
            let output = root.appendingPathComponent("herald-bench-\(getpid())")
            defer { try? FileManager.default.removeItem(at: output) }
            // The whole build: distinct files so that every post gets its own pages.
            let folder = output.appendingPathComponent("posts")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var buildSources: [String] = []
            for (index, post) in posts.enumerated() {
                let path = folder.appendingPathComponent(String(format: "post-%05d.md", index)).path
                try Data(post.bytes).write(to: URL(fileURLWithPath: path))
                buildSources.append(path)
            }
            let pipeline = Pipeline(parser: parser, backends: BackendRegistry([html, email, epub]), context: context)
            // Each round writes into a new folder: deleting thousands of files between rounds would
            // make the file system, not Herald, the thing measured.
            var round = 0
            stages[5].seconds = best {
                round += 1
                sink &+= pipeline.build(sources: buildSources, into: output.appendingPathComponent("out-\(round)")).manifest.outputs.count
            }
        }

        func padded(_ text: String, _ width: Int, left: Bool = false) -> String {
            let pad = String(repeating: " ", count: max(width - text.count, 0))
            return left ? text + pad : pad + text
        }
        print(padded("stage", 40, left: true) + padded("seconds", 9) + padded("posts/s", 10) + padded("× cmark", 9) + padded("target", 8))
        func row(_ name: String, _ seconds: Double, _ ratio: Double, _ target: String) {
            print(padded(name, 40, left: true) + padded(String(format: "%.3f", seconds), 9) + padded(String(format: "%.0f", Double(count) / seconds), 10)
                + padded(String(format: "%.1f", ratio), 9) + padded(target, 8))
        }
        row("cmark-gfm → HTML (reference)", reference, 1, "")
        var missed: [String] = []
        for (index, stage) in stages.enumerated() where runs(index) {
            let ratio = stage.seconds / reference
            let over = stage.target.map { ratio > $0 } ?? false
            if over { missed.append(stage.name) }
            row(stage.name, stage.seconds, ratio, stage.target.map { (over ? "> " : "≤ ") + String(format: "%.0f", $0) } ?? "")
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "peak memory: %.0f MB (checksum %d)", Double(usage.ru_maxrss) / 1024, sink & 0xFFFF))
        if !missed.isEmpty {
            print("over target: " + missed.joined(separator: ", "))
            exit(1)
        }
    }
}
