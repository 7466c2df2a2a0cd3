/// What one `OutboxSender.run` did, for `kaitori outbox send` to print.
public struct SendReport: Equatable, Sendable {
    /// A failed attempt: either retried later or given up.
    public struct Failure: Equatable, Sendable {
        public var id: Int64
        public var event: String
        public var channel: String
        public var recipient: String
        public var error: String
        /// 1 for the first attempt.
        public var attempt: Int
        /// When it will be tried again; nil when it was given up (state `failed`).
        public var nextAttemptAt: Int64?
    }

    public var sent: [Int64] = []
    public var retried: [Failure] = []
    /// Given up in this run; each has a `message_failed` entry in the feed.
    public var failed: [Failure] = []
    /// Claims of crashed runs that this run took back (each counted as a failed attempt).
    public var reclaimed = 0
    /// Due messages left queued because their channel has no transport, by channel.
    public var waiting: [String: Int] = [:]

    public init() {}
}
