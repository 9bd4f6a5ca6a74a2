// Work spread over every core with the results kept in order: how a build parses and renders
// its posts, and how a check reads its files.

import Foundation
import Synchronization

extension Array where Element: Sendable {
    /// `transform` applied to every element, on all cores at once; the results in the order of
    /// the elements.
    public func concurrentMap<T: Sendable>(_ transform: @Sendable (Element) -> T) -> [T] {
        let results = Mutex<[T?]>(Array<T?>(repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let value = transform(self[index])
            results.withLock { $0[index] = value }
        }
        return results.withLock { $0.map { $0! } }
    }
}
