import Foundation
import Messaging

/// The in-memory twin of a transport: records what it was asked to send and fails as told.
/// Safe to share between threads (the concurrency test sends from two).
final class RecordingTransport: MessageTransport, @unchecked Sendable {
    private let lock = NSLock()
    private var recorded: [OutgoingMessage] = []
    private var failures: [DeliveryError] = []
    private var failAlways: DeliveryError?
    /// Seconds each send takes, so overlapping runs really overlap.
    var delay: Double = 0

    init(failing errors: [DeliveryError] = [], always: DeliveryError? = nil) {
        failures = errors
        failAlways = always
    }

    var sent: [OutgoingMessage] { lock.withLock { recorded } }

    func fail(always error: DeliveryError?) { lock.withLock { failAlways = error } }

    func send(_ message: OutgoingMessage) throws {
        if delay > 0 { Thread.sleep(forTimeInterval: delay) }
        let error: DeliveryError? = lock.withLock {
            if let e = failAlways { return e }
            if !failures.isEmpty { return failures.removeFirst() }
            recorded.append(message)
            return nil
        }
        if let error { throw error }
    }
}
