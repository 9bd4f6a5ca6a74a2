// Comments in a post that silence `herald check` where the editor knows better:
//
//     <!-- herald-check disable-next-line link-number-mismatch -->
//     <!-- herald-check disable reference-unused -->   … to the end, or to:
//     <!-- herald-check enable reference-unused -->
//
// Rule ids are separated by spaces or commas; none means every rule.

import HeraldCore

/// The places of a post where rules are off, read from its `herald-check` comments.
struct Suppressions {
    /// One comment: what it turns off or on, from which line.
    private struct Directive {
        enum Action: String { case disable, enable, disableNextLine = "disable-next-line" }
        var action: Action
        var line: Int
        /// nil: every rule.
        var rules: Set<String>?
    }

    private var directives: [Directive] = []
    /// Findings about the comments themselves (a rule that does not exist, an unknown action).
    private(set) var problems: [Diagnostic] = []

    /// The comments of `text`, the post at `path` (most posts have none, and are not split).
    init(text: String, path: String) {
        guard text.containsBytes("herald-check") else { return }
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where line.containsBytes("herald-check") {
            var rest = line[...]
            while let open = rest.firstRange(of: "<!-- herald-check") {
                let after = rest[open.upperBound...]
                guard let close = after.firstRange(of: "-->") else { break }
                let column = line.distance(from: line.startIndex, to: open.lowerBound) + 1
                read(after[..<close.lowerBound], line: index + 1, column: column, path: path)
                rest = after[close.upperBound...]
            }
        }
    }

    private mutating func read(_ body: Substring, line: Int, column: Int, path: String) {
        let words = body.split(whereSeparator: { $0 == " " || $0 == "," || $0 == "\t" }).map(String.init)
        let place = SourceLocation(line: line, column: column)
        guard let first = words.first, let action = Directive.Action(rawValue: first) else {
            problems.append(.warning("unknown-rule", file: path, at: place,
                "a herald-check comment takes disable, enable or disable-next-line, then rule ids"))
            return
        }
        let rules = Array(words.dropFirst())
        for rule in rules where CheckRules.rule(rule) == nil {
            problems.append(.warning("unknown-rule", file: path, at: place, "no rule named \(rule); --list-rules lists them"))
        }
        directives.append(Directive(action: action, line: line, rules: rules.isEmpty ? nil : Set(rules)))
    }

    /// Whether `finding` falls where its rule is off.
    func silences(_ finding: Diagnostic) -> Bool {
        guard let line = finding.location?.line else { return false }
        var off = false
        for directive in directives where directive.rules?.contains(finding.id.rawValue) ?? true {
            switch directive.action {
            case .disableNextLine where directive.line + 1 == line:
                return true
            case .disable where directive.line <= line:
                off = true
            case .enable where directive.line <= line:
                off = false
            default:
                continue
            }
        }
        return off
    }
}
