import KaitoriCore

/// The outbox as staff see it: listing messages and putting a failed one back in the queue (the
/// SQL is the store's, `CaseStore+Outbox.swift`).
public struct MessageOutbox {
    public let store: CaseStore

    public init(store: CaseStore) { self.store = store }

    /// Messages, newest first.
    public func list(state: OutboxMessage.State? = nil, limit: Int? = nil) throws -> [OutboxMessage] {
        try store.outboxMessages(state: state, limit: limit)
    }

    public func message(id: Int64) throws -> OutboxMessage { try store.outboxMessage(id: id) }

    /// Queues a failed message again, due now, with a fresh count of attempts.
    public func retry(id: Int64) throws -> OutboxMessage { try store.retryOutboxMessage(id: id) }
}
