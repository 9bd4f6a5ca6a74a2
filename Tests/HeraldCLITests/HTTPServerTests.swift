// The HTTP server under `herald serve`, spoken to byte by byte over a real socket: requests
// one after another on one connection, HEAD, decoding of paths and queries, the requests it
// refuses, a port already taken, and a stop while a request waits.

import Foundation
@testable import HeraldServe
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct HTTPServerTests {
    /// A server that answers every request with its method, path and query; `/wait` answers
    /// after 20 seconds.
    static func echoServer() throws -> HTTPServer {
        let server = try HTTPServer(host: "127.0.0.1", port: 0, idleTimeout: 10) { request in
            if request.path == "/wait" { Thread.sleep(forTimeInterval: 20) }
            let query = request.query.map { "\($0.name)=\($0.value)" }.joined(separator: ";")
            return HTTPResponse(
                status: request.path == "/missing" ? .notFound : .ok, headers: [("Content-Type", "text/plain; charset=utf-8")],
                body: Data("\(request.method) \(request.path) \(query)".utf8))
        }
        server.start()
        return server
    }

    struct NotConnected: Error {}

    /// Sends `bytes` on a new connection to `port` and returns all that comes back until the
    /// server closes the connection (or 10 seconds pass).
    static func exchange(_ bytes: [UInt8], port: UInt16) throws -> String {
        let connection = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard connection >= 0 else { throw NotConnected() }
        defer { close(connection) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        inet_pton(AF_INET, "127.0.0.1", &address.sin_addr)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(connection, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw NotConnected() }
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        _ = bytes.withUnsafeBytes { send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { break }
            received += chunk[..<count]
        }
        return String(decoding: received, as: UTF8.self)
    }

    static func exchange(_ text: String, port: UInt16) throws -> String { try exchange(Array(text.utf8), port: port) }

    @Test func requestsFollowOneAnotherOnAConnection() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let answer = try Self.exchange(
            "GET /zh/%E4%BD%A0%E5%A5%BD/?generation=3&q=a+b%26c HTTP/1.1\r\nHost: x\r\n\r\n"
                + "HEAD /missing HTTP/1.1\r\nHost: x\r\n\r\n"
                + "POST /form HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                + "GET http://127.0.0.1/absolute HTTP/1.1\r\nConnection: close\r\n\r\n",
            port: server.port)
        let responses = answer.components(separatedBy: "HTTP/1.1 ").dropFirst()
        #expect(responses.count == 4, "\(answer)")
        let first = try #require(responses.first)
        #expect(first.hasPrefix("200 OK\r\n") && first.contains("Connection: keep-alive\r\n"))
        #expect(first.hasSuffix("\r\n\r\nGET /zh/你好/ generation=3;q=a b&c"), "\(first)")
        // HEAD: the length of the body it would have, and no body.
        let head = responses.dropFirst().first!
        #expect(head.hasPrefix("404 Not Found\r\n") && head.contains("Content-Length: 14\r\n") && head.hasSuffix("\r\n\r\n"), "\(head)")
        // A body is read and left aside: the next request is read after it.
        #expect(responses.dropFirst(2).first!.hasSuffix("POST /form "))
        let last = responses.last!
        #expect(last.contains("Connection: close\r\n") && last.hasSuffix("GET /absolute "))
    }

    @Test func whatItCannotReadIsRefusedAndTheConnectionClosed() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        #expect(try Self.exchange("nonsense\r\n\r\nGET / HTTP/1.1\r\n\r\n", port: server.port).hasPrefix("HTTP/1.1 400 Bad Request\r\n"))
        #expect(try Self.exchange("GET nowhere HTTP/1.1\r\n\r\n", port: server.port).hasPrefix("HTTP/1.1 400 "))
        #expect(try Self.exchange("GET /%zz HTTP/1.1\r\n\r\n", port: server.port).hasPrefix("HTTP/1.1 400 "))
        #expect(try Self.exchange("GET / HTTP/1.1\r\nNo colon here\r\n\r\n", port: server.port).hasPrefix("HTTP/1.1 400 "))
        #expect(try Self.exchange("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", port: server.port).hasPrefix("HTTP/1.1 501 "))
        #expect(try Self.exchange("POST / HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n", port: server.port).hasPrefix("HTTP/1.1 413 "))
        let endless = "GET / HTTP/1.1\r\n" + String(repeating: "X-Filler: \(String(repeating: "a", count: 1000))\r\n", count: 80)
        let answer = try Self.exchange(endless, port: server.port)
        #expect(answer.hasPrefix("HTTP/1.1 431 "), "\(answer.prefix(100))")
        // An HTTP/1.0 request is answered and the connection closed.
        let old = try Self.exchange("GET /old HTTP/1.0\r\n\r\n", port: server.port)
        #expect(old.hasPrefix("HTTP/1.1 200 OK\r\n") && old.contains("Connection: close\r\n") && old.hasSuffix("GET /old "))
    }

    @Test func aPortInUseIsSaidSo() throws {
        let server = try Self.echoServer()
        defer { server.stop() }
        let taken = #expect(throws: ServeError.self) {
            _ = try HTTPServer(host: "127.0.0.1", port: server.port, idleTimeout: 1) { _ in HTTPResponse(status: .ok) }
        }
        #expect(taken?.addressInUse == true)
        #expect(throws: ServeError.self) { _ = try HTTPServer(host: "not-an-address", port: 0, idleTimeout: 1) { _ in HTTPResponse(status: .ok) } }
    }

    /// A request waiting for its answer (as a page waits for the next build) does not hold up
    /// the stop: its connection is closed.
    @Test func stoppingClosesConnectionsThatWait() throws {
        let server = try Self.echoServer()
        let started = ContinuousClock.now
        let answer = Mutex<String?>(nil)
        let done = DispatchSemaphore(value: 0)
        let port = server.port
        Thread {
            answer.withLock { $0 = try? Self.exchange("GET /wait HTTP/1.1\r\n\r\n", port: port) }
            done.signal()
        }.start()
        Thread.sleep(forTimeInterval: 0.3)
        server.stop()
        #expect(done.wait(timeout: .now() + 5) == .success)
        #expect(answer.withLock { $0 } == "")
        #expect(ContinuousClock.now - started < .seconds(10))
        // Nothing listens any more.
        #expect(throws: (any Error).self) { _ = try Self.exchange("GET / HTTP/1.1\r\n\r\n", port: port) }
    }
}
