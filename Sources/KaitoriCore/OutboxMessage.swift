/// One row of the outbox: a message rendered when its event happened, and how its delivery went.
public struct OutboxMessage: Equatable, Sendable {
    public enum State: String, Sendable, CaseIterable {
        /// Waiting for `next_attempt_at`.
        case queued
        /// Claimed by a running `kaitori outbox send` (`claimed_by`).
        case sending
        case sent
        /// Given up: `max_attempts` reached, a permanent error, or a template that did not render.
        case failed
    }

    public var id: Int64
    public var caseID: Int64?
    /// The case's code, when the case still exists.
    public var caseCode: String?
    public var event: String
    /// `email` or `sms`.
    public var channel: String
    public var recipient: String
    public var subject: String
    public var body: String
    public var createdAt: Int64
    public var state: State
    public var attempts: Int
    public var nextAttemptAt: Int64
    public var claimedBy: String?
    public var claimedAt: Int64?
    public var lastError: String?
    public var sentAt: Int64?

    public init(row r: Row) {
        id = r.int("id"); caseID = r.optionalInt("case_id"); caseCode = r.optionalString("case_code")
        event = r.string("event"); channel = r.string("channel"); recipient = r.string("recipient")
        subject = r.string("subject"); body = r.string("body"); createdAt = r.int("created_at")
        // The column only ever holds the four states (Notifications and OutboxSender write it).
        state = State(rawValue: r.string("state")) ?? .failed
        attempts = Int(r.int("attempts")); nextAttemptAt = r.int("next_attempt_at")
        claimedBy = r.optionalString("claimed_by"); claimedAt = r.optionalInt("claimed_at")
        lastError = r.optionalString("last_error"); sentAt = r.optionalInt("sent_at")
    }

    /// The columns `init(row:)` reads, with the case code joined in.
    static let selectSQL = "SELECT o.*, c.code AS case_code FROM outbox o LEFT JOIN cases c ON c.id = o.case_id"
}
