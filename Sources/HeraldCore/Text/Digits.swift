// Numbers written without going through a format string: fixed-width ones for dates and times
// (every page, message and feed entry writes several), and decimal digits into bytes (each line
// of a manifest and of a build's warnings).

extension Int {
    /// The decimal digits of the magnitude, with zeros in front up to `width` digits:
    /// `7.zeroPadded(2)` is `07`, `-5.zeroPadded(2)` is `05`, `12345.zeroPadded(4)` is `12345`.
    public func zeroPadded(_ width: Int) -> String {
        let digits = String(magnitude)
        return digits.utf8.count >= width ? digits : String(repeating: "0", count: width - digits.utf8.count) + digits
    }
}

extension Array where Element == UInt8 {
    /// Appends `number` in decimal digits (with a `-` when it is negative).
    public mutating func appendDecimal(_ number: Int) {
        if number < 0 { append(UInt8(ascii: "-")) }
        // The digits from the last, into a scratch buffer of the most an `Int` has (twenty).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { scratch in
            var start = scratch.count
            var rest = number.magnitude
            repeat {
                start -= 1
                scratch[start] = UInt8(ascii: "0") + UInt8(rest % 10)
                rest /= 10
            } while rest > 0
            append(contentsOf: UnsafeBufferPointer(rebasing: scratch[start...]))
        }
    }
}
