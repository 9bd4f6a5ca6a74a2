// The HTTP side of `herald serve`: the built site's files, with a small script added to each
// HTML page as it is sent (never to the files) that reloads the page after a rebuild, and the
// editor's previews under /__herald/.

import FlyingFox
import FlyingSocks
import Foundation
import Synchronization
public import HeraldCore

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
    /// takes any free port.
    public init(out: URL, address: Address, state: PreviewState) throws {
        let socket: any SocketAddress = address.host.contains(":")
            ? try sockaddr_in6.inet6(ip6: address.host, port: address.port)
            : try sockaddr_in.inet(ip4: address.host, port: address.port)
        // Long enough for a page's wait for the next build (see PreviewRoutes.waitTimeout).
        server = HTTPServer(
            address: socket, timeout: PreviewRoutes.waitTimeout + 15, logger: .disabled,
            handler: PreviewRoutes(out: out.standardizedFileURL, state: state))
    }

    /// Starts listening and returns the address taken; the server then runs until `stop`.
    /// Throws a ``ServeError`` when it cannot listen (the port is taken, the host is not this
    /// machine's).
    public func start() async throws -> Address {
        let server = self.server
        let failure = Failure()
        Task {
            do { try await server.run() } catch { failure.record(error) }
        }
        for _ in 0..<500 {
            switch await server.listeningAddress {
            case .ip4(let host, let port), .ip6(let host, let port): return Address(host: host, port: port)
            default: break
            }
            if let error = failure.error {
                if case SocketError.failed(_, let number, let message) = error {
                    throw ServeError(reason: message, addressInUse: number == EADDRINUSE)
                }
                throw ServeError(reason: String(describing: error), addressInUse: false)
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ServeError(reason: "the server did not start listening within 5 seconds", addressInUse: false)
    }

    /// The error that stopped the server's task, once there is one.
    private final class Failure: Sendable {
        private let stored = Mutex<(any Error)?>(nil)
        func record(_ error: any Error) { stored.withLock { $0 = error } }
        var error: (any Error)? { stored.withLock { $0 } }
    }

    public func stop() async {
        await server.stop(timeout: 1)
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
