// The project's configuration file, `herald.yml` (or `--config FILE`): settings the commands
// would otherwise take as flags. Today: which `herald check` rules are off.
//
//     check:
//       disable: [reference-unused, heading-skip]

import Foundation
import HeraldCore
import Yams

struct Config {
    var disabledRules: Set<String> = []

    /// The configuration, or nil after reporting why it cannot be read.
    static func load(_ path: String?, reportingTo console: Console) -> Config? {
        do {
            return try load(path)
        } catch {
            console.report(error.diagnostics)
            return nil
        }
    }

    /// The file at `path`, or `herald.yml` in the current folder if there is one, or defaults.
    static func load(_ path: String?) throws(DiagnosticError) -> Config {
        let file = path ?? "herald.yml"
        guard let data = FileManager.default.contents(atPath: file) else {
            if path != nil { throw DiagnosticError(.error("config-invalid", file: file, "cannot read the configuration file")) }
            return Config()
        }
        let root: Any?
        do {
            root = try Yams.load(yaml: String(decoding: data, as: UTF8.self))
        } catch {
            throw DiagnosticError(.error("config-invalid", file: file, "invalid YAML: \(error)"))
        }
        var config = Config()
        guard let settings = root as? [String: Any] else { return config }
        if let check = settings["check"] as? [String: Any], let disable = check["disable"] {
            guard let rules = disable as? [String] else {
                throw DiagnosticError(.error("config-invalid", file: file, "check.disable must be a list of rule ids"))
            }
            config.disabledRules = Set(rules)
        }
        return config
    }
}
