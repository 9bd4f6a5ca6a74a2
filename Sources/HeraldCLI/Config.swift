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

    /// The path of the nearest `herald.yml` from `start` (the current folder) up.
    static func nearest(from start: URL = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)) -> String? {
        var folder = start.standardizedFileURL
        while true {
            let candidate = folder.appendingPathComponent("herald.yml").path
            if FileManager.default.fileExists(atPath: candidate) { return candidate }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return nil }
            folder = parent
        }
    }

    /// The configuration, or nil after reporting why it cannot be read.
    static func load(_ path: String?, reportingTo console: Console) -> Config? {
        do {
            return try load(path)
        } catch {
            console.report(error.diagnostics)
            return nil
        }
    }

    /// The file at `path`, or the nearest `herald.yml` in the current folder or a folder above
    /// it (as tools find their project's settings from any subfolder), or defaults.
    static func load(_ path: String?) throws(DiagnosticError) -> Config {
        guard let file = path ?? nearest() else { return Config() }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw DiagnosticError(.error("config-invalid", file: file, "cannot read the configuration file"))
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
