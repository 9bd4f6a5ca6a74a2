// External filters, as pandoc's JSON filters: a program reads the post's document as JSON on
// standard input and writes the changed document as JSON on standard output.

import Foundation
import Synchronization

/// A program that changes a post's document: `command` runs through `/bin/sh -c` in
/// `workingDirectory`, reads the document's JSON form (``Document/jsonString(extra:)``, with the
/// post's `slug`, `lang` and `source_path` as read-only top-level fields) on standard input and
/// writes the changed document, in the same form, on standard output. What it writes on
/// standard error is quoted when it fails.
///
/// `docs/filters/document.schema.json` describes the form; `examples/filters/` has a filter.
public struct ExternalFilter: Hashable, Sendable {
    /// The shell command line, e.g. `python3 filters/mentions.py`.
    public var command: String
    /// The folder the command runs in (relative paths in the command start there).
    public var workingDirectory: String
    /// How long the filter may take before it is killed (with every process it started).
    public var timeout: Duration

    public init(command: String, workingDirectory: String, timeout: Duration = .seconds(30)) {
        self.command = command
        self.workingDirectory = workingDirectory
        self.timeout = timeout
    }

    /// Runs the filter on `post` and returns the post with the document it wrote; the post's
    /// slug, language, source path and diagnostics stay as they were, and so do the front
    /// matter key locations, which the JSON form does not carry.
    ///
    /// Throws a ``DiagnosticError`` with id `filter-failed`, placed in the post's source file,
    /// when the filter cannot start, exits with a status other than 0, does not finish within
    /// ``timeout``, or writes something that is not a document of the supported version.
    public func run(_ post: Post) throws(DiagnosticError) -> Post {
        let input = Data(post.document.jsonString(extra: [
            ("slug", post.slug), ("lang", post.lang), ("source_path", post.sourcePath),
        ]).utf8)
        let result: FilterProcess.Result
        do {
            result = try FilterProcess.run(command, in: workingDirectory, input: input, timeout: timeout)
        } catch {
            throw failure(post, "could not be started: \(error.localizedDescription)")
        }
        switch result.ending {
        case .timedOut:
            throw failure(post, "did not answer within \(Self.seconds(timeout)) and was stopped" + Self.quoting(result.stderr))
        case .signal(let number):
            throw failure(post, "was killed by signal \(number)" + Self.quoting(result.stderr))
        case .exit(let status) where status != 0:
            throw failure(post, "failed with exit status \(status)" + Self.quoting(result.stderr))
        case .exit:
            break
        }
        var document: Document
        do {
            document = try Document(json: result.stdout)
        } catch {
            switch error.reason {
            case .notJSON:
                throw failure(post, "wrote invalid JSON (\(error))")
            case .unsupportedVersion:
                throw failure(post, "wrote a document of another version (\(error))")
            case .invalidDocument:
                throw failure(post, "wrote a document Herald cannot read (\(error))")
            }
        }
        document.metadata.keyLocations = post.document.metadata.keyLocations
        var changed = post
        changed.document = document
        return changed
    }

    private func failure(_ post: Post, _ what: String) -> DiagnosticError {
        DiagnosticError(.error(.filterFailed, file: post.sourcePath, "filter '\(command)' \(what)"))
    }

    /// `: last line of standard error`, or nothing when the filter wrote none.
    private static func quoting(_ stderr: Data) -> String {
        let lines = String(decoding: stderr, as: UTF8.self).split(whereSeparator: \.isNewline)
        guard let last = lines.last(where: { !$0.allSatisfy(\.isWhitespace) }) else { return "" }
        let line = last.trimmingCharacters(in: .whitespaces)
        return ": " + (line.count > 300 ? String(line.prefix(300)) + "…" : line)
    }

    /// `30 s`, `1.5 s`.
    private static func seconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        if attoseconds == 0 { return "\(seconds) s" }
        let value = Double(seconds) + Double(attoseconds) / 1e18
        return "\((value * 1000).rounded() / 1000) s"
    }
}

/// One run of a shell command with its standard input given and its output collected, killed
/// with its process group when it overstays.
enum FilterProcess {
    enum Ending: Equatable {
        case exit(Int32)
        case signal(Int32)
        case timedOut
    }

    struct Result {
        var ending: Ending
        var stdout: Data
        var stderr: Data
    }

    /// Runs `/bin/sh -c command` in `folder`. Standard input is written on a thread of its own
    /// and standard output and error are read on two more, so a filter that writes much before it
    /// has read everything cannot block on a full pipe. Throws only when the process cannot start.
    static func run(_ command: String, in folder: String, input: Data, timeout: Duration) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        process.currentDirectoryURL = URL(fileURLWithPath: folder, isDirectory: true)
        let stdin = Pipe(), stdout = Pipe(), stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        let exited = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        let pid = process.processIdentifier
        // Foundation starts the child in a process group of its own; killing the group also
        // stops what the shell started.
        let ownGroup = getpgid(pid) == pid

        let output = Output()
        let pipes = DispatchGroup()
        let reading = DispatchQueue(label: "herald.filter", attributes: .concurrent)
        pipes.enter()
        let writer = Thread {
            // A filter that exits without reading everything closes the pipe: the write must fail
            // with an error, not end Herald with SIGPIPE. The signal is blocked on this thread
            // only (ignoring it process-wide would also leave it ignored in every filter), and a
            // pending one goes with the thread.
            var brokenPipe = sigset_t()
            sigemptyset(&brokenPipe)
            sigaddset(&brokenPipe, SIGPIPE)
            pthread_sigmask(SIG_BLOCK, &brokenPipe, nil)
            try? stdin.fileHandleForWriting.write(contentsOf: input)
            try? stdin.fileHandleForWriting.close()
            pipes.leave()
        }
        writer.start()
        reading.async(group: pipes) {
            let data = stdout.fileHandleForReading.readDataToEndOfFile()
            output.streams.withLock { $0.stdout = data }
        }
        reading.async(group: pipes) {
            let data = stderr.fileHandleForReading.readDataToEndOfFile()
            output.streams.withLock { $0.stderr = data }
        }

        let (seconds, attoseconds) = timeout.components
        let deadline = DispatchTime.now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
        // The filter is done when it has exited and closed its output (a process it left behind
        // may still hold the pipes).
        let hasExited = exited.wait(timeout: deadline) == .success
        if !hasExited || pipes.wait(timeout: deadline) == .timedOut {
            kill(ownGroup ? -pid : pid, SIGKILL)
            if !hasExited { exited.wait() }
            // Killed, the group's processes close their pipes; one that left the group may not,
            // and is not waited for long.
            _ = pipes.wait(timeout: .now() + .seconds(2))
            let collected = output.streams.withLock { $0 }
            return Result(ending: .timedOut, stdout: collected.stdout, stderr: collected.stderr)
        }
        let collected = output.streams.withLock { $0 }
        let ending: Ending = process.terminationReason == .uncaughtSignal
            ? .signal(process.terminationStatus) : .exit(process.terminationStatus)
        return Result(ending: ending, stdout: collected.stdout, stderr: collected.stderr)
    }

    /// What the reading threads collect.
    private final class Output: Sendable {
        let streams = Mutex<(stdout: Data, stderr: Data)>((Data(), Data()))
    }
}

extension ExternalFilter: Transform {
    /// `filter 'CMD'`, as diagnostics name it.
    public var name: String { "filter '\(command)'" }

    /// Replaces the post's document with what the filter wrote; a failing filter leaves the post
    /// out of the run, so nothing half-filtered is published.
    public func apply(to post: inout Post, context: TransformContext) throws {
        post = try run(post)
    }
}

extension ExternalFilter {
    /// The command, its folder and time limit, and the contents of the command's files that
    /// exist in that folder (`filters/mentions.py` in `python3 filters/mentions.py`): editing
    /// a filter's script rebuilds the posts it filters.
    public var fingerprint: String {
        var text = "filter \(command) in \(workingDirectory) within \(timeout)"
        for word in command.split(whereSeparator: \.isWhitespace) {
            let path = word.hasPrefix("/") ? String(word) : workingDirectory + "/" + word
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), !isFolder.boolValue,
                let data = FileManager.default.contents(atPath: path)
            else { continue }
            text += "\n\(word) \(SHA256.hex(data))"
        }
        return text
    }
}
