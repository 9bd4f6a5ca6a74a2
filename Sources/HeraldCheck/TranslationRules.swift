// Translation stubs: untranslated and stale segments, found where their ids are written, and a
// damaged stub reported as it is.

import HeraldCore
import HeraldTranslate

extension LintRun {
    mutating func checkTranslation(_ stubText: String) {
        let stub: Stub
        do {
            stub = try Translator.currentState(stubPath: post.sourcePath, load: load)
        } catch let error as DiagnosticError {
            findings += error.diagnostics
            return
        } catch {
            return
        }
        // Where each segment's id is written: `<!-- herald:ID` in the body, `id: ID` in the front matter.
        var places: [String: SourceLocation] = [:]
        let segmentID = /<!-- herald:([\w-]+)|^\s*id: ([\w-]+)/
        for (index, text) in stubText.components(separatedBy: "\n").enumerated() {
            for match in text.matches(of: segmentID) {
                guard let id = match.1 ?? match.2, places[String(id)] == nil else { continue }
                let start = text[match.range].firstIndex { !$0.isWhitespace } ?? match.range.lowerBound
                let column = text.distance(from: text.startIndex, to: start) + 1
                places[String(id)] = SourceLocation(line: index + 1, column: column)
            }
        }
        // A segment whose source changed has a new id; the stub as written still has the old one,
        // with the old source and the translation.
        let written = (try? Translator.readStub(post.sourcePath))?.segments ?? []
        func place(of segment: StubSegment) -> SourceLocation? {
            if let place = places[segment.id] { return place }
            let old = written.first { old in
                (segment.state.previous.map { $0 == old.source } ?? false)
                    || (!segment.state.translation.isEmpty && old.state.translation == segment.state.translation)
            }
            return old.flatMap { places[$0.id] }
        }
        let untranslated = stub.segments.filter { $0.state.status == .untranslated }
        if !untranslated.isEmpty {
            report("translation-untranslated", untranslated.lazy.compactMap { place(of: $0) }.first,
                "\(untranslated.count) of \(stub.segments.count) segments are not translated yet (the first is here); they are published in the source language")
        }
        for segment in stub.segments where segment.state.status == .stale {
            report("translation-stale", place(of: segment),
                "the source of this segment changed since it was translated: check the translation (`herald translate SOURCE --to LANG` marks it in the stub)")
        }
    }
}
