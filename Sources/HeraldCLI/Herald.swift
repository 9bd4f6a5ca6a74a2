// The `herald` command and its entry point, kept apart from main.swift so tests can run it.

import ArgumentParser
import Foundation
import HeraldCore

/// A subcommand that writes through a ``Console`` and returns an exit status.
protocol ConsoleCommand: ParsableCommand {
    func execute(_ console: Console) throws -> Int32
}

extension ConsoleCommand {
    mutating func run() throws {
        let status = try execute(Console.standard())
        if status != 0 { throw ExitCode(status) }
    }
}

/// `herald`: publishes Markdown posts as web pages, email and EPUB books, in every language.
public struct Herald: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "herald",
        abstract: "Publish Markdown newsletter posts to the web and beyond.",
        version: HeraldVersion.string,
        subcommands: [NewCommand.self, RenderCommand.self, BuildCommand.self, ServeCommand.self, EmailCommand.self, SendCommand.self, EPUBCommand.self, TranslateCommand.self, CheckCommand.self, TemplatesCommand.self])

    public init() {}

    /// The `herald` process: the CLI on the real standard streams, then the end of the process
    /// with its exit status. A write that fails (a full disk, a closed pipe) is one error line
    /// and exit status 1, never a crash. The process ends from here, with the console and what
    /// it keeps (``Console/keepUntilExit(_:)``) still held: their memory goes back to the
    /// system at once rather than being freed piece by piece first.
    public static func main(_ arguments: [String]) -> Never {
        // A closed pipe is reported as an error of the write, not a signal that ends the process.
        signal(SIGPIPE, SIG_IGN)
        #if canImport(Glibc)
            // The `herald` command links mimalloc, which needs no tuning here (see
            // `FreedMemory.giveBack` for long posts). On glibc's allocator: buffers of a
            // megabyte or more (a long post's page, message or book) are mapped from the
            // system and given back when freed. Left to itself, glibc raises that
            // threshold to the size of the first big buffer freed and keeps later ones in its
            // heap, where a long post's freed buffers add to the process's peak memory. Setting
            // it also fixes the threshold at which glibc gives the top of its heap back: that
            // one is raised, or a build of many posts spends its time mapping pages again.
            // (`mallopt` is in <malloc.h>, which Swift's Glibc module leaves out.)
            if dlsym(nil, "mi_version") == nil, let symbol = dlsym(nil, "mallopt") {
                let mallopt = unsafeBitCast(symbol, to: (@convention(c) (Int32, Int32) -> Int32).self)
                let (mmapThreshold, trimThreshold): (Int32, Int32) = (-3, -1)  // M_MMAP_THRESHOLD, M_TRIM_THRESHOLD
                _ = mallopt(mmapThreshold, 1 << 20)
                _ = mallopt(trimThreshold, 128 << 20)
            }
        #endif
        let console = Console.standard()
        let status = run(arguments, console: console)
        if let reason = console.outputFailure {
            console.report([.error(.writeFailed, "cannot write to standard output: \(reason)")])
            Foundation.exit(1)
        }
        Foundation.exit(status)
    }

    /// Runs the CLI with `arguments` (without the program name) on `console`; returns the exit status.
    public static func run(_ arguments: [String], console: Console) -> Int32 {
        // A misspelt command is named back with the one that was probably meant.
        let commands = configuration.subcommands.map { $0._commandName } + ["help"]
        if let first = arguments.first, !first.hasPrefix("-"), !commands.contains(first) {
            console.report([.error(
                "unknown-command",
                "unknown command '\(first)'\(Suggestions.didYouMean(first, among: commands)) (commands: \(commands.joined(separator: ", ")))")])
            return ExitCode.validationFailure.rawValue
        }
        do {
            let command = try parseAsRoot(arguments)
            if let command = command as? any ConsoleCommand {
                return try command.execute(console)
            }
            var other = command
            try other.run()
            return 0
        } catch let error as DiagnosticError {
            // A command that stops on a problem with a place says it as every diagnostic is said.
            console.report(error.diagnostics)
            return 1
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success { console.out(message + "\n") } else { console.err(message + "\n") }
            }
            return code.rawValue
        }
    }
}
