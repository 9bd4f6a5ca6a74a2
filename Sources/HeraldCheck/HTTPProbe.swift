// The requests of `herald check --online`: the one Swift file that calls libcurl, through the
// CLibCurl shim, which loads it on the first request. Each request blocks a thread of its own
// while it waits for the network, never one of the threads Swift's tasks run on.

import CLibCurl
import Foundation

enum HTTPProbe {
    /// How one request ended.
    enum Answer: Sendable, Equatable {
        /// The server answered with `status` (after any redirects), and this `Retry-After`.
        case answered(status: Int, retryAfter: String?)
        /// No answer: refused, timed out, a TLS failure. `unknownHost`: the name does not resolve.
        case failed(String, unknownHost: Bool)
    }

    /// Why requests cannot be made on this machine (libcurl is missing); nil when they can.
    static var unavailable: String? {
        var message = [CChar](repeating: 0, count: 512)
        return herald_http_available(&message, message.count) == 1 ? nil : text(message)
    }

    /// Asks `url` with `method` (`HEAD` or `GET`); waits at most `timeout` seconds.
    static func request(_ url: String, method: String, timeout: TimeInterval, userAgent: String) async -> Answer {
        await withCheckedContinuation { continuation in
            let thread = Thread {
                continuation.resume(returning: perform(url, head: method == "HEAD", timeout: timeout, userAgent: userAgent))
            }
            thread.start()
        }
    }

    /// The text a C function wrote into `buffer`, up to its NUL.
    private static func text(_ buffer: [CChar]) -> String {
        String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    private static func perform(_ url: String, head: Bool, timeout: TimeInterval, userAgent: String) -> Answer {
        var status = 0
        var retryAfter = [CChar](repeating: 0, count: 128)
        var message = [CChar](repeating: 0, count: 512)
        let milliseconds = Int(min(max(timeout, 0.001), 86_400) * 1000)
        let outcome = herald_http_request(
            url, head ? 1 : 0, milliseconds, userAgent, &status, &retryAfter, retryAfter.count, &message, message.count)
        switch outcome {
        case HERALD_HTTP_ANSWERED:
            let header = text(retryAfter)
            return .answered(status: status, retryAfter: header.isEmpty ? nil : header)
        case HERALD_HTTP_UNKNOWN_HOST:
            return .failed(text(message), unknownHost: true)
        default:
            return .failed(text(message), unknownHost: false)
        }
    }
}
