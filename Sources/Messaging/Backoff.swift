/// How long a message waits after a failed attempt: growing pauses, so a short outage is
/// bridged within minutes and a long one does not hammer the server.
public struct Backoff: Equatable, Sendable {
    /// Seconds to wait after the 1st, 2nd, … failed attempt; the last repeats.
    public var delays: [Int64]

    public init(delays: [Int64]) {
        precondition(!delays.isEmpty, "a backoff needs at least one delay")
        self.delays = delays
    }

    /// 1, 5, 15, 60, 240 minutes, then every 12 hours: with the default 8 attempts a message is
    /// tried for about a day and a half before it is given up.
    public static let standard = Backoff(delays: [1, 5, 15, 60, 240, 720].map { $0 * 60 })

    /// The pause after `attempts` failed attempts (1 after the first failure).
    public func delay(afterAttempts attempts: Int) -> Int64 {
        delays[min(max(attempts, 1), delays.count) - 1]
    }
}
