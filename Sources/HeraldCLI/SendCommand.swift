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
            message's headers. The message's Date becomes the time of sending (built messages \
            carry the post's date, so that builds are reproducible), unless --keep-date.
            """)

    @Argument(help: "The message, as `herald email` or `herald build` wrote it.", completion: .file(extensions: ["eml"]))
    var message: String

    @Option(help: "The sendmail-compatible command, e.g. 'msmtp -t -a list'.")
    var sendmail: String?

    @Flag(name: .customLong("dry-run"), help: "Print what would be sent and to whom; send nothing.")
    var dryRun = false

    @Flag(name: .customLong("keep-date"), help: "Send the message with the Date it has (the post's date), not the time of sending.")
    var keepDate = false

    @Option(help: "The configuration file (default: the nearest herald.yml in the current folder or above).", completion: .file())
    var config: String?

    func execute(_ console: Console) throws -> Int32 {
        guard let settings = Config.load(config, reportingTo: console) else { return 1 }
        do {
            guard var data = FileManager.default.contents(atPath: message) else {
                throw DiagnosticError(.error("read-failed", file: message, "cannot read file"))
            }
            try Self.checkIsMessage(data, path: message)
            if !keepDate { data = Self.stampingDate(data, MailMessage.rfc5322Date(PostDate.now())) }
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

    /// Refuses what is not a message (a post, an empty file): sendmail would send it anyway.
    static func checkIsMessage(_ data: Data, path: String) throws(DiagnosticError) {
        let names = Set(headerLines(data).compactMap { line in line.firstIndex(of: ":").map { line[..<$0].lowercased() } })
        let hasBody = String(decoding: data.prefix(64 * 1024), as: UTF8.self).contains("\n\n")
            || String(decoding: data.prefix(64 * 1024), as: UTF8.self).contains("\r\n\r\n")
        guard hasBody, !names.isDisjoint(with: ["to", "cc", "bcc"]) else {
            throw DiagnosticError(.error(
                "not-a-message", file: path,
                "not a mail message (no To, Cc or Bcc header): send the .eml that herald build or herald email wrote, e.g. dist/email/SLUG.eml"))
        }
    }

    /// The message with its Date header set to `date` (added when it has none).
    static func stampingDate(_ data: Data, _ date: String) -> Data {
        let text = String(decoding: data, as: UTF8.self)
        let newline = text.contains("\r\n") ? "\r\n" : "\n"
        guard let end = text.range(of: newline + newline) else { return data }
        var lines = text[..<end.lowerBound].components(separatedBy: newline)
        if let index = lines.firstIndex(where: { $0.lowercased().hasPrefix("date:") }) {
            // The field and its continuation lines.
            var last = index
            while last + 1 < lines.count, lines[last + 1].first == " " || lines[last + 1].first == "\t" { last += 1 }
            lines.replaceSubrange(index...last, with: ["Date: " + date])
        } else {
            lines.insert("Date: " + date, at: 0)
        }
        return Data((lines.joined(separator: newline) + text[end.lowerBound...]).utf8)
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
