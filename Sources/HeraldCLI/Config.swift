// The project's configuration file, `herald.yml` (or `--config FILE`): settings the commands
// would otherwise take as flags. Today: which `herald check` rules are off, and which report
// errors rather than warnings (or the other way round).
//
//     check:
//       disable: [reference-unused, heading-skip]
//       errors: [reference-undefined, url-malformed]
//       warnings: [url-javascript]

import Foundation
import HeraldCheck
import HeraldCore
import Yams

struct Config {
    var disabledRules: Set<String> = []
    /// Rules whose findings are errors, and rules whose findings are warnings, whatever their
    /// own severity.
    var errorRules: Set<String> = []
    var warningRules: Set<String> = []

    /// Every rule id the file names.
    var namedRules: Set<String> { disabledRules.union(errorRules).union(warningRules) }

    /// `finding` with the severity the configuration gives its rule.
    func applySeverity(to finding: Diagnostic) -> Diagnostic {
        guard CheckRules.rule(finding.id) != nil else { return finding }
        var finding = finding
        if errorRules.contains(finding.id) { finding.severity = .error }
        if warningRules.contains(finding.id) { finding.severity = .warning }
        return finding
    }

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
        guard let check = settings["check"] as? [String: Any] else { return config }
        func rules(_ key: String) throws(DiagnosticError) -> Set<String> {
            guard let value = check[key] else { return [] }
            guard let rules = value as? [String] else {
                throw DiagnosticError(.error("config-invalid", file: file, "check.\(key) must be a list of rule ids"))
            }
            return Set(rules)
        }
        config.disabledRules = try rules("disable")
        config.errorRules = try rules("errors")
        config.warningRules = try rules("warnings")
        if let both = config.errorRules.intersection(config.warningRules).sorted().first {
            throw DiagnosticError(.error("config-invalid", file: file, "\(both) is in both check.errors and check.warnings"))
        }
        return config
    }
}
