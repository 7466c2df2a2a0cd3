/// The outbox's SQL: listing, retrying, and the claim / sent / failed bookkeeping of the sender
/// (Messaging's `OutboxSender` decides what to send and how; every row it reads or writes goes
/// through here, so the store owns all of its SQL).
extension CaseStore {
    /// Messages, newest first.
    public func outboxMessages(state: OutboxMessage.State? = nil, limit: Int? = nil) throws -> [OutboxMessage] {
        var sql = OutboxMessage.selectSQL
        var values: [SQLValue] = []
        if let state { sql += " WHERE o.state = ?"; values.append(.text(state.rawValue)) }
        sql += " ORDER BY o.id DESC"
        if let limit { sql += " LIMIT ?"; values.append(.int(Int64(limit))) }
        return try db.query(sql, values).map(OutboxMessage.init(row:))
    }

    /// The messages queued for one case, oldest first.
    public func outboxMessages(caseID: Int64) throws -> [OutboxMessage] {
        try db.query("\(OutboxMessage.selectSQL) WHERE o.case_id = ? ORDER BY o.id", [.int(caseID)]).map(OutboxMessage.init(row:))
    }

    public func outboxMessage(id: Int64) throws -> OutboxMessage {
        guard let row = try db.query("\(OutboxMessage.selectSQL) WHERE o.id = ?", [.int(id)]).first else {
            throw StoreError.notFound("no message \(id) in the outbox")
        }
        return OutboxMessage(row: row)
    }

    /// Queues a failed message again, due now, with a fresh count of attempts.
    /// - Throws: `StoreError` when the message does not exist, is not failed, or has no text
    ///   (its template failed to render: fix the template; the event's message cannot be rebuilt).
    public func retryOutboxMessage(id: Int64) throws -> OutboxMessage {
        try db.transaction {
            let message = try outboxMessage(id: id)
            guard message.state == .failed else {
                throw StoreError.invalid("message \(id) is \(message.state.rawValue); only failed messages can be retried")
            }
            guard !message.body.isEmpty else {
                throw StoreError.invalid("message \(id) has no text (\(message.lastError ?? "its template failed")); fix the template in shop.yml, the message itself cannot be retried")
            }
            try db.query("""
                UPDATE outbox SET state = 'queued', attempts = 0, next_attempt_at = ?, claimed_by = NULL, claimed_at = NULL
                WHERE id = ? AND state = 'failed'
                """, [.int(clock.now()), .int(id)])
            return try outboxMessage(id: id)
        }
    }

    // MARK: The sender's bookkeeping

    /// Claims up to `count` due messages of `channels` for the run `runID`, in one write
    /// transaction, so two overlapping runs never claim the same message.
    public func claimOutboxMessages(runID: String, channels: [String], count: Int) throws -> [OutboxMessage] {
        guard !channels.isEmpty, count > 0 else { return [] }
        let placeholders = channels.map { _ in "?" }.joined(separator: ",")
        return try db.transaction {
            let now = clock.now()
            try db.query("""
                UPDATE outbox SET state = 'sending', claimed_by = ?, claimed_at = ?
                WHERE id IN (SELECT id FROM outbox WHERE state = 'queued' AND next_attempt_at <= ? AND channel IN (\(placeholders))
                             ORDER BY next_attempt_at, id LIMIT ?)
                """, [.text(runID), .int(now), .int(now)] + channels.map { .text($0) } + [.int(Int64(count))])
            return try db.query("\(OutboxMessage.selectSQL) WHERE o.state = 'sending' AND o.claimed_by = ? ORDER BY o.next_attempt_at, o.id",
                                [.text(runID)]).map(OutboxMessage.init(row:))
        }
    }

    /// Restarts the claim's age right before a send. False: another run took it back; skip it.
    public func refreshOutboxClaim(id: Int64, runID: String) throws -> Bool {
        try db.query("UPDATE outbox SET claimed_at = ? WHERE id = ? AND claimed_by = ? AND state = 'sending'",
                     [.int(clock.now()), .int(id), .text(runID)])
        return db.changes == 1
    }

    /// Marked sent whoever holds the claim now: it went out, and must not go out again.
    public func markOutboxMessageSent(id: Int64) throws {
        try db.query("""
            UPDATE outbox SET state = 'sent', sent_at = ?, attempts = attempts + 1, last_error = NULL
            WHERE id = ? AND state <> 'sent'
            """, [.int(clock.now()), .int(id)])
    }

    /// Hands claims back to the queue (a run that stops early).
    public func releaseOutboxClaims(ids: [Int64], runID: String) throws {
        for id in ids {
            try db.query("UPDATE outbox SET state = 'queued', claimed_by = NULL, claimed_at = NULL WHERE id = ? AND claimed_by = ? AND state = 'sending'",
                         [.int(id), .text(runID)])
        }
    }

    /// Messages claimed before `cutoff` by runs that never finished.
    public func staleOutboxClaims(before cutoff: Int64) throws -> [OutboxMessage] {
        try db.query("\(OutboxMessage.selectSQL) WHERE o.state = 'sending' AND o.claimed_at < ?", [.int(cutoff)])
            .map(OutboxMessage.init(row:))
    }

    /// Counts a failed attempt for the claim of `owner`: back to `queued` due at `nextAttemptAt`,
    /// or (nil) `failed` with a `message_failed` feed entry saying why.
    /// - Returns: whether it was recorded (false when another run holds the claim now).
    public func recordOutboxFailure(_ message: OutboxMessage, owner: String, attempts: Int, error: String,
                                    nextAttemptAt: Int64?, givingUpBecause why: String) throws -> Bool {
        try db.transaction {
            if let next = nextAttemptAt {
                try db.query("""
                    UPDATE outbox SET state = 'queued', attempts = ?, last_error = ?, next_attempt_at = ?, claimed_by = NULL, claimed_at = NULL
                    WHERE id = ? AND claimed_by = ? AND state = 'sending'
                    """, [.int(Int64(attempts)), .text(error), .int(next), .int(message.id), .text(owner)])
                return db.changes == 1
            }
            try db.query("""
                UPDATE outbox SET state = 'failed', attempts = ?, last_error = ?
                WHERE id = ? AND claimed_by = ? AND state = 'sending'
                """, [.int(Int64(attempts)), .text(error), .int(message.id), .text(owner)])
            guard db.changes == 1 else { return false }
            try addEvent(caseID: message.caseID, kind: "message_failed",
                         detail: "\(message.event) to \(message.recipient) (\(message.channel)) given up after \(why): \(error)")
            return true
        }
    }

    /// Due queued messages per channel.
    public func dueOutboxCounts() throws -> [String: Int] {
        let rows = try db.query("SELECT channel, COUNT(*) AS n FROM outbox WHERE state = 'queued' AND next_attempt_at <= ? GROUP BY channel",
                                [.int(clock.now())])
        var counts: [String: Int] = [:]
        for row in rows { counts[row.string("channel")] = Int(row.int("n")) }
        return counts
    }
}
