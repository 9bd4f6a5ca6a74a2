// The line a long build keeps up to date on a terminal: posts done of total, rate, time left.

import Foundation
import HeraldCore
import Synchronization

/// Shows a build's progress on standard error, rewriting one line in place, when standard
/// error is a terminal and the build reads more than a few posts. Updates come from every
/// core; at most ten a second are drawn.
final class ProgressLine: Sendable {
    /// Builds of fewer posts are over before a line would help.
    static let minimumPosts = 8

    private struct State {
        var start: ContinuousClock.Instant?
        var lastDrawn: ContinuousClock.Instant?
        var shown = false
    }

    private let console: Console
    private let enabled: Bool
    private let state = Mutex(State())

    init(console: Console, enabled: Bool) {
        self.console = console
        self.enabled = enabled && console.errorIsTerminal
    }

    /// Takes a step of the build.
    func update(_ progress: BuildProgress) {
        guard enabled, progress.total >= Self.minimumPosts else { return }
        let now = ContinuousClock.now
        let line: String? = state.withLock { state in
            if progress.phase == .rendering && state.start == nil { state.start = now }
            let finished = progress.done == progress.total
            if let last = state.lastDrawn, now - last < .milliseconds(100), !finished { return nil }
            state.lastDrawn = now
            state.shown = true
            return Self.text(progress, since: state.start, now: now)
        }
        if let line { console.err("\r\u{1B}[K" + line) }
    }

    /// Clears the line, before the summary and the diagnostics are printed.
    func finish() {
        guard state.withLock({ $0.shown }) else { return }
        console.err("\r\u{1B}[K")
    }

    /// `rendering 340/669 posts, 85 posts/s, 4 s left`.
    static func text(_ progress: BuildProgress, since start: ContinuousClock.Instant?, now: ContinuousClock.Instant) -> String {
        let phase = progress.phase == .reading ? "reading" : "rendering"
        var text = "\(phase) \(progress.done)/\(progress.total) posts"
        guard progress.phase == .rendering, let start, progress.done > 0 else { return text }
        let elapsed = (now - start) / .seconds(1)
        guard elapsed > 0.2 else { return text }
        let rate = Double(progress.done) / elapsed
        let left = Double(progress.total - progress.done) / rate
        text += String(format: ", %.0f posts/s, %.0f s left", rate, left.rounded(.up))
        return text
    }
}
