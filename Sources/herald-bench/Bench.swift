// `make bench`: how fast Herald turns posts into every format, as ratios against cmark-gfm
// rendering the same posts to HTML in the same process (the reference run), so the figures
// mean the same on a slow machine and a fast one.
//
//     herald-bench [CORPUS_FOLDER] [--posts N] [--rounds R] [--only WORD] [--no-targets]
//                  [--herald PATH] [--archive-posts N] [--runs R] [--keep]
//
// The corpus (default: ../shared/corpus, else examples/) is repeated up to N posts (default
// 1,000). Each stage runs R times (default 3) and its fastest run counts. Targets are ratios,
// set on the sample corpus; a stage over its target is reported and the exit status is 1.
// `--no-targets` only reports (for another corpus, whose mix of features the targets do not
// describe). `--only email` runs the stages whose name holds that word (and the reference),
// for profiling one of them.
//
// With `--herald PATH` (a release build of `herald`), the whole-process figures follow: a
// bilingual archive of N posts (default 669: the corpus's posts and as many Chinese ones) built
// by that executable against the `cmark-gfm` command, the median of R runs (default 3) each;
// `--only whole` runs only those. `--keep` leaves their posts and outputs in the folder it
// names, for profiling a build by hand.

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
    /// One stage: what it measures (returning its time in seconds) and the most it may take, as
    /// a multiple of the reference.
    struct Stage {
        var name: String
        var target: Double
        var measure: () throws -> Double
    }

    static func main() throws {
        var arguments = Array(CommandLine.arguments.dropFirst())
        /// The value of `--name VALUE`, taken out of the arguments.
        func option(_ name: String) -> String? {
            guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count else { return nil }
            defer { arguments.removeSubrange(index...(index + 1)) }
            return arguments[index + 1]
        }
        let count = option("--posts").flatMap { Int($0) } ?? 1_000
        let rounds = option("--rounds").flatMap { Int($0) } ?? 3
        let only = option("--only")
        let heraldPath = option("--herald")
        let archivePosts = option("--archive-posts").flatMap { Int($0) } ?? 669
        let runs = option("--runs").flatMap { Int($0) } ?? 3
        let judged = !arguments.contains("--no-targets")
        let keep = arguments.contains("--keep")
        arguments.removeAll { $0 == "--no-targets" || $0 == "--keep" }
        let corpus = arguments.first ?? (FileManager.default.fileExists(atPath: "../shared/corpus") ? "../shared/corpus" : "examples")
        let (sources, _) = Pipeline.collectSources([corpus])
        guard !sources.isEmpty else {
            FileHandle.standardError.write(Data("herald-bench: no posts in \(corpus)\n".utf8))
            exit(2)
        }
        let files = sources.map { [UInt8](FileManager.default.contents(atPath: $0) ?? Data()) }
        let posts = (0..<count).map { index in (path: sources[index % sources.count], bytes: files[index % files.count]) }
        let megabytes = Double(posts.reduce(0) { $0 + $1.bytes.count }) / 1_048_576
        let cores = ProcessInfo.processInfo.activeProcessorCount
        print("herald-bench: \(count) posts (\(sources.count) distinct from \(corpus)), \(String(format: "%.1f", megabytes)) MB, best of \(rounds) rounds, \(cores) cores")

        let context = BuildContext(baseURL: "https://example.org/blog/", siteTitle: "Bench")
        let from = try MailAddress(parsing: "news@example.org", field: "from")
        let to = try MailAddress(parsing: "list@example.org", field: "to")
        let html = HTMLBackend()
        let email = EmailBackend(options: EmailOptions(from: from, to: [to]))
        let epub = EPUBBackend()
        let parser = MarkdownParser()
        let linter = Linter()
        let checkingParser = MarkdownParser(readsBodyAfterFrontMatterErrors: true)
        // The posts the format stages render, as a build hands them to its backends: without the
        // text they were read from.
        let parsed = posts.compactMap { post -> Post? in
            var parsed = try? parser.parse(post.bytes, path: post.path)
            parsed?.source = nil
            return parsed
        }
        var sink = 0

        /// The fastest of the rounds of `work`, in seconds.
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
        /// Every post rendered by `backend` on one core; the bytes made go to `sink` so nothing is optimized away.
        func serially(_ backend: any Backend) throws -> Double {
            try best { for post in parsed { sink &+= try backend.render(post, context: context).reduce(0) { $0 + $1.contents.count } } }
        }
        /// The whole build through the pipeline, in parallel, files written.
        func build() throws -> Double {
            // In memory where the system offers it (/dev/shm): a disk's state (how many files were
            // deleted lately, what is being written back) would swamp Herald's own time.
            let memory = URL(fileURLWithPath: "/dev/shm")
            let root = FileManager.default.isWritableFile(atPath: memory.path) ? memory : FileManager.default.temporaryDirectory
            let output = root.appendingPathComponent("herald-bench-\(getpid())")
            defer { try? FileManager.default.removeItem(at: output) }
            // Distinct files, so that every post gets its own pages.
            let folder = output.appendingPathComponent("posts")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var buildSources: [String] = []
            for (index, post) in posts.enumerated() {
                let path = folder.appendingPathComponent(String(format: "post-%05d.md", index)).path
                try Data(post.bytes).write(to: URL(fileURLWithPath: path))
                buildSources.append(path)
            }
            let pipeline = Pipeline(parser: NumberedPosts(base: parser), backends: BackendRegistry([html, email, epub]), context: context)
            // Each round writes into a new folder: deleting thousands of files between rounds would
            // make the file system, not Herald, the thing measured.
            var round = 0
            return best {
                round += 1
                sink &+= pipeline.build(buildSources.map(Pipeline.Input.file), into: output.appendingPathComponent("out-\(round)")).manifest.outputs.count
            }
        }

        // Targets guard against regressions: each sits about a third above the highest of the
        // ratios measured when it was last set (2026-12-03, four runs: parse 2.0-2.2, HTML page
        // 0.9-1.4, email 4.0-5.2, EPUB 2.8-3.6, check 2.4-2.7, build 6.7-9.2).
        var stages = [
            Stage(name: "parse (Herald's AST)", target: 2.5) {
                best { for post in posts { sink &+= (try? parser.parse(post.bytes, path: post.path))?.document.descendants().count ?? 0 } }
            },
            Stage(name: "html page", target: 1.5) { try serially(html) },
            Stage(name: "email .txt + .eml", target: 7) { try serially(email) },
            Stage(name: "epub", target: 4.5) { try serially(epub) },
            Stage(name: "check", target: 3) { best { for post in posts { sink &+= (try? checkingParser.parse(post.bytes, path: post.path)).map { linter.check($0).count } ?? 0 } } },
            Stage(name: "build, all formats, \(cores) cores", target: 10.5) { try build() },
        ]

        func row(_ name: String, _ seconds: Double, _ ratio: Double, _ target: String) {
            print(Bench.padded(name, 40, left: true) + Bench.padded(String(format: "%.3f", seconds), 9) + Bench.padded(String(format: "%.0f", Double(count) / seconds), 10)
                + Bench.padded(String(format: "%.1f", ratio), 9) + Bench.padded(target, 8))
        }
        let reference = best { for post in posts { sink &+= CmarkReference.html(post.bytes).count } }
        print(Bench.padded("stage", 40, left: true) + Bench.padded("seconds", 9) + Bench.padded("posts/s", 10) + Bench.padded("× cmark", 9) + Bench.padded("target", 8))
        row("cmark-gfm → HTML (reference)", reference, 1, "")
        var missed: [String] = []
        if only == "whole" { stages = [] }
        // Each stage is let go once measured, and with it what only it holds (the parsed posts
        // the serial stages render), so the peak memory is that of the stage that needs most.
        while !stages.isEmpty {
            let stage = stages.removeFirst()
            guard only.map({ stage.name.contains($0) }) ?? true else { continue }
            let seconds = try stage.measure()
            let ratio = seconds / reference
            let over = judged && ratio > stage.target
            if over { missed.append(stage.name) }
            row(stage.name, seconds, ratio, judged ? (over ? "> " : "≤ ") + String(format: "%g", stage.target) : "")
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        print(String(format: "peak memory: %.0f MB (checksum %d)", Double(usage.ru_maxrss) / 1024, sink & 0xFFFF))
        if let heraldPath, only == nil || only == "whole" {
            missed += try WholeProcess(herald: heraldPath, samples: files, posts: archivePosts, runs: runs, judged: judged, keep: keep).run()
        }
        if !missed.isEmpty {
            print("over target: " + missed.joined(separator: ", "))
            exit(1)
        }
    }
}

extension Bench {
    /// `text` padded with spaces to `width` characters, on the right (`left`) or the left.
    static func padded(_ text: String, _ width: Int, left: Bool = false) -> String {
        let pad = String(repeating: " ", count: max(width - text.count, 0))
        return left ? text + pad : pad + text
    }
}

/// The bench's copies of a post each get a slug of their own (the file's name), so that posts
/// whose front matter sets a slug still make a page per copy.
struct NumberedPosts: PostParser {
    let base: MarkdownParser

    func parse(_ bytes: [UInt8], path: String) throws -> Post {
        var post = try base.parse(bytes, path: path)
        post.slug = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
        return post
    }
}
