/// Why a message could not be delivered, in words a shop owner can act on. The text ends up in
/// the outbox's `last_error`, in `kaitori outbox list` and in the feed's `message_failed` entries.
public enum DeliveryError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A `delivery` setting cannot work (detected before anything is sent).
    case configuration(key: String, message: String)
    /// The shop sends nothing on this channel (`sms_method: none`).
    case channelDisabled(channel: String, reason: String)
    /// An address in a header is unusable. `field` is `From` or `To`.
    case invalidAddress(field: String, value: String, reason: String)
    /// The phone number has no digits to send an SMS to.
    case invalidPhoneNumber(String)
    /// The command could not be started at all.
    case commandNotStarted(command: String, reason: String)
    /// The command ran and exited with a non-zero status (or was killed by a signal).
    case commandFailed(command: String, status: Int32, output: String)
    case commandTimedOut(command: String, seconds: Int)
    case connectFailed(host: String, port: Int, reason: String)
    case timedOut(host: String, stage: String)
    /// The connection broke (closed by the server, reset, unreadable reply).
    case connectionLost(host: String, stage: String, reason: String)
    /// The SMTP server refused a command.
    case smtpRefused(host: String, stage: String, reply: SMTPReply)
    case tls(host: String, reason: String)
    /// The SMS gateway answered with a non-2xx status.
    case httpStatus(url: String, status: Int, body: String)

    public var description: String {
        switch self {
        case .configuration(let key, let message): "delivery.\(key): \(message)"
        case .channelDisabled(let channel, let reason): "the shop sends no \(channel) messages (\(reason))"
        case .invalidAddress(let field, let value, let reason): "\(field) address \"\(value)\": \(reason)"
        case .invalidPhoneNumber(let value): "phone number \"\(value)\" has no digits to send an SMS to"
        case .commandNotStarted(let command, let reason): "cannot run \(command): \(reason)"
        case .commandFailed(let command, let status, let output):
            "\(command) exited with status \(status)" + (output.isEmpty ? "" : ": \(output)")
        case .commandTimedOut(let command, let seconds): "\(command) did not finish within \(seconds) seconds and was stopped"
        case .connectFailed(let host, let port, let reason): "cannot connect to \(host):\(port): \(reason)"
        case .timedOut(let host, let stage): "\(host) did not answer in time (\(stage))"
        case .connectionLost(let host, let stage, let reason): "connection to \(host) lost (\(stage)): \(reason)"
        case .smtpRefused(let host, let stage, let reply): "\(host) refused \(stage): \(reply)"
        case .tls(let host, let reason): "TLS with \(host) failed: \(reason)"
        case .httpStatus(let url, let status, let body):
            "\(url) answered HTTP \(status)" + (body.isEmpty ? "" : ": \(body)")
        }
    }

    /// Whether trying again cannot help, so the message is given up at once instead of after
    /// `max_attempts`. Only faults of the message itself count: a configuration or server problem
    /// is fixed by the shop, after which the queued message must still go out.
    public var isPermanent: Bool {
        switch self {
        case .invalidAddress(let field, _, _): field == "To"
        case .invalidPhoneNumber, .channelDisabled: true
        case .smtpRefused(_, let stage, let reply): stage == "RCPT TO" && reply.code >= 500
        default: false
        }
    }
}

/// One SMTP reply: the code and the text of every line.
public struct SMTPReply: Equatable, Sendable, CustomStringConvertible {
    public var code: Int
    public var lines: [String]

    public init(code: Int, lines: [String]) { self.code = code; self.lines = lines }

    public var description: String { "\(code) " + lines.joined(separator: " / ") }
}
