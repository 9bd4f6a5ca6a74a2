// Work spread over every core with the results kept in order: how a build parses and renders
// its posts, and how a check reads its files.

import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `transform` applied to every element, on all cores at once; the results in the order of
    /// the elements.
    public func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        guard !isEmpty else { return [] }
        // Each result is put in its own place of the array as it is made: no lock, and no
        // second pass to copy the results out of optionals.
        return [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            let places = Places(base: buffer.baseAddress!)
            DispatchQueue.concurrentPerform(iterations: count) { index in
                (places.base + index).initialize(to: transform(self[index]))
            }
            initialized = count
        }
    }

    /// `transform` applied to every element on all cores, except the elements `inTurn` picks:
    /// those go one after the other on one core (while the others take the rest), each
    /// followed by `after`. The results in the order of the elements.
    ///
    /// With `spreading`, for a few elements that each spread their own work over the cores
    /// (with a `concurrentMap` of their own), every lane is work of its own on the system's
    /// queue: a `concurrentMap` nested in another gets only its share of the cores, and one
    /// core for the whole of it once the other lanes are done.
    public func concurrentMap<T: Sendable>(
        inTurn: (Element) -> Bool, after: @escaping @Sendable () -> Void, spreading: Bool = false,
        _ transform: @escaping @Sendable (Element) -> T
    ) -> [T] {
        let turns = map(inTurn)
        let lanes = (turns.contains(true) ? [indices.filter { turns[$0] }] : []) + indices.filter { !turns[$0] }.map { [$0] }
        let elements = self
        @Sendable func run(_ lane: [Int]) -> [(Int, T)] {
            lane.map { index in
                defer { if turns[index] { after() } }
                return (index, transform(elements[index]))
            }
        }
        let done: [[(Int, T)]]
        if spreading {
            let finished = Mutex<[[(Int, T)]]>([])
            let group = DispatchGroup()
            for lane in lanes {
                DispatchQueue.global().async(group: group) {
                    let values = run(lane)
                    finished.withLock { $0.append(values) }
                }
            }
            group.wait()
            done = finished.withLock { $0 }
        } else {
            done = lanes.concurrentMap(run)
        }
        var results = [T?](repeating: nil, count: count)
        for (index, value) in done.joined() { results[index] = value }
        return results.map { $0! }
    }
}

/// Where the results of a ``Swift/Array/concurrentMap(_:)`` go: each task writes only its own
/// element, so the tasks share the buffer without a lock.
private struct Places<T>: @unchecked Sendable {
    let base: UnsafeMutablePointer<T>
}
