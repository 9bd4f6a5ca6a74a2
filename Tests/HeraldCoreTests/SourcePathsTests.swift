// Source paths as keys: spelled by hand, without asking the file system, and the same as
// Foundation's standardized file URLs.

import Foundation
import HeraldCore
import Testing

@Suite struct SourcePathsTests {
    @Test(arguments: [
        "a.md", "./a.md", "posts", "posts/", "posts/2019/../a.md", "/tmp//blog/./posts/", "../a.md", "/..", "/../a.md",
        "/", ".", "..", "~/blog/a.md", "~", "posts/2019/..", "a//b.md", "/a/b/../../../c.md", "", "posts/...",
        "x/.hidden/../y.md", "文章/../博客/一.md",
        // Absolute paths that are standard already (returned as they are) and some that are not.
        "/blog/posts/a.md", "/a/.hidden/b.md", "/a/..b/c.md", "/a/.../b", "/文章/一.md", "/a/b/", "/a/./b", "/.", "/a/b/..", "//a",
    ])
    func standardizedLikeAFileURL(_ path: String) {
        #expect(SourcePaths.standardized(path) == URL(fileURLWithPath: path).standardizedFileURL.path)
    }

    @Test(arguments: ["b.md", "../b.md", "./sub/../b.md", "/b.md", "sub/", "中文.md"])
    func aPathBesideAPostIsReadFromItsFolder(_ relative: String) {
        for post in ["/blog/posts/a.md", "posts/a.md", "a.md"] {
            let folder = URL(fileURLWithPath: post).deletingLastPathComponent()
            #expect(SourcePaths.beside(post: post, relative) == folder.appendingPathComponent(relative).standardizedFileURL.path)
        }
    }

    @Test(arguments: ["posts/a.md", "a.md", "/a/b/c.md", "posts/", "posts//", "/", "//", "", "文章/一.md", "a/.md", "./x"])
    func fileNameLikeFoundation(_ path: String) {
        #expect(SourcePaths.fileName(path) == (path as NSString).lastPathComponent)
    }

    @Test func twoSpellingsOfOneFileAreOneKey() {
        #expect(SourcePaths.standardized("posts/a/../b.md") == SourcePaths.standardized("./posts/b.md"))
        #expect(SourcePaths.standardized("/blog/posts/b.md") == "/blog/posts/b.md")
    }
}
