// External filters, as pandoc's JSON filters: a program reads the post's document as JSON on
// standard input and writes the changed document as JSON on standard output.

import Foundation

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
    ///
    /// Blocks the calling thread while the filter runs, which must not be a thread of Swift's
    /// cooperative pool (see ``ShellCommand``).
    public func run(_ post: Post) throws(DiagnosticError) -> Post {
        let input = Data(post.document.jsonString(extra: [
            ("slug", post.slug), ("lang", post.lang), ("source_path", post.sourcePath),
        ]).utf8)
        let result: ShellCommand.Result
        do {
            result = try ShellCommand.run(command, in: workingDirectory, input: input, timeout: timeout)
        } catch {
            throw failure(post, "could not be started: \(error)")
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
            text += "\n\(word) \(sha256Hex(data))"
        }
        return text
    }
}
