// What `herald serve` answers: the site's files, and its own pages under /__herald/.
//
//   /__herald/                 every post, with links to its page, email and findings
//   /__herald/email/KEY        the plain-text email of the post at /KEY/ (e.g. zh/hello)
//   /__herald/check/KEY        what the checks said of that post
//   /__herald/wait?generation=N   answers when the build after N is done (or after a while)
//   /__herald/status           the current build: {"generation": N, "errors": [...]}

import Foundation
import HeraldCore

struct PreviewRoutes: Sendable {
    /// How long a page's wait for the next build is held open before it asks again.
    static let waitTimeout: TimeInterval = 20
    static let prefix = "/__herald/"

    let out: URL
    let state: PreviewState

    /// The answer to `request`; a wait for the next build holds the calling thread.
    func handleRequest(_ request: HTTPRequest) -> HTTPResponse {
        guard request.method == "GET" || request.method == "HEAD" else {
            return Self.text("only GET and HEAD are served\n", status: .methodNotAllowed)
        }
        // The path as sent, with its final slash.
        let path = request.path
        guard let segments = Self.segments(of: path) else {
            return Self.text("bad path\n", status: .badRequest)
        }
        if path.hasPrefix(Self.prefix) || path == "/__herald" {
            return editorPage(Array(segments.dropFirst()), request: request)
        }
        return file(segments, path: path)
    }

    /// The path's segments; nil when one would leave the folder (`..`) or cannot be a file name.
    static func segments(of path: String) -> [String]? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard !segments.contains(where: { $0 == ".." || $0 == "." || $0.contains("\0") || $0.contains("\\") }) else { return nil }
        return segments
    }

    // MARK: The site's files

    private func file(_ segments: [String], path: String) -> HTTPResponse {
        let site = out.appendingPathComponent("site")
        var url = segments.reduce(site) { $0.appendingPathComponent($1) }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue {
            // A folder's page is its index.html, at an address that ends in a slash (relative links need it).
            guard path.hasSuffix("/") else {
                return HTTPResponse(status: .movedPermanently, headers: [("Location", Self.encodedPath(segments) + "/")])
            }
            url.appendPathComponent("index.html")
        }
        // Symbolic links must not lead out of the site.
        let resolved = url.resolvingSymlinksInPath().path
        let root = site.resolvingSymlinksInPath().path + "/"
        guard resolved.hasPrefix(root), let data = FileManager.default.contents(atPath: resolved) else {
            return notFound(path)
        }
        let type = Self.contentType(of: url.pathExtension)
        guard type.hasPrefix("text/html") else { return Self.response(data, type: type) }
        let key = segments.joined(separator: "/")
        let post = state.snapshot.posts.first { $0.page == key + "/index.html" }
        return Self.response(Data(injected(into: String(decoding: data, as: UTF8.self), post: post).utf8), type: type)
    }

    private func notFound(_ path: String) -> HTTPResponse {
        let page = PreviewPages.page(
            title: "Not found", body: "<h1>Not found</h1><p><code>\(Escape.html(path))</code> is not in the site. "
                + "<a href=\"/__herald/\">Every post</a></p>")
        return Self.response(Data(injected(into: page, post: nil).utf8), type: "text/html; charset=utf-8", status: .notFound)
    }

    /// The page with the reload script, the build's errors and the post's previews added.
    private func injected(into html: String, post: PreviewPost?) -> String {
        let snapshot = state.snapshot
        let addition = PreviewPages.overlay(snapshot: snapshot, post: post)
        guard let end = html.range(of: "</body>", options: [.caseInsensitive, .backwards]) else { return html + addition }
        return html.replacingCharacters(in: end.lowerBound..<end.lowerBound, with: addition)
    }

    // MARK: The editor's pages

    private func editorPage(_ segments: [String], request: HTTPRequest) -> HTTPResponse {
        let snapshot = state.snapshot
        switch segments.first {
        case nil:
            return Self.response(Data(injected(into: PreviewPages.index(snapshot), post: nil).utf8), type: "text/html; charset=utf-8")
        case "wait":
            let seen = request.query.first { $0.name == "generation" }.flatMap { Int($0.value) } ?? -1
            let deadline = Date().addingTimeInterval(Self.waitTimeout)
            var generation = snapshot.generation
            while generation == seen && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
                generation = state.snapshot.generation
            }
            return Self.json(["generation": generation])
        case "status":
            return Self.json(["generation": snapshot.generation, "errors": snapshot.errors, "posts": snapshot.posts.map(\.key)])
        case "email", "check":
            let key = segments.dropFirst().joined(separator: "/")
            guard let post = snapshot.posts.first(where: { $0.key == key }) else {
                return Self.text("no post at /\(key)/ (see /__herald/ for every post)\n", status: .notFound)
            }
            if segments.first == "check" {
                let findings = post.findings.isEmpty ? "\(post.source): no findings\n" : post.findings.joined(separator: "\n") + "\n"
                return Self.text(findings)
            }
            guard let email = post.email, let data = FileManager.default.contents(atPath: out.appendingPathComponent(email).path) else {
                return Self.text("no email was built for \(post.source) (formats: email)\n", status: .notFound)
            }
            return Self.response(data, type: "text/plain; charset=utf-8")
        default:
            return Self.text("unknown address (see /__herald/)\n", status: .notFound)
        }
    }

    // MARK: Responses

    static func response(_ data: Data, type: String, status: HTTPStatus = .ok) -> HTTPResponse {
        // Every answer is fresh: the files change under the server.
        HTTPResponse(status: status, headers: [("Content-Type", type), ("Cache-Control", "no-store")], body: data)
    }

    static func text(_ text: String, status: HTTPStatus = .ok) -> HTTPResponse {
        response(Data(text.utf8), type: "text/plain; charset=utf-8", status: status)
    }

    static func json(_ value: [String: any Sendable]) -> HTTPResponse {
        let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data("{}".utf8)
        return response(data, type: "application/json")
    }

    static func encodedPath(_ segments: [String]) -> String {
        "/" + segments.map { $0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? $0 }
            .joined(separator: "/")
    }

    /// The media type of a file the site holds, by its extension.
    static func contentType(of pathExtension: String) -> String {
        switch pathExtension.lowercased() {
        case "html", "htm": "text/html; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "js": "text/javascript; charset=utf-8"
        case "xml": "application/xml; charset=utf-8"
        case "json": "application/json; charset=utf-8"
        case "txt", "md": "text/plain; charset=utf-8"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "gif": "image/gif"
        case "webp": "image/webp"
        case "avif": "image/avif"
        case "svg": "image/svg+xml"
        case "ico": "image/vnd.microsoft.icon"
        case "woff2": "font/woff2"
        case "woff": "font/woff"
        case "pdf": "application/pdf"
        case "epub": "application/epub+zip"
        default: "application/octet-stream"
        }
    }
}
