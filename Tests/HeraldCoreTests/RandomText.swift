// Random texts, for the tests that hold a fast path to a plain statement of what it does.

extension Array where Element == String {
    /// A text of a number in `count` of these pieces, each picked at random.
    func randomText(_ count: ClosedRange<Int>, using generator: inout some RandomNumberGenerator) -> String {
        (0..<Int.random(in: count, using: &generator)).map { _ in randomElement(using: &generator)! }.joined()
    }
}
