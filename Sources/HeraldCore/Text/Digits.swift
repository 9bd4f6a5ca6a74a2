// Fixed-width numbers for dates and times, written without going through a format string
// (every page, message and feed entry writes several).

extension Int {
    /// The decimal digits of the magnitude, with zeros in front up to `width` digits:
    /// `7.zeroPadded(2)` is `07`, `-5.zeroPadded(2)` is `05`, `12345.zeroPadded(4)` is `12345`.
    public func zeroPadded(_ width: Int) -> String {
        let digits = String(magnitude)
        return digits.utf8.count >= width ? digits : String(repeating: "0", count: width - digits.utf8.count) + digits
    }
}
