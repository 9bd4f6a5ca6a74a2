// The GFM spec's 671 enabled examples, rendered through `herald render` in the spec flavors.

import ArgumentParser
import Foundation
@testable import HeraldCLI
import Testing

/// One example of the spec: Markdown in, HTML expected.
struct SpecExample: Sendable, CustomTestStringConvertible {
    var number: Int
    var line: Int
    var section: String
    var extensions: [String]
    var markdown: String
    var html: String

    var testDescription: String { "example \(number) (line \(line), \(section))" }

    static let specPath = "/usr/share/doc/cmark-gfm/spec.txt.gz"

    /// The enabled examples of Debian's copy of the GFM spec, or none when it is not installed.
    static let all: [SpecExample] = {
        guard FileManager.default.fileExists(atPath: specPath) else { return [] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/gzip")
        process.arguments = ["-dc", specPath]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return [] }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return parse(String(decoding: data, as: UTF8.self))
    }()

    static func parse(_ text: String) -> [SpecExample] {
        let fence = String(repeating: "`", count: 32)
        var examples: [SpecExample] = []
        var section = ""
        var state = 0  // 0 outside, 1 markdown, 2 html
        var markdown = "", html = "", tags: [String] = [], start = 0, number = 0
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            switch state {
            case 0:
                if line.hasPrefix("#") { section = line.drop { $0 == "#" || $0 == " " }.description }
                if line.hasPrefix(fence + " example") {
                    tags = line.dropFirst(fence.count + " example".count).split(separator: " ").map(String.init)
                    state = 1
                    markdown = ""
                    html = ""
                    start = index + 1
                }
            case 1:
                if line == "." { state = 2 } else { markdown += line + "\n" }
            default:
                if line == fence {
                    number += 1
                    state = 0
                    if !tags.contains("disabled") {
                        examples.append(
                            SpecExample(
                                number: number, line: start, section: section, extensions: tags,
                                markdown: markdown.replacingOccurrences(of: "→", with: "\t"),
                                html: html.replacingOccurrences(of: "→", with: "\t")))
                    }
                } else {
                    html += line + "\n"
                }
            }
        }
        return examples
    }
}

@Suite struct SpecTests {
    @Test func specHasAllExamples() throws {
        try #require(!SpecExample.all.isEmpty, "GFM spec not installed (Debian package cmark-gfm); run make setup")
        #expect(SpecExample.all.count == 671)
    }

    /// `herald render --to html --flavor FLAVOR --raw-html keep`, its arguments read once: the
    /// command runs for every example as it runs for a user, without parsing the same command
    /// line 671 times.
    static let commands: [String: RenderCommand] = Dictionary(uniqueKeysWithValues: ["commonmark", "gfm"].map { flavor in
        (flavor, try! RenderCommand.parse(["--to", "html", "--flavor", flavor, "--raw-html", "keep"]))
    })

    @Test func theCommandLineReadsAsTheExamplesNeed() throws {
        let console = Console.capturing(input: Data("*a*\n".utf8))
        #expect(Herald.run(["render", "--to", "html", "--flavor", "gfm", "--raw-html", "keep"], console: console) == 0)
        let reused = Console.capturing(input: Data("*a*\n".utf8))
        #expect(try Self.commands["gfm"]!.execute(reused) == 0)
        #expect(console.stdout == reused.stdout && console.stdout == "<p><em>a</em></p>\n")
    }

    @Test(arguments: SpecExample.all)
    func example(_ example: SpecExample) throws {
        let flavor = example.extensions.isEmpty ? "commonmark" : "gfm"
        let console = Console.capturing(input: Data(example.markdown.utf8))
        let status = try Self.commands[flavor]!.execute(console)
        #expect(status == 0)
        #expect(
            HTMLNormalizer.normalize(console.stdout) == HTMLNormalizer.normalize(example.html),
            "markdown:\n\(example.markdown)")
    }
}
