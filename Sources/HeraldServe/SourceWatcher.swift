// Notices when the files a site is built from change: posts, templates, herald.yml. It looks at
// their sizes and modification times a few times a second, which works the same on every file
// system (network and container mounts included) and needs no system-specific API.

import Foundation

public struct SourceWatcher: Sendable {
    /// A file's state as far as a rebuild cares.
    struct Stamp: Equatable, Sendable {
        var size: Int
        var modified: Date
    }

    /// The files and folders watched; folders are searched recursively.
    public var roots: [String]
    /// Files and folders under the roots that are not watched (the output folder).
    public var excluded: [String]

    public init(roots: [String], excluded: [String] = []) {
        self.roots = roots.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        self.excluded = excluded.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
    }

    /// Every watched file with its stamp. Hidden files and folders (editors' swap files, .git)
    /// are left out.
    public func snapshot() -> Snapshot {
        var stamps: [String: Stamp] = [:]
        let keys: [URLResourceKey] = [.isRegularFileKey, .fileSizeKey, .contentModificationDateKey]
        for root in roots {
            let url = URL(fileURLWithPath: root)
            if let stamp = Self.stamp(url, keys: keys) {
                stamps[root] = stamp
                continue
            }
            guard let files = FileManager.default.enumerator(
                at: url, includingPropertiesForKeys: keys, options: [.skipsHiddenFiles]) else { continue }
            for case let file as URL in files {
                let path = file.standardizedFileURL.path
                if excluded.contains(where: { path == $0 || path.hasPrefix($0 + "/") }) {
                    files.skipDescendants()
                    continue
                }
                if let stamp = Self.stamp(file, keys: keys) { stamps[path] = stamp }
            }
        }
        return Snapshot(stamps: stamps)
    }

    private static func stamp(_ url: URL, keys: [URLResourceKey]) -> Stamp? {
        guard let values = try? url.resourceValues(forKeys: Set(keys)), values.isRegularFile == true else { return nil }
        return Stamp(size: values.fileSize ?? 0, modified: values.contentModificationDate ?? .distantPast)
    }

    /// The watched files at one moment.
    public struct Snapshot: Equatable, Sendable {
        var stamps: [String: Stamp]

        /// The files added, removed or changed since `earlier`, sorted.
        public func changes(since earlier: Snapshot) -> [String] {
            let paths = Set(stamps.keys).union(earlier.stamps.keys)
            return paths.filter { stamps[$0] != earlier.stamps[$0] }.sorted()
        }
    }

    /// Waits for a change after `baseline`, then for the files to settle (an editor saving a
    /// file, a `git checkout` writing many), and returns what changed.
    public func waitForChange(
        after baseline: Snapshot, interval: Duration = .milliseconds(250), settle: Duration = .milliseconds(150)
    ) -> [String] {
        while true {
            Thread.sleep(forTimeInterval: interval.seconds)
            var latest = snapshot()
            guard latest != baseline else { continue }
            // Settled when two looks a moment apart agree.
            for _ in 0..<20 {
                Thread.sleep(forTimeInterval: settle.seconds)
                let next = snapshot()
                if next == latest { break }
                latest = next
            }
            let changed = latest.changes(since: baseline)
            if !changed.isEmpty { return changed }
        }
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
