// The HTTP side of `herald serve`: the built site's files, with a small script added to each
// HTML page as it is sent (never to the files) that reloads the page after a rebuild, and the
// editor's previews under /__herald/.

public import Foundation

/// Serves a built output folder on this machine while `herald serve` rebuilds it.
public final class PreviewServer: Sendable {
    /// Where the server listens.
    public struct Address: Sendable, Equatable {
        public var host: String
        public var port: UInt16

        public init(host: String, port: UInt16) {
            self.host = host
            self.port = port
        }
    }

    private let server: HTTPServer

    /// A server for the output folder `out` (its `site/` is the site) at `address`; port 0
    /// takes any free port. Throws a ``ServeError`` when it cannot listen (the port is taken,
    /// the host is not this machine's).
    public init(out: URL, address: Address, state: PreviewState) throws(ServeError) {
        let routes = PreviewRoutes(out: out.standardizedFileURL, state: state)
        // Long enough for a page's wait for the next build (see PreviewRoutes.waitTimeout).
        server = try HTTPServer(
            host: address.host, port: address.port, idleTimeout: Int(PreviewRoutes.waitTimeout) + 15,
            handler: { routes.handleRequest($0) })
    }

    /// Starts answering and returns the address listened on; the server then runs until `stop`.
    public func start() -> Address {
        server.start()
        return Address(host: server.host, port: server.port)
    }

    /// Stops listening and closes the connections.
    public func stop() {
        server.stop()
    }
}

/// Why the server could not listen.
public struct ServeError: Error, Sendable {
    public var reason: String
    /// The port is taken by another program.
    public var addressInUse: Bool
}

/// Whether binding `host` reaches beyond this machine.
public func isLoopback(_ host: String) -> Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
}
