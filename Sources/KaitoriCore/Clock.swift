#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where "now" comes from, so tests can move time (link expiry, days waited).
public protocol Clock: Sendable {
    /// Seconds since 1970-01-01T00:00:00Z.
    func now() -> Int64
}

public struct SystemClock: Clock {
    public init() {}
    public func now() -> Int64 { Int64(time(nil)) }
}

/// A clock that reads `KAITORI_NOW` (unix seconds) when set, for process-level tests that need
/// expired links; otherwise the system time.
public struct EnvironmentClock: Clock {
    let fixed: Int64?
    public init() {
        if let raw = getenv("KAITORI_NOW"), let value = Int64(String(cString: raw)) {
            fixed = value
        } else {
            fixed = nil
        }
    }
    public func now() -> Int64 { fixed ?? Int64(time(nil)) }
}

public struct FixedClock: Clock {
    public var seconds: Int64
    public init(_ seconds: Int64) { self.seconds = seconds }
    public func now() -> Int64 { seconds }
}
