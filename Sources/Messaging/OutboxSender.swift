import KaitoriCore
#if canImport(Glibc)
import Glibc
#endif

/// Delivers due outbox messages: claims them, sends each through its channel's transport and
/// records the outcome, with retries on a growing backoff and a `message_failed` feed entry when
/// a message is given up.
///
/// Several runs may overlap (cron starting a run while a slow one is still going): a message is
/// claimed inside a write transaction (`BEGIN IMMEDIATE`) by exactly one run, and only the
/// claiming run sends it, so no message goes out twice. A claim is refreshed right before its
/// send; a claim older than `staleClaimSeconds` belongs to a run that died and is taken back.
public final class OutboxSender {
    /// Longer than any transport may take for one message (SMTP gives up after 240 s, commands
    /// after 120 s), so only a run that died leaves a claim this old.
    public static let staleClaimSeconds: Int64 = 600

    public let store: CaseStore
    public let channels: DeliveryChannels
    public let maxAttempts: Int
    public let backoff: Backoff
    /// Written to `claimed_by`: unique per run, so a run only ever touches its own claims.
    public let runID: String
    /// Messages claimed per transaction. Small, so a slow batch does not hold back messages that
    /// an overlapping run could send.
    public var batchSize = 10

    public init(store: CaseStore, channels: DeliveryChannels, maxAttempts: Int, backoff: Backoff = .standard,
                runID: String = OutboxSender.newRunID()) {
        self.store = store; self.channels = channels; self.maxAttempts = max(1, maxAttempts)
        self.backoff = backoff; self.runID = runID
    }

    /// `host:pid:random`, readable in `kaitori outbox list` and unique across machines sharing
    /// the database file.
    public static func newRunID() -> String {
        var rng = SystemRandomNumberGenerator()
        let random = String(UInt32(truncatingIfNeeded: rng.next() as UInt64), radix: 16)
        return "\(SMTPTransport.localHostName()):\(getpid()):\(random)"
    }

    /// Sends at most `limit` due messages.
    public func run(limit: Int = 100) throws -> SendReport {
        var report = SendReport()
        report.reclaimed = try reclaimStaleClaims(into: &report)
        var processed = 0
        while processed < limit {
            let batch = try claim(min(batchSize, limit - processed))
            if batch.isEmpty { break }
            processed += batch.count
            for (i, message) in batch.enumerated() {
                do {
                    try deliver(message, into: &report)
                } catch {
                    // The store failed under us: hand back the claims not yet tried, so the next
                    // run sends them now instead of after the stale window.
                    try? release(batch[(i + 1)...].map(\.id))
                    throw error
                }
            }
        }
        report.waiting = try waitingWithoutTransport()
        return report
    }

    private func deliver(_ message: OutboxMessage, into report: inout SendReport) throws {
        let now = store.clock.now()
        // The claim's age restarts here, so even the last message of a slow batch has the whole
        // stale window for its send. Losing the claim means another run took it back: skip.
        guard try store.refreshOutboxClaim(id: message.id, runID: runID) else { return }
        guard let transport = channels.transports[message.channel] else { return }
        let outgoing = OutgoingMessage(recipient: message.recipient, subject: message.subject, body: message.body, date: now, outboxID: message.id)
        do {
            try transport.send(outgoing)
        } catch let error as DeliveryError {
            try recordFailure(message, owner: runID, error: error.description, permanent: error.isPermanent, into: &report)
            return
        } catch {
            try recordFailure(message, owner: runID, error: "\(error)", permanent: false, into: &report)
            return
        }
        try store.markOutboxMessageSent(id: message.id)
        report.sent.append(message.id)
    }

    /// Claims up to `count` due messages of channels that have a transport.
    private func claim(_ count: Int) throws -> [OutboxMessage] {
        try store.claimOutboxMessages(runID: runID, channels: channels.transports.keys.sorted(), count: count)
    }

    private func release(_ ids: [Int64]) throws {
        try store.releaseOutboxClaims(ids: ids, runID: runID)
    }

    /// Takes back claims left by runs that died. Whether such a message went out is unknown; it
    /// counts as a failed attempt and is sent again, since a lost message is worse than a
    /// duplicate.
    private func reclaimStaleClaims(into report: inout SendReport) throws -> Int {
        let cutoff = store.clock.now() - OutboxSender.staleClaimSeconds
        let stale = try store.staleOutboxClaims(before: cutoff)
        var taken = 0
        for message in stale {
            let error = "the run \(message.claimedBy ?? "?") that claimed it at \(Timestamp.iso(message.claimedAt ?? 0)) did not finish; it may or may not have been sent"
            if try recordFailure(message, owner: message.claimedBy ?? "", error: error, permanent: false, into: &report) { taken += 1 }
        }
        return taken
    }

    /// Counts a failed attempt: back to `queued` after the backoff, or `failed` with a feed entry
    /// when attempts run out or the error is permanent.
    /// - Parameter owner: the run whose claim this is; nothing changes when another run holds it now.
    /// - Returns: whether the failure was recorded.
    @discardableResult
    private func recordFailure(_ message: OutboxMessage, owner: String, error: String, permanent: Bool,
                               into report: inout SendReport) throws -> Bool {
        let now = store.clock.now()
        let attempts = message.attempts + 1
        let givingUp = permanent || attempts >= maxAttempts
        let next = now + backoff.delay(afterAttempts: attempts)
        let why = permanent ? "permanent error" : "\(attempts) attempt(s)"
        let recorded = try store.recordOutboxFailure(message, owner: owner, attempts: attempts, error: error,
                                                     nextAttemptAt: givingUp ? nil : next, givingUpBecause: why)
        guard recorded else { return false }
        let failure = SendReport.Failure(id: message.id, event: message.event, channel: message.channel, recipient: message.recipient,
                                         error: error, attempt: attempts, nextAttemptAt: givingUp ? nil : next)
        if givingUp { report.failed.append(failure) } else { report.retried.append(failure) }
        return true
    }

    private func waitingWithoutTransport() throws -> [String: Int] {
        var waiting: [String: Int] = [:]
        for (channel, count) in try store.dueOutboxCounts() where channels.transports[channel] == nil {
            waiting[channel] = count
        }
        return waiting
    }
}
