import KaitoriCore

/// The outbox as staff see it: listing messages and putting a failed one back in the queue.
public struct MessageOutbox {
    public let store: CaseStore

    public init(store: CaseStore) { self.store = store }

    /// Messages, newest first.
    public func list(state: OutboxMessage.State? = nil, limit: Int? = nil) throws -> [OutboxMessage] {
        var sql = OutboxMessage.selectSQL
        var values: [SQLValue] = []
        if let state { sql += " WHERE o.state = ?"; values.append(.text(state.rawValue)) }
        sql += " ORDER BY o.id DESC"
        if let limit { sql += " LIMIT ?"; values.append(.int(Int64(limit))) }
        return try store.db.query(sql, values).map(OutboxMessage.init(row:))
    }

    public func message(id: Int64) throws -> OutboxMessage {
        guard let row = try store.db.query("\(OutboxMessage.selectSQL) WHERE o.id = ?", [.int(id)]).first else {
            throw StoreError.notFound("no message \(id) in the outbox")
        }
        return OutboxMessage(row: row)
    }

    /// Queues a failed message again, due now, with a fresh count of attempts.
    /// - Throws: `StoreError` when the message does not exist, is not failed, or has no text
    ///   (its template failed to render: fix the template; the event's message cannot be rebuilt).
    public func retry(id: Int64) throws -> OutboxMessage {
        try store.db.transaction {
            let message = try self.message(id: id)
            guard message.state == .failed else {
                throw StoreError.invalid("message \(id) is \(message.state.rawValue); only failed messages can be retried")
            }
            guard !message.body.isEmpty else {
                throw StoreError.invalid("message \(id) has no text (\(message.lastError ?? "its template failed")); fix the template in shop.yml, the message itself cannot be retried")
            }
            try store.db.query("""
                UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?, claimed_by = NULL, claimed_at = NULL
                WHERE id = ? AND state = 'failed'
                """, [.int(store.clock.now()), .int(id)])
            return try self.message(id: id)
        }
    }
}
