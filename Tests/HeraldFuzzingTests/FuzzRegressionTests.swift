// The fuzzers' invariants (Sources/HeraldFuzzing) on the posts a user publishes and on every
// input the fuzzers found a fault with: `make fuzz` saves such an input as a file under
// Regressions/pipeline/, Regressions/translate/ or Regressions/template/, where it stays once the
// fault is fixed. The translator's side is also run on the seeds of its fuzzer
// (Fuzz/Seeds/translate/), the templates' on the built-in templates.

import Foundation
import HeraldFuzzing
import Testing

enum Inputs {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let regressions = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Regressions")
    static let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus")

    /// The files of `folder` (and its subfolders) whose names end in one of `extensions` (any when empty).
    static func files(_ folder: URL, extensions: [String] = []) -> [URL] {
        guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey]) else { return [] }
        return walker.compactMap { $0 as? URL }
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
            .filter { url in extensions.isEmpty || extensions.contains(url.pathExtension) }
            .sorted { $0.path < $1.path }
    }

    static var posts: [URL] {
        files(repository.appendingPathComponent("examples"), extensions: ["md"]) + files(corpus, extensions: ["md"])
    }
}

@Suite struct FuzzRegressionTests {
    /// The examples, the corpus, and what the pipeline's fuzzer found.
    static let pipelineInputs = Inputs.posts + Inputs.files(Inputs.regressions.appendingPathComponent("pipeline"))

    /// Each post is a case of its own, so the posts are checked side by side.
    @Test(arguments: pipelineInputs)
    func everyPostKeepsThePipelinesInvariants(_ url: URL) throws {
        try expectNoProblems(in: url, found: PipelineFuzzer.problems)
    }

    @Test func thereArePostsToCheck() {
        #expect(Inputs.posts.count >= 4)
        #expect(Inputs.files(Inputs.regressions.appendingPathComponent("pipeline")).count >= 1)
    }

    /// The seeds of `make fuzz`: the examples' stubs and PO files filled by a translator, and a
    /// source edited after that; then what the fuzzer found.
    static let translatorsInputs = Inputs.files(Inputs.repository.appendingPathComponent("Fuzz/Seeds/translate"))
        + Inputs.files(Inputs.regressions.appendingPathComponent("translate"))

    @Test(arguments: translatorsInputs)
    func everyTranslatorsInputKeepsItsTranslations(_ url: URL) throws {
        try expectNoProblems(in: url, found: TranslationFuzzer.problems)
    }

    @Test func thereAreTranslatorsInputsToCheck() {
        #expect(Self.translatorsInputs.count >= 8)
    }

    /// The built-in templates (the seeds of `make fuzz`), then what the template fuzzer found.
    static let templateInputs = Inputs.files(Inputs.repository.appendingPathComponent("templates"), extensions: ["mustache"])
        + Inputs.files(Inputs.regressions.appendingPathComponent("template"))

    @Test(arguments: templateInputs)
    func everyTemplateRendersOrIsRefusedInPlace(_ url: URL) throws {
        try expectNoProblems(in: url, found: TemplateFuzzer.problems)
    }

    @Test func thereAreTemplatesToCheck() {
        #expect(Self.templateInputs.count >= 6)
    }

    /// Runs a fuzzer's invariants on the file at `url`; what they find fails the test.
    private func expectNoProblems(in url: URL, found problems: ([UInt8]) -> [String]) throws {
        let found = problems([UInt8](try Data(contentsOf: url)))
        #expect(found.isEmpty, "\(url.lastPathComponent):\n\(found.joined(separator: "\n"))")
    }
}
