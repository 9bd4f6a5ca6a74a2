// The email outputs end to end: `.txt` and `.eml` from `herald build` and `herald email`,
// checked with Python's email package in strict mode, and sent for real through msmtp to a
// local SMTP server.

import Foundation
import HeraldCore
import HeraldMarkdown
import Testing

/// Python with Debian's modules (the `python3` first on PATH may be another one).
enum Python {
    static let path = "/usr/bin/python3"
    static var present: Bool { FileManager.default.isExecutableFile(atPath: path) }

    static let hasSMTPServer: Bool = {
        guard present else { return false }
        return (try? run(["-c", "import aiosmtpd"]))?.status == 0
    }()

    static func run(_ arguments: [String]) throws -> (status: Int32, output: Data) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, data)
    }

    /// Starts `script` (given `folder` as its argument) as a server that writes its port to
    /// `folder/port` when it listens; returns the process and the port. The server also ends
    /// when its standard input closes, so it never outlives the test process.
    static func startServer(_ script: String, in folder: URL) throws -> (Process, Int) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        let watcher = "import os as _os, sys as _sys, threading as _threading\n"
            + "_threading.Thread(target=lambda: (_sys.stdin.read(), _os._exit(0)), daemon=True).start()\n"
        process.arguments = ["-c", watcher + script, folder.path]
        process.standardInput = Pipe()
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let portFile = folder.appendingPathComponent("port")
        let deadline = Date().addingTimeInterval(20)
        while !FileManager.default.fileExists(atPath: portFile.path) && Date() < deadline && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
        }
        return (process, Int(try String(contentsOf: portFile, encoding: .utf8)) ?? 0)
    }

    /// Reads each message named under `email.policy.strict` and reports what a mail reader sees,
    /// one JSON object per message in a list: one Python for many messages.
    static let readMessages = """
        import email, json, sys
        from email import policy
        messages = []
        for path in sys.argv[1:]:
            message = email.message_from_bytes(open(path, "rb").read(), policy=policy.strict)
            defects = [str(d) for d in message.defects]
            parts = []
            for part in message.walk():
                defects += [str(d) for d in part.defects]
                if part.is_multipart():
                    continue
                parts.append({"type": part.get_content_type(), "charset": part.get_content_charset(),
                              "format": part.get_param("format"), "text": part.get_content()})
            messages.append({"defects": defects, "subject": str(message["subject"]), "from": str(message["from"]),
                             "to": str(message["to"]), "headers": list(message.keys()), "parts": parts})
        print(json.dumps(messages))
        """

    struct Message: Decodable {
        struct Part: Decodable {
            var type: String
            var charset: String?
            var format: String?
            var text: String
        }
        var defects: [String]
        var subject: String
        var from: String
        var to: String
        var headers: [String]
        var parts: [Part]
    }

    static func read(_ url: URL) throws -> Message {
        try #require(try read([url]).first)
    }

    static func read(_ urls: [URL]) throws -> [Message] {
        let result = try run(["-c", readMessages] + urls.map(\.path))
        try #require(result.status == 0, "python could not read \(urls.map(\.lastPathComponent))")
        return try JSONDecoder().decode([Message].self, from: result.output)
    }
}

/// Checks one `.eml` and the `.txt` beside it the way the issue asks.
func checkMessage(_ eml: URL, text txt: URL, title: String, read: Python.Message? = nil) throws {
    let bytes = try Data(contentsOf: eml)
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: false).dropLast() {
        #expect(line.last == 0x0D, "line without CRLF in \(eml.lastPathComponent)")
        #expect(line.count <= 999, "line over 998 octets in \(eml.lastPathComponent)")
    }
    let message = try read ?? Python.read(eml)
    #expect(message.defects.isEmpty, "\(eml.lastPathComponent): \(message.defects)")
    #expect(message.subject == title)
    #expect(message.parts.map(\.type) == ["text/plain", "text/html"])
    #expect(message.parts.allSatisfy { $0.charset == "utf-8" })
    // Equal as text: the message carries the lines with CRLF, as MIME's canonical form wants.
    let part = message.parts.first?.text.replacingOccurrences(of: "\r\n", with: "\n")
    #expect(part == (try String(contentsOf: txt, encoding: .utf8)))
    for header in ["Date", "From", "To", "Subject", "Message-ID", "MIME-Version"] {
        #expect(message.headers.contains(header), "\(header) missing")
    }
}

@Suite struct EmailBuildTests {
    static let addresses = ["--email-from", "Lantern News <news@lantern-db.org>", "--email-to", "users@lists.lantern-db.org"]

    @Test(.enabled(if: Python.present, "needs /usr/bin/python3"))
    func buildWritesTextAndMessagesThatParseStrictly() throws {
        let out = try temporaryFolder("herald-email")
        let run = herald(["build", Paths.examples.path, "--out", out.path, "--base-url", "https://news.example.org/"] + Self.addresses)
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try checkManifest(out)
        let titles = ["2026-10-community-update": "This Month in Lantern: October 2026", "2026-10-zh-update": "Lantern 社区月报：2026 年 10 月"]
        for (slug, title) in titles {
            #expect(manifest.outputs.contains { $0.path == "email/\(slug).eml" && $0.format == "email" })
            try checkMessage(
                out.appendingPathComponent("email/\(slug).eml"), text: out.appendingPathComponent("email/\(slug).txt"), title: title)
        }
        // The same input gives the same bytes.
        let again = try temporaryFolder("herald-email")
        _ = herald(["build", Paths.examples.path, "--out", again.path, "--base-url", "https://news.example.org/"] + Self.addresses)
        for slug in titles.keys {
            let first = try Data(contentsOf: out.appendingPathComponent("email/\(slug).eml"))
            #expect(first == (try Data(contentsOf: again.appendingPathComponent("email/\(slug).eml"))))
        }
    }

    @Test(.enabled(if: Python.present && Paths.hasCorpus, "needs /usr/bin/python3 and ../shared/corpus"))
    func theNewsletterAndEveryBlogPostMakeValidMessages() async throws {
        let (out, run) = try #require(CorpusBuild.shared)
        #expect(run.status == 0, "\(run.stderr)")
        let manifest = try checkManifest(out)
        let messages = manifest.outputs.filter { $0.path.hasSuffix(".eml") && $0.source?.hasPrefix(Paths.examples.path) == false }
        #expect(messages.count == 51 + ChineseCorpus.count)
        let files = messages.map { out.appendingPathComponent($0.path) }
        let read = try await onOwnThread { try Python.read(files) }
        for (entry, message) in zip(messages, read) {
            let eml = out.appendingPathComponent(entry.path)
            // The title as Herald reads it from the front matter.
            let source = try #require(entry.source)
            let title = try #require(try MarkdownParser().parse(Array(Data(contentsOf: URL(fileURLWithPath: source))), path: source).metadata.title)
            try checkMessage(eml, text: eml.deletingPathExtension().appendingPathExtension("txt"), title: title, read: message)
        }
    }

    @Test func withoutAddressesTheBuildWritesTextAndSaysHowToGetMessages() throws {
        let out = try temporaryFolder("herald-email")
        let run = herald("build", Paths.examples.path, "--out", out.path)
        #expect(run.status == 0)
        #expect(run.stderr.contains("email.from and email.to in herald.yml (or --from and --to)"))
        #expect(filesUnder(out).contains("email/2026-10-community-update.txt"))
        #expect(!filesUnder(out).contains { $0.hasSuffix(".eml") })
    }

    @Test func anInvalidAddressIsAnErrorNamingTheField() throws {
        let out = try temporaryFolder("herald-email")
        let run = herald("build", Paths.examples.path, "--out", out.path, "--email-from", "news at example", "--email-to", "a@b.org")
        #expect(run.status != 0)
        #expect(run.stderr.contains("invalid address in --from"))
        let injected = herald("build", Paths.examples.path, "--out", out.path, "--email-from", "a@b.org\nBcc: x@evil.org", "--email-to", "a@b.org")
        #expect(injected.status != 0)
        #expect(injected.stderr.contains("invalid address in --from"))
    }
}

@Suite struct EmailCommandTests {
    func post(_ folder: URL, title: String, body: String) throws -> String {
        try writeFile(folder, "post.md", "---\ntitle: \(title)\ndate: 2026-10-30T18:00:00+02:00\nauthor: 陈静\n---\n\n\(body)\n")
    }

    @Test(.enabled(if: Python.present, "needs /usr/bin/python3"))
    func controlCharactersInATitleNeverStartAHeader() throws {
        let folder = try temporaryFolder("herald-inject")
        let path = try post(folder, title: "\"Hi\\r\\nBcc: x@evil.org\\nX-Evil: 1\"", body: "Body.")
        let eml = folder.appendingPathComponent("post.eml")
        let run = herald("email", path, "--from", "陈静 <chen@example.org>", "--to", "list@example.org", "-o", eml.path)
        #expect(run.status == 0, "\(run.stderr)")
        let header = try String(contentsOf: eml, encoding: .utf8).components(separatedBy: "\r\n\r\n")[0]
        #expect(!header.contains("\r\nBcc:"))
        #expect(!header.contains("\r\nX-Evil:"))
        let message = try Python.read(eml)
        #expect(message.defects.isEmpty)
        #expect(!message.headers.contains("Bcc") && !message.headers.contains("X-Evil"))
        #expect(message.from == "陈静 <chen@example.org>")
    }

    @Test(.enabled(if: Python.present, "needs /usr/bin/python3"))
    func longLinesAndDotsSurviveTransport() throws {
        let folder = try temporaryFolder("herald-long")
        let code = String(repeating: "x", count: 3000)
        let path = try post(folder, title: "长标题：" + String(repeating: "很长的标题", count: 12), body: "```\n\(code)\n.\nFrom me\n```\n")
        let eml = folder.appendingPathComponent("post.eml")
        let run = herald("email", path, "--from", "a@example.org", "--to", "b@example.org", "-o", eml.path)
        #expect(run.status == 0, "\(run.stderr)")
        let message = try Python.read(eml)
        #expect(message.defects.isEmpty)
        #expect(message.subject == "长标题：" + String(repeating: "很长的标题", count: 12))
        #expect(message.parts.first?.text.replacingOccurrences(of: "\r\n", with: "\n").contains("    " + code + "\n    .\n    From me\n") == true)
        let lines = try String(contentsOf: eml, encoding: .utf8).components(separatedBy: "\r\n")
        #expect(lines.allSatisfy { $0.utf8.count <= 78 })
    }

    /// What large providers ask of list mail: one-click unsubscribe (RFC 8058) with an
    /// https: address, and a List-Id (RFC 2919) to filter on.
    @Test(.enabled(if: Python.present, "needs /usr/bin/python3"))
    func listMailCarriesOneClickUnsubscribeAndAListId() throws {
        let folder = try temporaryFolder("herald-list")
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = try post(folder, title: "News", body: "Body.")
        let eml = folder.appendingPathComponent("post.eml")
        let run = herald(
            "email", path, "--from", "news@example.org", "--to", "Users <users@lists.example.org>", "--title", "Lantern 新闻",
            "--list-unsubscribe", "https://example.org/unsubscribe?list=users", "-o", eml.path)
        #expect(run.status == 0, "\(run.stderr)")
        let header = try String(contentsOf: eml, encoding: .utf8).components(separatedBy: "\r\n\r\n")[0]
        #expect(header.contains("\r\nList-Unsubscribe: <https://example.org/unsubscribe?list=users>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n"))
        #expect(header.contains("\r\nList-Id: =?utf-8?") && header.contains(" <users.lists.example.org>"), "\(header)")
        let message = try Python.read(eml)
        #expect(message.defects.isEmpty)

        // A mailto: address cannot be posted to: no one-click header.
        #expect(herald("email", path, "--from", "news@example.org", "--to", "users@lists.example.org", "--list-unsubscribe", "mailto:leave@example.org", "-o", eml.path).status == 0)
        let mailto = try String(contentsOf: eml, encoding: .utf8).components(separatedBy: "\r\n\r\n")[0]
        #expect(mailto.contains("List-Unsubscribe: <mailto:leave@example.org>") && !mailto.contains("List-Unsubscribe-Post"))
        #expect(mailto.contains("List-Id: Herald <users.lists.example.org>"))
    }

    @Test(.enabled(if: Python.present, "needs /usr/bin/python3"))
    func flowedTextIsDeclared() throws {
        let folder = try temporaryFolder("herald-flowed")
        let path = try post(folder, title: "Flowed", body: String(repeating: "words and more words ", count: 10))
        let eml = folder.appendingPathComponent("post.eml")
        #expect(herald("email", path, "--from", "a@example.org", "--to", "b@example.org", "--flowed", "-o", eml.path).status == 0)
        let message = try Python.read(eml)
        #expect(message.parts.first?.format == "flowed")
        #expect(try String(contentsOf: eml, encoding: .utf8).contains("format=flowed; delsp=yes"))
    }
}

@Suite(.serialized) struct SendTests {
    static let msmtp = "/usr/bin/msmtp"

    /// Starts a local SMTP server that saves what it receives into `folder`; returns it and its port.
    func startServer(_ folder: URL) throws -> (Process, Int) {
        let script = """
            import os, socket, sys, time
            from aiosmtpd.controller import Controller
            folder = sys.argv[1]
            probe = socket.socket(); probe.bind(("127.0.0.1", 0)); port = probe.getsockname()[1]; probe.close()
            class Saver:
                async def handle_DATA(self, server, session, envelope):
                    with open(os.path.join(folder, "received.eml"), "wb") as f:
                        f.write(envelope.original_content or envelope.content)
                    with open(os.path.join(folder, "envelope.txt"), "w") as f:
                        f.write("\\n".join([envelope.mail_from] + list(envelope.rcpt_tos)))
                    return "250 Message accepted"
            controller = Controller(Saver(), hostname="127.0.0.1", port=port)
            controller.start()
            with open(os.path.join(folder, "port.tmp"), "w") as f: f.write(str(port))
            os.rename(os.path.join(folder, "port.tmp"), os.path.join(folder, "port"))
            time.sleep(120)
            """
        return try Python.startServer(script, in: folder)
    }

    @Test(.enabled(if: Python.hasSMTPServer && FileManager.default.isExecutableFile(atPath: msmtp), "needs python3-aiosmtpd and msmtp"))
    func sendsThroughMsmtpToALocalServer() async throws {
        let folder = try temporaryFolder("herald-send")
        let eml = folder.appendingPathComponent("news.eml")
        let post = Paths.examples.appendingPathComponent("2026-10-zh-community-update.md").path
        let made = herald("email", post, "--from", "陈静 <chen@lantern-db.org>", "--to", "Lantern 用户 <users@lists.lantern-db.org>, jane@example.org", "-o", eml.path)
        #expect(made.status == 0, "\(made.stderr)")

        let inbox = folder.appendingPathComponent("inbox")
        try FileManager.default.createDirectory(at: inbox, withIntermediateDirectories: true)
        let (server, port) = try startServer(inbox)
        defer { server.terminate() }
        try #require(port > 0, "the SMTP server did not start")

        let command = "msmtp -t --host=127.0.0.1 --port=\(port) --auth=off --tls=off --from=chen@lantern-db.org"
        let run = await heraldOnOwnThread("send", eml.path, "--sendmail", command)
        #expect(run.status == 0, "\(run.stderr)")

        let received = try Data(contentsOf: inbox.appendingPathComponent("received.eml"))
        let sent = try Data(contentsOf: eml)
        func lines(_ data: Data) -> [Substring] {
            String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\r\n", with: "\n").split(separator: "\n", omittingEmptySubsequences: false)
        }
        // As built, but dated when it was sent.
        func withoutDate(_ data: Data) -> [Substring] { lines(data).filter { !$0.hasPrefix("Date: ") } }
        #expect(withoutDate(received) == withoutDate(sent), "the message arrived changed")
        // The received date is the moment of sending, give or take the test's own run.
        let stamped = try #require(lines(received).first { $0.hasPrefix("Date: ") })
        #expect(isAboutNow(stamped), "\(stamped)")
        #expect(lines(received).filter { $0.hasPrefix("Date: ") } != lines(sent).filter { $0.hasPrefix("Date: ") })
        let envelope = try String(contentsOf: inbox.appendingPathComponent("envelope.txt"), encoding: .utf8)
        #expect(envelope == "chen@lantern-db.org\nusers@lists.lantern-db.org\njane@example.org")
        let message = try Python.read(inbox.appendingPathComponent("received.eml"))
        #expect(message.defects.isEmpty)
        #expect(message.subject == "Lantern 社区月报：2026 年 10 月")
    }

    @Test func dryRunSendsNothingAndSaysWhatItWouldDo() throws {
        let folder = try temporaryFolder("herald-send")
        let eml = folder.appendingPathComponent("news.eml")
        let post = Paths.examples.appendingPathComponent("2026-10-community-update.md").path
        #expect(herald("email", post, "--from", "news@lantern-db.org", "--to", "users@lists.lantern-db.org", "-o", eml.path).status == 0)
        let run = herald("send", eml.path, "--sendmail", "/nonexistent/sendmail -t", "--dry-run")
        #expect(run.status == 0)
        #expect(run.stdout.contains("would run: /nonexistent/sendmail -t"))
        #expect(run.stdout.contains("To: users@lists.lantern-db.org"))
        #expect(run.stdout.contains("nothing sent"))
    }

    /// Whether a `Date:` header line names a moment within ten minutes of now.
    func isAboutNow(_ header: Substring) -> Bool {
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.dateFormat = "EEE, d MMM yyyy HH:mm:ss Z"
        guard header.hasPrefix("Date: "), let date = parser.date(from: String(header.dropFirst("Date: ".count))) else { return false }
        return abs(date.timeIntervalSinceNow) < 600
    }

    @Test func theDateIsTheTimeOfSendingUnlessKept() throws {
        let folder = try temporaryFolder("herald-send-date")
        defer { try? FileManager.default.removeItem(at: folder) }
        let eml = folder.appendingPathComponent("news.eml")
        let post = Paths.examples.appendingPathComponent("2026-10-community-update.md").path
        #expect(herald("email", post, "--from", "news@lantern-db.org", "--to", "users@lists.lantern-db.org", "-o", eml.path).status == 0)
        let built = try #require(try String(contentsOf: eml, encoding: .utf8).components(separatedBy: "\r\n").first { $0.hasPrefix("Date: ") })
        let now = herald("send", eml.path, "--dry-run")
        let sentDate = try #require(now.stdout.components(separatedBy: "\n").first { $0.hasPrefix("  Date: ") })
        #expect(isAboutNow(sentDate.dropFirst(2)), "\(sentDate)")
        #expect(herald("send", eml.path, "--dry-run", "--keep-date").stdout.contains("  " + built + "\n"))
        // The message file itself is left as it was built.
        #expect(try String(contentsOf: eml, encoding: .utf8).contains(built + "\r\n"))
    }

    @Test func aFileThatIsNotAMessageIsRefused() throws {
        let post = Paths.examples.appendingPathComponent("2026-10-community-update.md").path
        let run = herald("send", post, "--sendmail", "cat > /dev/null")
        #expect(run.status == 1)
        #expect(run.stderr.contains("2026-10-community-update.md: error: not a mail message"), "\(run.stderr)")
        #expect(!run.stdout.contains("sent"))
    }

    @Test func aMissingSendmailIsAClearError() async throws {
        let folder = try temporaryFolder("herald-send")
        let eml = try writeFile(folder, "m.eml", "To: a@b.org\r\n\r\nHi\r\n")
        let run = await heraldOnOwnThread("send", eml, "--sendmail", "no-such-sendmail -t")
        #expect(run.status != 0)
        #expect(run.stderr.contains("sendmail command 'no-such-sendmail' not found"))
    }
}
