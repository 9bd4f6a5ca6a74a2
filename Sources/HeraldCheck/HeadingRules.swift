// Headings: skipped levels, empty headings, two headings with the same id.

import HeraldCore

extension LintRun {
    mutating func checkHeadings() {
        var previousLevel: Int?
        var seen: [String: Int] = [:]
        for id in document.descendants() {
            guard case .heading(let level, _) = document[id].kind, !document[id].range.isUnknown else { continue }
            let location = document[id].range.start
            let text = String(document.plainText(of: id).withoutSurroundingSpaces)
            if let previous = previousLevel, level > previous + 1 {
                report("heading-skip", location, "level \(level) heading after a level \(previous) heading (level \(previous + 1) skipped)")
            }
            previousLevel = level
            if text.isEmpty {
                report("heading-empty", location, "heading has no text")
                continue
            }
            let slug = Slug.headingID(text)
            if let line = seen[slug] {
                report("heading-duplicate-id", location, "this heading gives the id '\(slug)' like the heading on line \(line)")
            } else {
                seen[slug] = location.line
            }
        }
    }
}
