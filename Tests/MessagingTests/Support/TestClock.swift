import Foundation
import KaitoriCore

/// A clock the test moves forward, shared by the store and the sender.
final class TestClock: Clock, @unchecked Sendable {
    private let lock = NSLock()
    private var seconds: Int64

    init(_ seconds: Int64 = 1_790_000_000) { self.seconds = seconds }

    func now() -> Int64 { lock.withLock { seconds } }

    func advance(_ delta: Int64) { lock.withLock { seconds += delta } }
}
