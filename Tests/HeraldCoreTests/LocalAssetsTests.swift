// Local images: found beside the post, never outside its folder tree.

import Foundation
import HeraldCore
import Testing

@Suite struct LocalAssetsTests {
    @Test(arguments: ["https://e.org/a.png", "/site/a.png", "#x", "mailto:a@b", "data:image/png;base64,AA", "ftp:x"])
    func nonLocalReferences(_ destination: String) {
        #expect(LocalAssets.resolve(destination, postPath: "/tmp/p.md") == nil)
    }

    @Test func resolvesInsideTheFolderAndRefusesEscapes() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("herald-assets-\(UUID().uuidString)")
        let posts = root.appendingPathComponent("posts")
        try FileManager.default.createDirectory(at: posts.appendingPathComponent("images"), withIntermediateDirectories: true)
        try Data("png".utf8).write(to: posts.appendingPathComponent("images/a b.png"))
        try Data("secret".utf8).write(to: root.appendingPathComponent("secret.txt"))
        try FileManager.default.createSymbolicLink(at: posts.appendingPathComponent("link.png"), withDestinationURL: root.appendingPathComponent("secret.txt"))
        let post = posts.appendingPathComponent("p.md").path

        let ok = try #require(LocalAssets.resolve("images/a%20b.png?v=1#x", postPath: post))
        #expect(ok.relativePath == "images/a b.png")
        #expect(LocalAssets.resolve("./images/../images/a b.png", postPath: post)?.relativePath == "images/a b.png")
        #expect(LocalAssets.resolve("../secret.txt", postPath: post) == nil)
        #expect(LocalAssets.resolve("images/../../secret.txt", postPath: post) == nil)
        #expect(LocalAssets.resolve("../../../../etc/passwd", postPath: post) == nil)
        #expect(LocalAssets.resolve("link.png", postPath: post) == nil)
        #expect(LocalAssets.resolve("%2e%2e/secret.txt", postPath: post) == nil)
    }
}
