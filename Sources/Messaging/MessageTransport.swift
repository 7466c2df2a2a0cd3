/// Delivers one message to the next hop (a mail server, the local MTA, an SMS gateway).
///
/// Returning means the next hop accepted the message; throwing `DeliveryError` means it did not
/// and the outbox tries again later. Implementations must give up within
/// `OutboxSender.staleClaimSeconds` so a slow send is never mistaken for a crashed run.
public protocol MessageTransport {
    func send(_ message: OutgoingMessage) throws
}

/// What a transport sends: a rendered message and the time it goes out (the email `Date`).
public struct OutgoingMessage: Equatable, Sendable {
    public var recipient: String
    public var subject: String
    public var body: String
    /// Unix seconds.
    public var date: Int64
    /// The outbox row it comes from (names the file of `FileTransport`).
    public var outboxID: Int64?

    public init(recipient: String, subject: String, body: String, date: Int64, outboxID: Int64? = nil) {
        self.recipient = recipient; self.subject = subject; self.body = body; self.date = date; self.outboxID = outboxID
    }
}
