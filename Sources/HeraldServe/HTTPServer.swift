// The HTTP/1.1 server under `herald serve`: enough of the protocol for a browser on this
// machine (requests without bodies, keep-alive, HEAD), one thread per connection. A thread
// per connection suits a preview: a few connections at once, some held open while a page
// waits for the next build. The handler runs on the connection's thread and may block it;
// nothing here needs the threads Swift's tasks run on.

import Foundation
import HeraldCore
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// A request as the handler sees it.
struct HTTPRequest: Sendable {
    var method: String
    /// The path as sent, percent escapes decoded (`/zh/你好/`).
    var path: String
    /// The query's names and values, decoded, in order.
    var query: [QueryItem]

    struct QueryItem: Sendable {
        var name: String
        var value: String
    }
}

/// An answer; `Content-Length` and `Connection` are added when it is sent.
struct HTTPResponse: Sendable {
    var status: HTTPStatus
    var headers: [(name: String, value: String)]
    var body: Data

    init(status: HTTPStatus, headers: [(name: String, value: String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

enum HTTPStatus: Int, Sendable {
    case ok = 200
    case movedPermanently = 301
    case badRequest = 400
    case notFound = 404
    case methodNotAllowed = 405
    case contentTooLarge = 413
    case headersTooLarge = 431
    case internalServerError = 500
    case notImplemented = 501

    var reason: String {
        switch self {
        case .ok: "OK"
        case .movedPermanently: "Moved Permanently"
        case .badRequest: "Bad Request"
        case .notFound: "Not Found"
        case .methodNotAllowed: "Method Not Allowed"
        case .contentTooLarge: "Content Too Large"
        case .headersTooLarge: "Request Header Fields Too Large"
        case .internalServerError: "Internal Server Error"
        case .notImplemented: "Not Implemented"
        }
    }
}

final class HTTPServer: Sendable {
    typealias Handler = @Sendable (HTTPRequest) -> HTTPResponse

    /// The most a request's line and headers may take, and its body.
    static let headerLimit = 64 * 1024
    static let bodyLimit = 1024 * 1024

    private let listener: Int32
    /// The host and port listened on (the port the system chose, when 0 was asked for).
    let host: String
    let port: UInt16
    private let idleTimeout: Int
    private let handler: Handler
    /// Whether ``start()`` and ``stop()`` were called, and the connections open, to be shut by
    /// the stop. A socket is closed only by the thread that uses it, after it is out of this
    /// state: its number cannot be taken by another file while something here still refers to it.
    private let state = Mutex<(started: Bool, stopped: Bool, connections: Set<Int32>)>((false, false, []))

    /// Listens on `host` (an IPv4 or IPv6 address, or `localhost`) and `port` (0: any free one).
    /// A connection that sends nothing for `idleTimeout` seconds is closed.
    init(host: String, port: UInt16, idleTimeout: Int, handler: @escaping Handler) throws(ServeError) {
        let address = host == "localhost" ? "127.0.0.1" : host
        let family = address.contains(":") ? AF_INET6 : AF_INET
        let socketNumber = socket(family, Int32(SOCK_STREAM.rawValue), 0)
        guard socketNumber >= 0 else { throw ServeError(reason: FileError.reason(errno: errno), addressInUse: false) }
        func fail(_ reason: String, addressInUse: Bool = false) -> ServeError {
            close(socketNumber)
            return ServeError(reason: reason, addressInUse: addressInUse)
        }
        var yes: Int32 = 1
        setsockopt(socketNumber, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
        /// `bind` with a socket address of either family.
        func bindTo<SocketAddress>(_ socketAddress: SocketAddress) -> Int32 {
            withUnsafePointer(to: socketAddress) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socketNumber, $0, socklen_t(MemoryLayout<SocketAddress>.size)) }
            }
        }
        let bound: Int32
        if family == AF_INET6 {
            var socketAddress = sockaddr_in6()
            socketAddress.sin6_family = sa_family_t(AF_INET6)
            socketAddress.sin6_port = port.bigEndian
            guard inet_pton(AF_INET6, address, &socketAddress.sin6_addr) == 1 else { throw fail("'\(host)' is not an IPv6 address") }
            bound = bindTo(socketAddress)
        } else {
            var socketAddress = sockaddr_in()
            socketAddress.sin_family = sa_family_t(AF_INET)
            socketAddress.sin_port = port.bigEndian
            guard inet_pton(AF_INET, address, &socketAddress.sin_addr) == 1 else { throw fail("'\(host)' is not an IPv4 address") }
            bound = bindTo(socketAddress)
        }
        guard bound == 0 else {
            let number = errno
            throw fail(FileError.reason(errno: number), addressInUse: number == EADDRINUSE)
        }
        guard listen(socketNumber, 64) == 0 else { throw fail(FileError.reason(errno: errno)) }
        // The port taken.
        var taken = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        _ = withUnsafeMutablePointer(to: &taken) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socketNumber, $0, &length) }
        }
        let portBytes = withUnsafeBytes(of: &taken) { raw in
            family == AF_INET6
                ? raw.load(fromByteOffset: MemoryLayout<sockaddr_in6>.offset(of: \.sin6_port)!, as: UInt16.self)
                : raw.load(fromByteOffset: MemoryLayout<sockaddr_in>.offset(of: \.sin_port)!, as: UInt16.self)
        }
        self.listener = socketNumber
        self.host = address
        self.port = UInt16(bigEndian: portBytes)
        self.idleTimeout = idleTimeout
        self.handler = handler
    }

    /// Accepts connections, each on a thread of its own, until ``stop()``.
    func start() {
        guard state.withLock({ state in
            defer { state.started = true }
            return !state.started && !state.stopped
        }) else { return }
        let thread = Thread { [self] in
            defer { close(listener) }
            while true {
                let connection = accept(listener, nil, nil)
                if connection < 0 {
                    if state.withLock({ $0.stopped }) { return }
                    // Out of descriptors for a moment, or a connection given up before it was taken.
                    if errno != EINTR && errno != ECONNABORTED { usleep(10_000) }
                    continue
                }
                let admitted = state.withLock { state in
                    guard !state.stopped else { return false }
                    state.connections.insert(connection)
                    return true
                }
                guard admitted else {
                    close(connection)
                    return
                }
                Thread { [self] in serve(connection) }.start()
            }
        }
        thread.start()
    }

    /// Stops listening and closes every connection (a page waiting for a build is let go).
    func stop() {
        let (first, started) = state.withLock { state in
            guard !state.stopped else { return (false, state.started) }
            state.stopped = true
            // Each connection's thread sees its socket end, and closes it.
            for connection in state.connections { shutdown(connection, Int32(SHUT_RDWR)) }
            return (true, state.started)
        }
        guard first else { return }
        // Wakes the thread blocked in accept, which closes the socket; never started, it is closed here.
        shutdown(listener, Int32(SHUT_RDWR))
        if !started { close(listener) }
    }

    /// Answers the requests of one connection until it closes, errs, idles or must close.
    private func serve(_ connection: Int32) {
        defer {
            state.withLock { _ = $0.connections.remove(connection) }
            close(connection)
        }
        var timeout = timeval(tv_sec: idleTimeout, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        setsockopt(connection, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var buffer: [UInt8] = []
        while !state.withLock({ $0.stopped }) {
            switch readRequest(connection, buffer: &buffer) {
            case .closed:
                return
            case .refused(let status):
                let response = HTTPResponse(status: status, headers: [("Content-Type", "text/plain; charset=utf-8")], body: Data("\(status.reason)\n".utf8))
                if send(response, to: connection, head: false, keepAlive: false) { lingerBeforeClosing(connection) }
                return
            case .request(let request, let keepAlive):
                let response = handler(request)
                guard send(response, to: connection, head: request.method == "HEAD", keepAlive: keepAlive), keepAlive else { return }
            }
        }
    }

    /// Reads what the client still sends (for a second at most) after the answer: closed with
    /// unread bytes, the connection would be reset and the client could lose the answer.
    private func lingerBeforeClosing(_ connection: Int32) {
        shutdown(connection, Int32(SHUT_WR))
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(connection, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var discarded: [UInt8] = []
        var total = 0
        while total < Self.bodyLimit, receive(connection, into: &discarded) {
            total += discarded.count
            discarded.removeAll(keepingCapacity: true)
        }
    }

    enum Reading {
        case request(HTTPRequest, keepAlive: Bool)
        /// A request that is not answered but with this status, and the connection closed.
        case refused(HTTPStatus)
        /// The peer closed the connection, it idled too long, or it failed.
        case closed
    }

    /// Reads the next request: its line, headers and any body (read and left aside).
    /// `buffer` holds what was read past the request, the start of the next.
    func readRequest(_ connection: Int32, buffer: inout [UInt8]) -> Reading {
        let end: Int
        while true {
            if let found = Self.headerEnd(in: buffer) {
                end = found
                break
            }
            guard buffer.count <= Self.headerLimit else { return .refused(.headersTooLarge) }
            guard receive(connection, into: &buffer) else { return .closed }
        }
        let head = String(decoding: buffer[..<end], as: UTF8.self)
        buffer.removeFirst(end + 4)
        var lines = head.components(separatedBy: "\r\n")
        // Empty lines before a request are allowed.
        while lines.first == "" { lines.removeFirst() }
        let parts = (lines.first ?? "").split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1.") else { return .refused(.badRequest) }
        let version = parts[2]
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { return .refused(.badRequest) }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        guard headers["transfer-encoding"] == nil else { return .refused(.notImplemented) }
        if let length = headers["content-length"] {
            guard let count = Int(length), count >= 0 else { return .refused(.badRequest) }
            guard count <= Self.bodyLimit else { return .refused(.contentTooLarge) }
            while buffer.count < count {
                guard receive(connection, into: &buffer) else { return .closed }
            }
            buffer.removeFirst(count)
        }
        guard let request = Self.request(method: String(parts[0]), target: String(parts[1])) else { return .refused(.badRequest) }
        let connectionHeader = headers["connection"]?.lowercased() ?? ""
        let keepAlive = version == "HTTP/1.1" ? !connectionHeader.contains("close") : connectionHeader.contains("keep-alive")
        return .request(request, keepAlive: keepAlive)
    }

    /// The request for a method and a target (`/path?query`, or an absolute address).
    static func request(method: String, target: String) -> HTTPRequest? {
        var target = Substring(target)
        if let scheme = target.range(of: "://"), !target.hasPrefix("/") {
            let rest = target[scheme.upperBound...]
            target = rest.firstIndex(of: "/").map { rest[$0...] } ?? "/"
        }
        guard target.hasPrefix("/") else { return nil }
        let pathPart = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        guard let path = String(pathPart[0]).removingPercentEncoding else { return nil }
        var query: [HTTPRequest.QueryItem] = []
        if pathPart.count == 2 {
            for pair in pathPart[1].split(separator: "&") {
                let nameAndValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                func decoded(_ text: Substring) -> String {
                    let spaced = text.replacingOccurrences(of: "+", with: " ")
                    return spaced.removingPercentEncoding ?? spaced
                }
                query.append(.init(name: decoded(nameAndValue[0]), value: nameAndValue.count == 2 ? decoded(nameAndValue[1]) : ""))
            }
        }
        return HTTPRequest(method: method, path: path, query: query)
    }

    /// Where the blank line that ends a request's headers starts.
    static func headerEnd(in bytes: [UInt8]) -> Int? {
        guard bytes.count >= 4 else { return nil }
        for index in 0...(bytes.count - 4)
        where bytes[index] == 13 && bytes[index + 1] == 10 && bytes[index + 2] == 13 && bytes[index + 3] == 10 {
            return index
        }
        return nil
    }

    /// Reads what has arrived onto `buffer`; false when the connection ended, failed or idled.
    private func receive(_ connection: Int32, into buffer: inout [UInt8]) -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(connection, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer += chunk[..<count]
            return true
        }
    }

    /// Sends `response` (without its body for HEAD); false when the connection failed.
    private func send(_ response: HTTPResponse, to connection: Int32, head: Bool, keepAlive: Bool) -> Bool {
        var text = "HTTP/1.1 \(response.status.rawValue) \(response.status.reason)\r\n"
        for (name, value) in response.headers { text += "\(name): \(value)\r\n" }
        text += "Content-Length: \(response.body.count)\r\nConnection: \(keepAlive ? "keep-alive" : "close")\r\n\r\n"
        var bytes = [UInt8](text.utf8)
        if !head { bytes += response.body }
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes { Glibc.send(connection, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            sent += count
        }
        return true
    }
}
