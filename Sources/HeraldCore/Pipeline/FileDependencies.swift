// The files a post's outputs were made from besides its own source: the other posts it links
// to, the images beside it, the source a translation stub was made from. A build records them
// while it reads, checks, transforms and renders a post, so that its cache knows which posts to
// make again when one of those files changes.

import Synchronization

/// Records the files read while one post is being made.
///
/// Reading code calls ``record(_:)`` (``SourceFiles/read(_:)`` and ``LocalAssets/contents(of:)``
/// do); the pipeline runs each post's work inside ``recording(into:_:)`` and keeps what was
/// read with the post. Outside a recording, ``record(_:)`` does nothing.
public enum FileDependencies {
    /// The paths read while a piece of work ran.
    public final class Recorder: Sendable {
        private let paths = Mutex<Set<String>>([])

        public init() {}

        public func add(_ path: String) { _ = paths.withLock { $0.insert(path) } }

        /// Every path recorded, standardized.
        public var recorded: Set<String> { paths.withLock { $0 } }
    }

    @TaskLocal static var current: Recorder?

    /// Notes that the work running now depends on the file at `path`.
    public static func record(_ path: String) {
        current?.add(SourcePaths.standardized(path))
    }

    /// Runs `work`, recording into `recorder` every file it reads on this thread.
    public static func recording<T>(into recorder: Recorder, _ work: () throws -> T) rethrows -> T {
        try $current.withValue(recorder, operation: work)
    }
}
