// Handing a message to the system's mail transfer agent through the sendmail interface, as
// git send-email does: `sendmail -t -oi`, or any command that reads a message on its input.

public import Foundation
public import HeraldCore

public struct Sendmail: Sendable {
    /// The program and its arguments.
    public var command: [String]

    /// The default: the first `sendmail` found, with `-t` (recipients from the headers) and
    /// `-oi` (a line holding only "." does not end the message).
    public static let defaultCommand = "sendmail -t -oi"

    /// A command line, split into words as a shell splits simple words (quotes and
    /// backslashes; no variables, globs or pipes: no shell is involved).
    public init(commandLine: String = Sendmail.defaultCommand) throws(DiagnosticError) {
        guard let words = Self.words(commandLine), !words.isEmpty else {
            throw DiagnosticError(.error("send-failed", "cannot read the sendmail command '\(commandLine)'"))
        }
        command = words
    }

    /// The path of the program, searched in PATH and the usual sendmail places.
    public func executable() throws(DiagnosticError) -> String {
        let program = command[0]
        let fileManager = FileManager.default
        if program.contains("/") {
            if fileManager.isExecutableFile(atPath: program) { return program }
        } else {
            let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
            let folders = path.split(separator: ":").map(String.init) + ["/usr/sbin", "/usr/lib", "/usr/local/sbin"]
            for folder in folders where fileManager.isExecutableFile(atPath: folder + "/" + program) {
                return folder + "/" + program
            }
        }
        throw DiagnosticError(.error(
            "send-failed", "sendmail command '\(program)' not found; give another with --sendmail or HERALD_SENDMAIL"))
    }

    /// Runs the command with `message` on its standard input, in the local line-ending
    /// convention (LF) that sendmail programs expect. Throws with the program's own error
    /// output when it fails.
    public func send(_ message: Data) throws(DiagnosticError) {
        let path = try executable()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = Array(command.dropFirst())
        let input = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = errors
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw DiagnosticError(.error("send-failed", "cannot run '\(path)': \(error.localizedDescription)"))
        }
        // Read the program's output while writing, so a chatty program cannot block on a full pipe.
        let collected = OutputCollector()
        let reader = Thread { collected.set(errors.fileHandleForReading.readDataToEndOfFile()) }
        reader.start()
        let text = String(decoding: message, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        try? input.fileHandleForWriting.write(contentsOf: Data(text.utf8))
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        let output = collected.wait()
        guard process.terminationStatus == 0 else {
            let detail = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw DiagnosticError(.error(
                "send-failed",
                "'\(command.joined(separator: " "))' failed with status \(process.terminationStatus)"
                    + (detail.isEmpty ? "" : ": \(detail)")))
        }
    }

    static func words(_ line: String) -> [String]? {
        var words: [String] = []
        var current = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in line {
            if escaped {
                current.append(character)
                escaped = false
                continue
            }
            if character == "\\" && quote != "'" {
                escaped = true
                inWord = true
                continue
            }
            if let open = quote {
                if character == open { quote = nil } else { current.append(character) }
                continue
            }
            if character == "\"" || character == "'" {
                quote = character
                inWord = true
            } else if character.isWhitespace {
                if inWord { words.append(current) }
                current = ""
                inWord = false
            } else {
                current.append(character)
                inWord = true
            }
        }
        guard quote == nil, !escaped else { return nil }
        if inWord { words.append(current) }
        return words
    }
}

/// Bytes read on another thread, handed over once.
private final class OutputCollector: @unchecked Sendable {
    private let condition = NSCondition()
    private var data: Data?

    func set(_ value: Data) {
        condition.lock()
        data = value
        condition.signal()
        condition.unlock()
    }

    func wait() -> Data {
        condition.lock()
        defer { condition.unlock() }
        while data == nil { condition.wait() }
        return data!
    }
}
