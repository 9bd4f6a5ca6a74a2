// Where the CLI writes: the real terminal, or buffers that tests read.

import Foundation
public import HeraldCore

/// Standard input, output and error for one run of the CLI.
public final class Console: @unchecked Sendable {
    private let lock = NSLock()
    private let capture: Bool
    private var stdoutBuffer = Data()
    private var stderrBuffer = Data()
    private var failures: [Int32: Int32] = [:]
    private var reportedDiagnostics: [Diagnostic] = []
    private var kept: [Any] = []
    /// Standard input, for `-`.
    public let input: () -> Data
    /// Whether standard error is a terminal a person reads (diagnostics then show the source
    /// line with a caret under the place).
    public let errorIsTerminal: Bool

    /// A console on the process's real streams.
    public static func standard() -> Console {
        Console(capture: false, errorIsTerminal: isatty(2) != 0) { FileHandle.standardInput.readDataToEndOfFile() }
    }

    /// A console that records output, for tests.
    public static func capturing(input: Data = Data(), errorIsTerminal: Bool = false) -> Console {
        Console(capture: true, errorIsTerminal: errorIsTerminal) { input }
    }

    private init(capture: Bool, errorIsTerminal: Bool, input: @escaping () -> Data) {
        self.capture = capture
        self.errorIsTerminal = errorIsTerminal
        self.input = input
    }

    public func out(_ text: String) { write(Data(text.utf8), error: false) }

    /// Holds `value` (a build's posts, thousands of small allocations) as long as the console
    /// lives. The process's console lives until the process ends (see ``Herald/main(_:)``),
    /// so the system takes that memory back at once, without the time freeing it would take.
    func keepUntilExit(_ value: Any) {
        lock.lock()
        defer { lock.unlock() }
        kept.append(value)
    }

    public func err(_ text: String) { write(Data(text.utf8), error: true) }

    public func outData(_ data: Data) { write(data, error: false) }

    /// Prints diagnostics to standard error, one per line, in the compiler form.
    public func report(_ diagnostics: [Diagnostic]) {
        if capture { lock.withLock { reportedDiagnostics += diagnostics } }
        // One write for them all: a build of an archive says thousands of warnings again.
        var text: [UInt8] = []
        for diagnostic in diagnostics {
            diagnostic.appendDescription(to: &text)
            text.append(0x0A)
        }
        if !text.isEmpty { write(Data(text), error: true) }
    }

    /// The diagnostics reported so far (capturing consoles only).
    public var reported: [Diagnostic] { lock.withLock { reportedDiagnostics } }

    private func write(_ data: Data, error: Bool) {
        lock.lock()
        defer { lock.unlock() }
        if capture {
            if error { stderrBuffer.append(data) } else { stdoutBuffer.append(data) }
            return
        }
        // After a stream failed (a full disk, a closed pipe), nothing more is written to it.
        let descriptor: Int32 = error ? 2 : 1
        guard failures[descriptor] == nil else { return }
        if let number = Self.writeAll(data, to: descriptor) { failures[descriptor] = number }
    }

    /// Writes all of `data`; returns the error number when the system refuses.
    private static func writeAll(_ data: Data, to descriptor: Int32) -> Int32? {
        data.withUnsafeBytes { buffer -> Int32? in
            guard let base = buffer.baseAddress else { return nil }
            var offset = 0
            while offset < buffer.count {
                let written = Foundation.write(descriptor, base + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
    }

    /// Why standard output could not be written (`No space left on device`), if it could not.
    public var outputFailure: String? {
        lock.withLock { failures[1].map { FileError.reason(errno: $0) } }
    }

    /// What was written to standard output (capturing consoles only).
    public var stdout: String { lock.withLock { String(decoding: stdoutBuffer, as: UTF8.self) } }
    public var stdoutData: Data { lock.withLock { stdoutBuffer } }
    /// What was written to standard error (capturing consoles only).
    public var stderr: String { lock.withLock { String(decoding: stderrBuffer, as: UTF8.self) } }
}
