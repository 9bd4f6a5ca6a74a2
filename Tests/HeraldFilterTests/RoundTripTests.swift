// Every example and corpus post survives the JSON form: written, read back and written again it
// is the same JSON, and the document read back renders to the same HTML.

import Foundation
import HeraldCore
import HeraldHTML
import Testing

@Suite struct RoundTripTests {
    @Test(arguments: Paths.examplePosts)
    func examplePostsReadBackAsTheyWereWritten(path: String) throws {
        try checkRoundTrip(path)
    }

    @Test(.enabled(if: Paths.hasCorpus, "needs ../shared/corpus"), arguments: Paths.corpusPosts)
    func corpusPostsReadBackAsTheyWereWritten(path: String) throws {
        try checkRoundTrip(path)
    }

    @Test func theExamplesAreFound() {
        #expect(Paths.examplePosts.count == 2)
    }

    private func checkRoundTrip(_ path: String) throws {
        let post = try parsePost(path)
        let json = filterInput(post)
        let decoded = try Document(json: Data(json.utf8))
        var readBack = post
        readBack.document = decoded
        #expect(filterInput(readBack) == json)
        #expect(decoded.linkDefinitions == post.document.linkDefinitions)
        let renderer = HTMLRenderer()
        #expect(renderer.render(decoded).html == renderer.render(post.document).html)
    }
}
