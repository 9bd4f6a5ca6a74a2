// Links to other posts by file name, for the commands that take a post or a few rather than a
// whole build (`email`, `epub`): the posts linked to are read from disk (their slugs, and their
// translations beside them), so the links point at those posts' pages as in `herald build`.

import Foundation
import HeraldCore

enum LinkedPosts {
    /// `posts` with their links to other posts' files rewritten to those posts' pages. With
    /// `includingGiven`, links between the given posts are rewritten too (an email of one post
    /// linking to itself); without, they are left to the command (chapters of one book).
    static func rewrite(_ posts: [Post], parser: some PostParser, includingGiven: Bool) -> [Post] {
        let given = Set(posts.map { PostLinks.standardized($0.sourcePath) })
        var seen = given
        var linked: [Post] = includingGiven ? posts : []
        for post in posts {
            for destination in PostLinks.destinations(in: post) {
                guard let (file, _) = PostLinks.target(of: destination, in: post) else { continue }
                for candidate in [file, PostLinks.translation(of: file, lang: post.lang)] where !seen.contains(candidate) {
                    seen.insert(candidate)
                    // A linked post that cannot be read keeps its link as written; `herald check` says why.
                    guard let data = FileManager.default.contents(atPath: candidate),
                        let other = try? parser.parse([UInt8](data), path: candidate)
                    else { continue }
                    linked.append(other)
                }
            }
        }
        let links = PostLinks(linked)
        return posts.map { links.rewritingLinks(in: $0) }
    }
}
