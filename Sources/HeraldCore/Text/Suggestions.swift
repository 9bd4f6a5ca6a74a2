// "Did you mean …?": the closest of the names a user could have meant, for misspelt keys,
// commands, rules and labels.

public enum Suggestions {
    /// The number of single-character insertions, deletions and substitutions that turn `a`
    /// into `b` (Levenshtein distance).
    public static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j + 1] + 1, current[j] + 1, previous[j] + (x == y ? 0 : 1)))
            }
            previous = current
        }
        return previous[b.count]
    }

    /// The candidate closest to `word` (ignoring case), if it is close enough to be what was
    /// meant: at most a third of its letters differ (two for short words).
    public static func closest(to word: String, among candidates: some Sequence<String>) -> String? {
        let target = Array(word.lowercased())
        var best: (name: String, distance: Int)?
        for candidate in candidates {
            let distance = editDistance(target, Array(candidate.lowercased()))
            if distance < (best?.distance ?? .max) { best = (candidate, distance) }
        }
        guard let best, best.distance <= max(2, target.count / 3), best.distance < target.count else { return nil }
        return best.name
    }

    /// `; did you mean 'x'?` for the closest candidate, or nothing.
    public static func didYouMean(_ word: String, among candidates: some Sequence<String>) -> String {
        closest(to: word, among: candidates).map { "; did you mean '\($0)'?" } ?? ""
    }
}
