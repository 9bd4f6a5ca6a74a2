// `herald send`: hands a message to the mail transfer agent through the sendmail interface.

import ArgumentParser
import Foundation
import HeraldCore
import HeraldEmail

struct SendCommand: ConsoleCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send an .eml message through sendmail (or another command).",
        discussion: """
            Runs the sendmail command (default: '\(Sendmail.defaultCommand)', or $HERALD_SENDMAIL) \
            through /bin/sh with the message on its standard input; the recipients come from the \
            message's headers.
            """)

    @Argument(help: "The message, as `herald email` or `herald build` wrote it.", completion: .file(extensions: ["eml"]))
    var message: String

    @Option(help: "The sendmail-compatible command, e.g. 'msmtp -t -a list'.")
    var sendmail: String?

    @Flag(name: .customLong("dry-run"), help: "Print what would be sent and to whom; send nothing.")
    var dryRun = false

    @Option(help: "The configuration file (default: the nearest herald.yml in the current folder or above).", completion: .file())
    var config: String?

    func execute(_ console: Console) throws -> Int32 {
        guard let settings = Config.load(config, reportingTo: console) else { return 1 }
        do {
            guard let data = FileManager.default.contents(atPath: message) else {
                throw DiagnosticError(.error("read-failed", file: message, "cannot read file"))
            }
            let commandLine = sendmail ?? ProcessInfo.processInfo.environment["HERALD_SENDMAIL"] ?? settings.sendmail ?? Sendmail.defaultCommand
            let sender = try Sendmail(commandLine: commandLine)
            if dryRun {
                console.out("would run: \(sender.commandLine)\n")
                for line in Self.headerLines(data) where ["from:", "to:", "cc:", "bcc:", "subject:", "date:"].contains(where: { line.lowercased().hasPrefix($0) }) {
                    console.out("  \(line)\n")
                }
                console.out("  (\(data.count) bytes; nothing sent)\n")
                return 0
            }
            try sender.send(data)
            console.out("sent \(message) with \(sender.program)\n")
            return 0
        } catch let error as DiagnosticError {
            console.report(error.diagnostics)
            return 1
        }
    }

    /// The header lines of a message, continuation lines joined.
    static func headerLines(_ data: Data) -> [String] {
        let text = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n")
        let head = text.components(separatedBy: "\n\n").first ?? ""
        var lines: [String] = []
        for line in head.split(separator: "\n") {
            if line.first == " " || line.first == "\t", !lines.isEmpty {
                lines[lines.count - 1] += " " + line.trimmingCharacters(in: .whitespaces)
            } else {
                lines.append(String(line))
            }
        }
        return lines
    }
}
