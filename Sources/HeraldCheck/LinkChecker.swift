// `herald check --online`: external links followed over HTTP (HEAD, then GET where HEAD is
// refused), a few at a time, never too fast for one host, with timeouts, retries and a cache
// so the next run only asks what it does not know.

import Foundation
public import HeraldCore
import HeraldMarkdown

public struct LinkCheckOptions: Sendable {
    /// Requests in flight at once.
    public var concurrency: Int
    /// The least time between two requests to the same host.
    public var perHostInterval: Duration
    /// How long one request may take.
    public var timeout: TimeInterval
    /// Further attempts after a network error, a 429 or a 5xx answer.
    public var retries: Int
    /// Where results are kept between runs; nil for no cache.
    public var cacheFile: URL?
    /// How long a cached result stays good.
    public var cacheMaxAge: TimeInterval

    public init(
        concurrency: Int = 8, perHostInterval: Duration = .milliseconds(250), timeout: TimeInterval = 10, retries: Int = 2,
        cacheFile: URL? = nil, cacheMaxAge: TimeInterval = 7 * 24 * 3600
    ) {
        self.concurrency = max(concurrency, 1)
        self.perHostInterval = perHostInterval
        self.timeout = timeout
        self.retries = max(retries, 0)
        self.cacheFile = cacheFile
        self.cacheMaxAge = cacheMaxAge
    }
}

/// One place a link is written.
public struct LinkUse: Sendable {
    public var url: String
    public var file: String
    public var location: SourceLocation?

    public init(url: String, file: String, location: SourceLocation?) {
        self.url = url
        self.file = file
        self.location = location
    }
}

public struct LinkChecker: Sendable {
    public var options: LinkCheckOptions

    public init(options: LinkCheckOptions = LinkCheckOptions()) { self.options = options }

    /// Why links cannot be checked online on this machine (libcurl cannot be loaded); nil when
    /// they can.
    public static var unavailable: String? { HTTPProbe.unavailable }

    /// The outcome of one address: the HTTP status, or a failure.
    struct Outcome: Codable, Sendable {
        var status: Int?
        var error: String?
        var checked: Double
        var ok: Bool { error == nil && (status.map { (200..<400).contains($0) } ?? false) }
    }

    struct Cache: Codable {
        var version = 1
        var entries: [String: Outcome] = [:]
    }

    /// Checks every distinct address once; returns a finding per place a failing one is used,
    /// and how many requests went out.
    public func check(_ uses: [LinkUse]) async -> (findings: [Diagnostic], requests: Int, fromCache: Int) {
        var cache = loadCache()
        let now = Date().timeIntervalSince1970
        let addresses = Array(Set(uses.map(\.url))).sorted()
        // Answers that were good are trusted for the cache's age; failures are asked again, so a
        // server that was down yesterday does not fail today's run.
        let pending = addresses.filter { url in cache.entries[url].map { !$0.ok || now - $0.checked > options.cacheMaxAge } ?? true }
        let gate = HostGate(interval: options.perHostInterval)
        let counter = RequestCounter()
        var results = cache.entries
        await withTaskGroup(of: (String, Outcome).self) { group in
            var next = 0
            func start() {
                let url = pending[next]
                next += 1
                group.addTask { (url, await self.fetch(url, gate: gate, counter: counter)) }
            }
            while next < pending.count && next < options.concurrency { start() }
            while let (url, outcome) = await group.next() {
                results[url] = outcome
                if next < pending.count { start() }
            }
        }
        // Only good answers are kept: a failure is asked again next time anyway, and one seen
        // offline says nothing of the address.
        cache.entries = results.filter(\.value.ok)
        saveCache(cache)
        var findings: [Diagnostic] = []
        // A host that could not be reached at all is said once, at its first link, not once per
        // link (offline, every link would be a warning).
        var unreachableHosts: [String: (use: LinkUse, reason: String, links: Int)] = [:]
        var hostOrder: [String] = []
        for use in uses {
            guard let outcome = results[use.url], !outcome.ok else { continue }
            if outcome.status == nil, let host = URL(string: use.url)?.host {
                if unreachableHosts[host] == nil {
                    hostOrder.append(host)
                    unreachableHosts[host] = (use, outcome.error ?? "failed", 0)
                }
                unreachableHosts[host]!.links += 1
                continue
            }
            let reason = outcome.status.map { "answered \($0)" } ?? (outcome.error ?? "failed")
            findings.append(.warning("url-unreachable", file: use.file, at: use.location, "\(use.url) \(reason)"))
        }
        for host in hostOrder {
            let (use, reason, links) = unreachableHosts[host]!
            let others = links > 1 ? "; \(links - 1) more link\(links == 2 ? "" : "s") to \(host) not checked" : ""
            findings.append(.warning("url-unreachable", file: use.file, at: use.location, "\(use.url) \(reason)\(others)"))
        }
        return (findings, await counter.value, addresses.count - pending.count)
    }

    /// HEAD, then GET when HEAD is refused; retried on network errors, 429 and 5xx.
    func fetch(_ address: String, gate: HostGate, counter: RequestCounter) async -> Outcome {
        // Rate limits and unreachable servers are per host and port.
        guard let url = URL(string: address), let host = url.host.map({ $0 + (url.port.map { ":\($0)" } ?? "") }) else {
            return Outcome(status: nil, error: "is not a valid address", checked: Date().timeIntervalSince1970)
        }
        var last = Outcome(status: nil, error: "failed", checked: 0)
        var retryAfter: Duration?
        attempts: for attempt in 0...options.retries {
            // A host that could not be reached at all is not asked again in this run: offline, or
            // with a mistyped host, every address on it would wait through its retries.
            if let reason = await gate.unreachable(host) {
                return Outcome(status: nil, error: reason, checked: Date().timeIntervalSince1970)
            }
            if attempt > 0 {
                // The server's own Retry-After when it gave one (a rate limit says how long to
                // wait), else a growing pause.
                try? await Task.sleep(for: retryAfter ?? .milliseconds(300 * attempt))
                retryAfter = nil
            }
            for method in ["HEAD", "GET"] {
                await gate.wait(for: host)
                await counter.add()
                switch await HTTPProbe.request(address, method: method, timeout: options.timeout, userAgent: "Herald link checker") {
                case .answered(let status, let header):
                    last = Outcome(status: status, error: nil, checked: Date().timeIntervalSince1970)
                    if status == 429 || status == 503 { retryAfter = Self.retryAfter(header) }
                    // Some servers refuse HEAD (405, 501, sometimes 403 or 404): ask again with GET.
                    if method == "HEAD" && [403, 404, 405, 501].contains(status) { continue }
                case .failed(let reason, let unknownHost):
                    last = Outcome(status: nil, error: "could not be reached (\(reason))", checked: Date().timeIntervalSince1970)
                    // A name that does not resolve will not resolve a moment later either.
                    if unknownHost {
                        await gate.markUnreachable(host, reason: last.error!)
                        break attempts
                    }
                }
                break
            }
            let retryable = last.error != nil || last.status == 429 || (last.status ?? 0) >= 500
            if !retryable { break }
        }
        if last.status == nil, let reason = last.error { await gate.markUnreachable(host, reason: reason) }
        return last
    }

    /// A `Retry-After` header's wait (seconds, or an HTTP date), at most a minute: a server asking
    /// for longer is reported as failing rather than holding the check up.
    static func retryAfter(_ header: String?) -> Duration? {
        guard let header = header?.trimmingCharacters(in: .whitespaces), !header.isEmpty else { return nil }
        var seconds: Double?
        if let number = Double(header) {
            seconds = number
        } else {
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "GMT")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
            seconds = formatter.date(from: header).map { $0.timeIntervalSinceNow }
        }
        guard let seconds, seconds >= 0, seconds <= 60 else { return nil }
        return .milliseconds(Int(seconds * 1000))
    }

    func loadCache() -> Cache {
        guard let file = options.cacheFile, let data = FileManager.default.contents(atPath: file.path),
            let cache = try? JSONDecoder().decode(Cache.self, from: data), cache.version == 1
        else { return Cache() }
        return cache
    }

    func saveCache(_ cache: Cache) {
        guard let file = options.cacheFile else { return }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        if let data = try? encoder.encode(cache) { try? OutputWriter.writeAtomically(data, to: file) }
    }
}

/// Spaces out requests to each host, and remembers the hosts that could not be reached.
actor HostGate {
    let interval: Duration
    private var nextSlot: [String: ContinuousClock.Instant] = [:]
    /// Hosts that gave no answer at all, with why.
    private var failed: [String: String] = [:]

    init(interval: Duration) { self.interval = interval }

    func unreachable(_ host: String) -> String? { failed[host] }

    func markUnreachable(_ host: String, reason: String) { failed[host] = failed[host] ?? reason }

    func wait(for host: String) async {
        let now = ContinuousClock.now
        let slot = max(now, nextSlot[host] ?? now)
        nextSlot[host] = slot + interval
        if slot > now { try? await Task.sleep(until: slot, clock: .continuous) }
    }
}

actor RequestCounter {
    private(set) var value = 0
    func add() { value += 1 }
}

extension Linter {
    /// The `http(s)` addresses a post links to (links, images, definitions), where each is written.
    public static func externalLinks(of post: Post) -> [LinkUse] {
        let document = post.document
        let path = post.sourcePath
        var uses: [LinkUse] = []
        func add(_ destination: String, _ location: SourceLocation?) {
            let lowered = destination.lowercased()
            guard lowered.hasPrefix("http://") || lowered.hasPrefix("https://"), URLs.isWellFormedWebAddress(destination) else { return }
            uses.append(LinkUse(url: destination, file: path, location: location))
        }
        for definition in document.linkDefinitions { add(definition.destination, definition.range.start) }
        for id in document.descendants() {
            switch document[id].kind {
            case .link(let link) where link.form == .inline || link.form == .autolink, .image(let link) where link.form == .inline:
                add(link.destination, document[id].range.isUnknown ? nil : document[id].range.start)
            default:
                continue
            }
        }
        return uses
    }
}
