// `herald serve`: the editor's loop. Builds the site, serves it on this machine, and rebuilds it
// (only what changed) when a post, a template or herald.yml changes; open pages reload by
// themselves. A post with an error shows the error in the browser; the server keeps running.

import ArgumentParser
import Dispatch
import Foundation
import HeraldCore
import HeraldServe

struct ServeCommand: ConsoleCommand, BuildingCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Build the site, serve it on this machine, and rebuild and reload it as posts change.",
        discussion: """
            Builds like `herald build` (the same options and herald.yml) into a temporary folder \
            (or --out DIR, kept afterwards) and serves DIR/site at http://127.0.0.1:1313/ (the next \
            free port when 1313 is taken). Posts, templates and herald.yml are watched: a change \
            rebuilds what it affects and reloads open pages. The editor's pages: /__herald/ lists \
            every post; /__herald/email/SLUG is a post's plain-text email and /__herald/check/SLUG \
            what the checks say of it (zh/SLUG for a post in another language). Ctrl-C stops.
            """)

    /// The port tried first when none is given, and how many after it.
    static let defaultPort = 1313
    static let portsTried = 20

    @OptionGroup var options: BuildOptions

    @OptionGroup var project: ProjectOptionGroup

    @OptionGroup var html: HTMLOptionGroup

    @OptionGroup(title: "Email") var text: TextOptionGroup

    @OptionGroup(title: "Email") var addresses: AddressOptionGroup

    @Option(help: "The address to listen on: 127.0.0.1 (this machine only) unless given; 0.0.0.0 opens it to the network.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (default: 1313 or the next free one; 0 takes any free port).")
    var port: Int?

    func validate() throws {
        if let port, !(0...65_535).contains(port) { throw ValidationError("--port must be between 0 and 65535") }
    }

    func execute(_ console: Console) throws -> Int32 {
        if !isLoopback(host) {
            console.report([Diagnostic(
                .warning, id: "serve-open",
                "listening on \(host): other machines that reach this one can read the site, drafts and previews included")])
        }
        let keep = options.out != nil
        let out = options.out ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("herald-serve-\(ProcessInfo.processInfo.processIdentifier)").path
        let state = PreviewState()
        // Listen first: the pages are built for the address the server has.
        guard let (server, address) = listen(out: out, state: state, console: console) else { return 1 }
        let shown = ["0.0.0.0", "::"].contains(address.host) ? "127.0.0.1" : address.host
        let url = "http://\(shown.contains(":") ? "[\(shown)]" : shown):\(address.port)/"
        let signals = Self.stopOnSignals(removing: keep ? nil : out, console: console) { server.stop() }
        withExtendedLifetime(signals) {
            var watcher = self.watcher(out: out)
            var baseline = watcher.snapshot()
            rebuild(out: out, url: url, state: state, console: console)
            console.out("serving \(url) (every post: \(url)__herald/); Ctrl-C stops\n")
            // Builds run here, on the command's own thread, one at a time; the server answers meanwhile.
            while true {
                let changed = watcher.waitForChange(after: baseline)
                console.out("changed: \(changed.map(SourcePaths.shown).joined(separator: ", "))\n")
                rebuild(out: out, url: url, state: state, console: console)
                // herald.yml may name other folders now; what the build itself wrote (stubs) is no change.
                watcher = self.watcher(out: out)
                baseline = watcher.snapshot()
            }
        }
        return 0
    }

    /// One build into `out`; its problems go to the terminal and to the served pages.
    func rebuild(out: String, url: String, state: PreviewState, console: Console) {
        let start = ContinuousClock.now
        let captured = Console.capturing()
        var request = self.request
        request.options.quiet = true
        let outcome = request.build(captured, out: out, baseURL: url)
        captured.report(outcome?.diagnostics ?? [])
        console.err(captured.stderr)
        // Everything the build said (its settings and inputs too): errors for the pages, findings per post.
        let errors = captured.reported.filter { $0.severity == .error }.map(\.description)
        let diagnostics = (outcome?.diagnostics ?? []).filter { $0.severity >= .warning }
        state.finishBuild(
            errors: errors, posts: outcome.map { PreviewSnapshot.posts(of: $0.report.manifest, diagnostics: diagnostics) } ?? state.snapshot.posts)
        if let outcome {
            console.out(BuildCommand.summary(
                outcome.report, posts: outcome.sources.count, failed: outcome.failed,
                warnings: diagnostics.filter { $0.severity == .warning }.count, into: out,
                seconds: (ContinuousClock.now - start) / .seconds(1)))
        } else {
            console.out("the build could not start; fix the error and save again\n")
        }
    }

    /// What a rebuild follows: the posts' files and folders, the templates, herald.yml.
    func watcher(out: String) -> SourceWatcher {
        var roots: [String] = []
        let config = Config.load(project.config, reportingTo: Console.capturing())
        if let config {
            roots += request.namedInputs(config)
            if let templates = project.templates ?? config.templates { roots.append(templates) }
            if let file = config.file { roots.append(file) }
        } else if let file = project.config ?? Config.nearest() {
            // Settings that cannot be read are watched until they can.
            roots.append(file)
        }
        return SourceWatcher(roots: roots, excluded: [out])
    }

    /// Starts the server on the port asked for, or on the first free one from 1313.
    func listen(out: String, state: PreviewState, console: Console) -> (PreviewServer, PreviewServer.Address)? {
        let ports = port.map { [$0] } ?? Array(Self.defaultPort..<(Self.defaultPort + Self.portsTried))
        for candidate in ports {
            do {
                let server = try PreviewServer(
                    out: URL(fileURLWithPath: out), address: .init(host: host, port: UInt16(candidate)), state: state)
                return (server, server.start())
            } catch where error.addressInUse && port == nil {
                continue
            } catch {
                let advice = error.addressInUse ? " (another program uses it: choose another port with --port, or --port 0 for any free one)" : ""
                console.report([.error(.optionInvalid, "cannot listen on \(host) port \(candidate): \(error.reason)\(advice)")])
                return nil
            }
        }
        console.report([.error(.optionInvalid, "ports \(ports.first!)–\(ports.last!) are all in use: choose one with --port (0 takes any free one)")])
        return nil
    }

    /// Ctrl-C (and SIGTERM) stop the server, remove the temporary output folder and end the process.
    static func stopOnSignals(removing folder: String?, console: Console, stopServer: @escaping @Sendable () -> Void) -> [any DispatchSourceSignal] {
        [SIGINT, SIGTERM].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                console.out("\nstopping\n")
                stopServer()
                if let folder { try? FileManager.default.removeItem(atPath: folder) }
                Foundation.exit(0)
            }
            source.resume()
            return source
        }
    }
}
