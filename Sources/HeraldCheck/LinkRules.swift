// Links and images: addresses that cannot be followed, javascript: links, missing files and
// fragments, texts that name another issue, repository or user than their address, words
// glued to a link, images without a file or alt text.

import Foundation
import HeraldCore
import HeraldMarkdown

extension LintRun {
    mutating func checkLinks() {
        // Addresses of reference links are checked once, at their definition.
        for definition in document.linkDefinitions {
            let place = TextPlace(definition.destination, line: definition.range.start.line, from: definition.range.start.column)
            checkAddress(definition.destination, at: place)
            if definition.label.hasPrefix("@") {
                checkMention(String(definition.label.dropFirst()), definition.destination, at: definition.range.start)
            }
        }
        for id in document.descendants() {
            let node = document[id]
            guard !node.range.isUnknown else { continue }
            switch node.kind {
            case .link(let link):
                let text = String(document.plainText(of: id).withoutSurroundingSpaces)
                if link.form == .inline {
                    // The address starts after the parenthesis found.
                    let place = TextPlace("(" + link.destination, line: node.range.start.line, from: node.range.start.column, shift: 1)
                    checkAddress(link.destination, at: place)
                    if text.hasPrefix("@") { checkMention(String(text.dropFirst()), link.destination, at: node.range.start) }
                }
                checkIssueReference(text, link.destination, at: node.range.start)
                if let next = node.next, case .text(let after) = document[next].kind, let first = after.unicodeScalars.first,
                    first.properties.isAlphabetic || ("0"..."9").contains(first), !first.isCJK
                {
                    report("link-glued", SourceLocation(line: node.range.end.line, column: node.range.end.column + 1),
                        "text runs on right after the link '\(text)': a space is missing")
                }
            case .image(let link):
                if document.plainText(of: id).withoutSurroundingSpaces.isEmpty {
                    report("image-alt", node.range.start, "image '\(link.destination)' has no alt text")
                }
                if LocalAssets.isLocal(link.destination) {
                    let asset = LocalAssets.resolve(link.destination, postPath: post.sourcePath)
                    if asset.map({ !FileManager.default.fileExists(atPath: $0.file.path) }) ?? true {
                        report("image-missing", locate(link.destination, line: node.range.start.line, from: node.range.start.column),
                            "image '\(link.destination)' does not exist" + (asset == nil ? " inside the post's folder" : ""))
                    }
                }
            default:
                continue
            }
        }
    }

    /// Checks a link's address; `place` is located in the source only when there is something
    /// to report.
    mutating func checkAddress(_ destination: String, at place: TextPlace) {
        let trimmed = String(destination.withoutSurroundingSpaces)
        // Browsers ignore spaces and control characters in a scheme: `java\tscript:` counts.
        if URLs.startsLike(trimmed, "javascript:") {
            report("url-javascript", locate(place), "javascript: link: it runs code, and every output removes it")
            return
        }
        if URLs.hasScheme(trimmed) || trimmed.hasPrefix("//") {
            if !URLs.isWellFormedWebAddress(trimmed.hasPrefix("//") ? "https:" + trimmed : trimmed) {
                report("url-malformed", locate(place), "'\(trimmed)' is not a usable address (its host is empty or malformed)")
            }
            return
        }
        if trimmed.hasPrefix("#") {
            let fragment = String(trimmed.dropFirst())
            let decoded = fragment.removingPercentEncoding ?? fragment
            if !decoded.isEmpty, !anchors().contains(decoded) {
                report("link-missing-anchor", locate(place), "no heading or element has the id '\(decoded)'")
            }
            return
        }
        guard LocalAssets.isLocal(trimmed) else { return }
        let (path, suffix) = LocalAssets.splitSuffix(trimmed)
        guard !path.isEmpty else { return }
        let file = SourcePaths.beside(post: post.sourcePath, path.removingPercentEncoding ?? path)
        let elsewhere = site.map { PostLinks.counterparts(of: file, build: $0) } ?? []
        if !FileManager.default.fileExists(atPath: file), !elsewhere.contains(where: FileManager.default.fileExists(atPath:)) {
            // `example.org/page` is a web address missing its scheme, not a file.
            let first = path.split(separator: "/").first.map(String.init) ?? ""
            let looksLikeHost = first.contains(".") && !first.hasPrefix(".") && first.split(separator: ".").last.map { $0.count >= 2 && $0.allSatisfy(\.isLetter) } == true
                && !["md", "markdown", "html", "htm", "pdf", "png", "jpg", "jpeg", "gif", "svg", "txt"].contains(String(first.split(separator: ".").last ?? "").lowercased())
            report("link-missing-file", locate(place), looksLikeHost
                ? "'\(path)' does not exist beside the post; a web address needs https:// in front"
                : "'\(path)' does not exist beside the post")
            return
        }
        // `other.md#part`: the other post must have that heading.
        let fileExtension = (file as NSString).pathExtension
        guard let hash = suffix.firstIndex(of: "#"), fileExtension == "md" || fileExtension == "markdown" else { return }
        let fragment = String(suffix[suffix.index(after: hash)...])
        let decoded = fragment.removingPercentEncoding ?? fragment
        guard !decoded.isEmpty, let others = headingIDs(ofPostAt: file), !others.contains(decoded) else { return }
        report("link-missing-anchor", locate(place), "\(path) has no heading or element with the id '\(decoded)'")
    }

    /// The anchors of another post, read once per check; nil when it cannot be parsed.
    mutating func headingIDs(ofPostAt path: String) -> Set<String>? {
        if let known = otherAnchors[path] { return known }
        let anchors = (try? load(path)).map { Self.anchors(of: $0.document) }
        otherAnchors[path] = anchors
        return anchors
    }

    /// `[#123](…/pull/124)` and `[owner/repo#1](…/other/repo/…)`.
    mutating func checkIssueReference(_ text: String, _ destination: String, at location: SourceLocation) {
        guard let named = IssueReference(text: text), let target = GitHubIssueAddress(destination) else { return }
        if let (owner, repo) = named.repository,
            owner.lowercased() != target.owner.lowercased() || repo.lowercased() != target.repository.lowercased()
        {
            report("link-repo-mismatch", location, "the text names \(owner)/\(repo) but the address is in \(target.owner)/\(target.repository)")
        }
        if named.number != target.number {
            report("link-number-mismatch", location, "the text names #\(named.number) but the address points at #\(target.number)")
        }
    }

    /// `[@name]` pointing at another user's GitHub, GitLab or Twitter profile.
    mutating func checkMention(_ name: String, _ destination: String, at location: SourceLocation) {
        guard let profile = profileName(of: destination) else { return }
        if profile.lowercased() != name.lowercased() {
            report("mention-mismatch", location, "@\(name) links to the profile of '\(profile)'")
        }
    }

    /// The ids a fragment link may point at: headings (as rendered), footnotes, raw HTML ids.
    static func anchors(of document: Document) -> Set<String> {
        var ids: Set<String> = []
        var deduplicator = Slug.Deduplicator()
        var rawHTML: [String] = []
        for id in document.descendants() {
            switch document[id].kind {
            case .heading:
                ids.insert(deduplicator.unique(Slug.headingID(document.plainText(of: id))))
            case .footnoteDefinition(let label):
                ids.insert("fn-" + label)
                ids.insert("fnref-" + label)
            case .htmlBlock(let html), .inlineHTML(let html):
                if html.containsBytes("id") || html.containsBytes("name") { rawHTML.append(html) }
            default:
                continue
            }
        }
        if !rawHTML.isEmpty {
            // Built once per post, and only for posts with raw HTML that may carry ids.
            let attribute = /\b(?:id|name)\s*=\s*["']?([^"'\s>]+)/
            for html in rawHTML {
                for match in html.matches(of: attribute) { ids.insert(String(match.1)) }
            }
        }
        return ids
    }
}
