// The whole-process figures: `herald build` run as a user runs it, over a bilingual archive,
// against the `cmark-gfm` command rendering the same files in one process. Each figure is the
// median of several runs, with the peak memory of the process; ratios are taken within this
// one run of the bench, so they mean the same on a slow machine and a fast one, and a build's
// ratio to cmark-gfm is the median of rounds that each run cmark-gfm right before the build.

import Foundation

#if canImport(Glibc)
    import Glibc
#endif

struct WholeProcess {
    /// The `herald` executable measured (a release build).
    var herald: String
    /// The sample posts the archive's English half is copied from.
    var samples: [[UInt8]]
    var posts: Int
    var runs: Int
    /// Whether the targets are judged (they are set for the sample corpus).
    var judged: Bool
    /// Whether the archive, the long post and the outputs stay on disk after the run.
    var keep = false

    /// One process run: wall time and peak resident memory.
    struct Measure {
        var seconds: Double
        var peakMB: Double
    }

    /// A figure and the most it may be.
    struct Figure {
        var name: String
        var value: String
        var ratio: Double
        var target: Double?
        var unit: String

        var over: Bool { target.map { ratio > $0 } ?? false }
    }

    /// Runs the figures, prints them, and returns the names of those over their targets.
    func run() throws -> [String] {
        let memory = URL(fileURLWithPath: "/dev/shm")
        let base = FileManager.default.isWritableFile(atPath: memory.path) ? memory : FileManager.default.temporaryDirectory
        let root = base.appendingPathComponent("herald-bench-whole-\(getpid())")
        defer {
            if keep { print("kept: \(root.path)") } else { try? FileManager.default.removeItem(at: root) }
        }
        let folder = root.appendingPathComponent("posts")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let files = try BilingualCorpus.write(count: posts, from: samples, into: folder)
        let megabytes = Double(files.reduce(0) { $0 + ((try? FileManager.default.attributesOfItem(atPath: $1)[.size] as? Int) ?? 0) }) / 1_048_576
        print("")
        print("whole process: herald build of \(posts) posts (\((posts + 1) / 2) English, \(posts / 2) Chinese, \(String(format: "%.1f", megabytes)) MB) against cmark-gfm over the same files (GitHub's extensions and footnotes, as Herald reads them), median of \(runs) runs, \(3 * runs) for the rebuilds (ratios to cmark-gfm: of \(runs) rounds, cmark-gfm then herald)")

        // The Markdown Herald reads: GitHub's extensions with footnotes, raw HTML kept (the
        // syntax the stages' in-process reference, `CmarkReference`, parses with). Without
        // `-e footnotes` cmark-gfm reads a footnote as a bracketed link label and its definition
        // as a paragraph, and skips the footnote pass over the tree (about an eighth of its time
        // on the archive).
        let cmarkArguments = ["--unsafe", "-e", "table", "-e", "strikethrough", "-e", "autolink", "-e", "tagfilter", "-e", "tasklist", "-e", "footnotes"]
        let site = ["--config", "/dev/null", "--base-url", "https://example.org/blog/", "--title", "Bench",
                    "--from", "news@example.org", "--to", "list@example.org", "--quiet"]
        var round = 0
        func out() -> String {
            round += 1
            return root.appendingPathComponent("out-\(round)").path
        }

        // The reference runs right before each build it is compared with, round after round: the
        // machine's speed drifts within seconds, and a ratio of two medians taken seconds apart
        // drifts with it. Each ratio is the median of the rounds' own ratios.
        var cmarkRuns: [Measure] = []
        func reference() throws -> Measure {
            let measure = try Self.spawn("/usr/bin/cmark-gfm", cmarkArguments + files)
            cmarkRuns.append(measure)
            return measure
        }
        let (full, fullRatio) = try paired(reference) { try Self.spawn(herald, ["build", folder.path, "--out", out()] + site) }
        let (html, htmlRatio) = try paired(reference) { try Self.spawn(herald, ["build", folder.path, "--out", out(), "--formats", "html"] + site) }
        let cmark = Self.median(of: cmarkRuns)
        // Rebuilds into the last full build's folder.
        let kept = root.appendingPathComponent("kept").path
        _ = try Self.spawn(herald, ["build", folder.path, "--out", kept] + site)
        let unchanged = try short { try Self.spawn(herald, ["build", folder.path, "--out", kept] + site, measuringMemory: $0) }
        var edits = 0
        let edited = try short {
            edits += 1
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: files[files.count / 3]))
            handle.seekToEndOfFile()
            handle.write(Data("\nOne more line, edit \(edits).\n".utf8))
            try handle.close()
            return try Self.spawn(herald, ["build", folder.path, "--out", kept] + site, measuringMemory: $0)
        }

        // One 10 MB post: the samples' bodies one after the other under one front matter.
        let big = root.appendingPathComponent("big")
        try FileManager.default.createDirectory(at: big, withIntermediateDirectories: true)
        var body = "---\ntitle: Everything at once\ndate: 2024-01-01\n---\n\n"
        var sample = 0
        while body.utf8.count < 10 * 1_048_576 {
            var random = SplitMix(seed: UInt64(sample))
            let text = sample % 2 == 0 && !samples.isEmpty
                ? String(decoding: samples[(sample / 2) % samples.count], as: UTF8.self)
                : BilingualCorpus.chinesePost(number: sample, random: &random)
            body += Self.withoutFrontMatter(text) + "\n\n"
            sample += 1
        }
        let bigPost = big.appendingPathComponent("everything.md").path
        try Data(body.utf8).write(to: URL(fileURLWithPath: bigPost))
        let bigCmark = try median { try Self.spawn("/usr/bin/cmark-gfm", cmarkArguments + [bigPost]) }
        let bigHerald = try median { try Self.spawn(herald, ["build", bigPost, "--out", out()] + site) }

        // The same build over a tenth of the posts and over all of them.
        let tenth = root.appendingPathComponent("tenth")
        try FileManager.default.createDirectory(at: tenth, withIntermediateDirectories: true)
        for file in files.prefix(max(posts / 10, 1)) {
            try FileManager.default.copyItem(atPath: file, toPath: tenth.appendingPathComponent(URL(fileURLWithPath: file).lastPathComponent).path)
        }
        let small = try median { try Self.spawn(herald, ["build", tenth.path, "--out", out()] + site) }

        let figures = [
            Figure(name: "cmark-gfm → HTML, one process (reference)", value: Self.format(cmark), ratio: 1, target: nil, unit: "×"),
            Figure(name: "herald build, all formats", value: Self.format(full), ratio: fullRatio, target: 3, unit: "× cmark"),
            Figure(name: "herald build --formats html", value: Self.format(html), ratio: htmlRatio, target: 1.5, unit: "× cmark"),
            Figure(name: "unchanged rebuild", value: Self.format(unchanged), ratio: unchanged.seconds / full.seconds * 100, target: 5, unit: "% of full"),
            Figure(name: "one post edited", value: Self.format(edited), ratio: edited.seconds / full.seconds * 100, target: 10, unit: "% of full"),
            Figure(name: "one 10 MB post: cmark-gfm", value: Self.format(bigCmark), ratio: 1, target: nil, unit: "×"),
            Figure(name: "one 10 MB post: herald build, peak memory", value: Self.format(bigHerald), ratio: bigHerald.peakMB / bigCmark.peakMB, target: 2, unit: "× cmark's"),
            Figure(name: "\(posts / 10) posts: herald build", value: Self.format(small), ratio: 1, target: nil, unit: "×"),
            Figure(name: "\(posts) posts (10×): time", value: Self.format(full), ratio: full.seconds / small.seconds, target: 11, unit: "× the tenth"),
        ]
        print(Bench.padded("figure", 44, left: true) + Bench.padded("seconds", 9) + Bench.padded("peak MB", 9) + Bench.padded("ratio", 16) + Bench.padded("target", 8))
        for figure in figures {
            let ratio = String(format: figure.ratio >= 100 ? "%.0f" : "%.1f", figure.ratio) + " " + figure.unit
            let target = figure.target.map { (judged ? (figure.over ? "> " : "≤ ") : "") + String(format: "%g", $0) } ?? ""
            print(Bench.padded(figure.name, 44, left: true) + figure.value + Bench.padded(ratio, 16) + Bench.padded(target, 8))
        }
        return judged ? figures.filter(\.over).map(\.name) : []
    }

    /// The median of ``runs`` runs of `work` (the median time; the peak memory of that run).
    func median(_ work: () throws -> Measure) rethrows -> Measure {
        var measures: [Measure] = []
        for _ in 0..<max(runs, 1) { measures.append(try work()) }
        return Self.median(of: measures)
    }

    /// A run of tens of milliseconds: the median time of three times ``runs`` runs of `work`
    /// started straight from this process (they cost little, and a median of more runs moves
    /// less with the machine's slow spells, which last a few runs of this length), and the peak
    /// memory of one more run under GNU time (whose own start and end, about a millisecond,
    /// would otherwise count as the program's: a twentieth of an unchanged rebuild).
    func short(_ work: (_ measuringMemory: Bool) throws -> Measure) rethrows -> Measure {
        let peakMB = try work(true).peakMB
        var measures: [Measure] = []
        for _ in 0..<(3 * max(runs, 1)) { measures.append(try work(false)) }
        var measure = Self.median(of: measures)
        measure.peakMB = peakMB
        return measure
    }

    /// ``runs`` rounds of `reference` then `work`: the median of the runs of `work`, and the
    /// median of each round's ratio of the two.
    func paired(_ reference: () throws -> Measure, _ work: () throws -> Measure) rethrows -> (Measure, ratio: Double) {
        var measures: [Measure] = []
        var ratios: [Double] = []
        for _ in 0..<max(runs, 1) {
            let base = try reference()
            let measure = try work()
            measures.append(measure)
            ratios.append(measure.seconds / base.seconds)
        }
        return (Self.median(of: measures), ratios.sorted()[ratios.count / 2])
    }

    /// The measure of median time (with that run's peak memory).
    static func median(of measures: [Measure]) -> Measure {
        measures.sorted { $0.seconds < $1.seconds }[measures.count / 2]
    }

    static func format(_ measure: Measure) -> String {
        Bench.padded(String(format: "%.3f", measure.seconds), 9) + Bench.padded(String(format: "%.0f", measure.peakMB), 9)
    }

    static func withoutFrontMatter(_ text: String) -> String {
        guard text.hasPrefix("---\n"), let end = text.range(of: "\n---\n", range: text.index(text.startIndex, offsetBy: 4)..<text.endIndex) else { return text }
        return String(text[end.upperBound...])
    }

    struct SpawnError: Error, CustomStringConvertible {
        var description: String
    }

    /// Runs `program` with `arguments`, its output thrown away, and measures it. With
    /// `measuringMemory`, the program runs under GNU time, which reports its peak memory: a
    /// process started straight from this one would count this one's memory as its own (Linux
    /// keeps the high-water mark across `exec`). Without, it is started straight from this one,
    /// and its peak is not known (0).
    static func spawn(_ program: String, _ arguments: [String], measuringMemory: Bool = true) throws -> Measure {
        let report = FileManager.default.temporaryDirectory.appendingPathComponent("herald-bench-time-\(getpid())").path
        defer { if measuringMemory { unlink(report) } }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let started = measuringMemory ? "/usr/bin/time" : program
        let argv = ((measuringMemory ? ["/usr/bin/time", "-f", "%M", "-o", report] : []) + [program] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let start = ContinuousClock.now
        let spawned = posix_spawn(&pid, started, &actions, nil, argv, environ)
        guard spawned == 0 else { throw SpawnError(description: "cannot run \(started)\(measuringMemory ? " (Debian package time)" : ""): \(String(cString: strerror(spawned)))") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        let elapsed = ContinuousClock.now - start
        // Exit status 1 means warnings or a failed post: the corpus has some; a crash is not.
        guard status & 0x7F == 0, (status >> 8) & 0xFF <= 1 else {
            throw SpawnError(description: "\(program) \(arguments.prefix(3).joined(separator: " ")) … ended with status \(status)")
        }
        guard measuringMemory else { return Measure(seconds: elapsed / .seconds(1), peakMB: 0) }
        // The last line is the peak in kilobytes (before it, a note when the program failed).
        let text = (try? String(contentsOfFile: report, encoding: .utf8)) ?? ""
        let kilobytes = text.split(whereSeparator: \.isNewline).last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? 0
        return Measure(seconds: elapsed / .seconds(1), peakMB: kilobytes / 1024)
    }
}
