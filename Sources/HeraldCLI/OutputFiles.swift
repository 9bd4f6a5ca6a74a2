// Files a command writes itself (one message, one book, one PO file): atomically, with the
// system's reason in plain words when it cannot.

import Foundation
import HeraldCore

enum OutputFiles {
    /// Writes `data` to `path` atomically; a `write-failed` error naming the file otherwise.
    static func write(_ data: Data, to path: String) throws(DiagnosticError) {
        do {
            try OutputWriter.writeAtomically(data, to: URL(fileURLWithPath: path))
        } catch {
            throw DiagnosticError(.error(.writeFailed, file: path, "cannot write: \(FileError.reason(of: error))"))
        }
    }
}

extension Error {
    /// The diagnostics this error stands for: its own when it carries them, else one error in
    /// plain words.
    var diagnostics: [Diagnostic] {
        if let error = self as? DiagnosticError { return error.diagnostics }
        return [.error("failed", FileError.reason(of: self))]
    }
}
