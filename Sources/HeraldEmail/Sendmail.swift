// Handing a message to the system's mail transfer agent through the sendmail interface, as
// git send-email does: `sendmail -t -oi`, or any command that reads a message on its input.

public import Foundation
public import HeraldCore

public struct Sendmail: Sendable {
    /// The command line, run by `/bin/sh -c` as git runs `sendemail.sendmailCmd`: quoting,
    /// variables such as `$HOME`, and pipes work as in a shell.
    public var commandLine: String

    /// The default: the first `sendmail` found, with `-t` (recipients from the headers) and
    /// `-oi` (a line holding only "." does not end the message).
    public static let defaultCommand = "sendmail -t -oi"

    /// Folders searched after PATH, where sendmail programs usually live and a user's PATH
    /// often does not reach.
    static let sendmailFolders = ["/usr/sbin", "/usr/lib", "/usr/local/sbin"]

    public init(commandLine: String = Sendmail.defaultCommand) throws(DiagnosticError) {
        guard !commandLine.allSatisfy(\.isWhitespace) else {
            throw DiagnosticError(.error("send-failed", "the sendmail command is empty"))
        }
        self.commandLine = commandLine
    }

    /// The command's first word, which names the program in messages.
    public var program: String {
        String(commandLine.split(whereSeparator: \.isWhitespace).first ?? "")
    }

    /// Runs the command with `message` on its standard input, in the local line-ending
    /// convention (LF) that sendmail programs expect. Throws with the program's own error
    /// output when it fails. Blocks the calling thread until the command is done, which must not
    /// be a thread of Swift's cooperative pool (see ``ShellCommand``).
    public func send(_ message: Data) throws(DiagnosticError) {
        let text = String(decoding: message, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        let result: ShellCommand.Result
        do {
            result = try ShellCommand.run(
                commandLine, environment: ["PATH": ([path] + Self.sendmailFolders).joined(separator: ":")],
                input: Data(text.utf8))
        } catch {
            throw DiagnosticError(.error("send-failed", "cannot run '\(commandLine)': \(error)"))
        }
        let output = result.stderr.isEmpty ? result.stdout : result.stderr
        let detail = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        switch result.ending {
        case .exit(0):
            return
        case .exit(127):
            // The shell's status for a command it cannot find.
            throw DiagnosticError(.error(
                "send-failed",
                "sendmail command '\(program)' not found; give another with --sendmail, HERALD_SENDMAIL or email.sendmail in herald.yml"))
        case .exit(let status):
            throw DiagnosticError(.error(
                "send-failed", "'\(commandLine)' failed with status \(status)" + (detail.isEmpty ? "" : ": \(detail)")))
        case .signal(let signal):
            throw DiagnosticError(.error(
                "send-failed", "'\(commandLine)' was killed by signal \(signal)" + (detail.isEmpty ? "" : ": \(detail)")))
        case .timedOut:
            // No time limit is given, so this does not happen.
            throw DiagnosticError(.error("send-failed", "'\(commandLine)' did not finish"))
        }
    }
}
