// Any error a command meets, as the diagnostics it reports.

import HeraldCore

extension Error {
    /// The diagnostics this error stands for: its own when it carries them, else one error in
    /// plain words.
    var diagnostics: [Diagnostic] {
        if let error = self as? DiagnosticError { return error.diagnostics }
        return [.error("failed", FileError.reason(of: self))]
    }
}
