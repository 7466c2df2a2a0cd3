import KaitoriCore
#if canImport(Glibc)
import Glibc
#endif

/// Sends email to an SMTP server (RFC 5321): EHLO, optional STARTTLS, optional AUTH PLAIN or
/// LOGIN, one message per connection, QUIT.
public struct SMTPTransport: MessageTransport {
    public var host: String
    public var port: Int
    public var starttls: Bool
    /// Empty means no AUTH.
    public var username: String
    public var password: String
    public var from: MailAddress
    /// The name given in EHLO.
    public var helloName: String
    /// Seconds allowed for the connect and for each reply.
    public var timeout: Int
    /// Seconds allowed for the whole message; well below `OutboxSender.staleClaimSeconds`.
    public var totalTimeout: Int
    /// A PEM file of certificates trusted instead of the system's (a private CA).
    public var trustedCertificates: String?

    public init(host: String, port: Int, starttls: Bool = false, username: String = "", password: String = "",
                from: MailAddress, helloName: String = SMTPTransport.localHostName(), timeout: Int = 60,
                totalTimeout: Int = 240, trustedCertificates: String? = nil) {
        self.host = host; self.port = port; self.starttls = starttls; self.username = username
        self.password = password; self.from = from; self.helloName = helloName; self.timeout = timeout
        self.totalTimeout = totalTimeout; self.trustedCertificates = trustedCertificates
    }

    public func send(_ message: OutgoingMessage) throws {
        let to = try MailAddress(parsing: message.recipient, field: "To")
        let email = EmailMessage(from: from, to: to, subject: message.subject, body: message.body, date: message.date)
        let connection = try TCPConnection(host: host, port: port, timeout: timeout, totalTimeout: totalTimeout)
        defer { connection.close() }
        let session = SMTPSession(connection: connection)
        try session.expect([220], stage: "greeting")
        var features = try session.hello(helloName)
        if starttls {
            guard features["STARTTLS"] != nil else {
                throw DeliveryError.tls(host: host, reason: "the server does not offer STARTTLS (smtp.starttls is true, so nothing was sent)")
            }
            try session.command("STARTTLS", expect: [220], stage: "STARTTLS")
            try connection.startTLS(trustedCertificates: trustedCertificates)
            // RFC 3207 4.2: everything learned before TLS is forgotten.
            features = try session.hello(helloName)
        }
        if !username.isEmpty { try authenticate(session, features: features["AUTH"]) }
        try session.command("MAIL FROM:<\(from.address)>", expect: [250], stage: "MAIL FROM")
        try session.command("RCPT TO:<\(to.address)>", expect: [250, 251], stage: "RCPT TO")
        try session.command("DATA", expect: [354], stage: "DATA")
        try session.sendData(email.rendered(lineBreak: .crlf))
        // The message is accepted; a failing QUIT changes nothing.
        _ = try? session.command("QUIT", expect: [221], stage: "QUIT")
    }

    private func authenticate(_ session: SMTPSession, features mechanisms: [String]?) throws {
        guard session.connection.isEncrypted || SMTPTransport.isLoopback(host) else {
            throw DeliveryError.configuration(key: "smtp.starttls", message: "refusing to send the SMTP password to \(host) unencrypted; set smtp.starttls: true")
        }
        let offered = mechanisms ?? []
        if offered.contains("PLAIN") {
            let token = Base64.encode([0] + Array(username.utf8) + [0] + Array(password.utf8))
            try session.command("AUTH PLAIN \(token)", expect: [235], stage: "AUTH PLAIN")
        } else if offered.contains("LOGIN") {
            try session.command("AUTH LOGIN", expect: [334], stage: "AUTH LOGIN")
            try session.command(Base64.encode(Array(username.utf8)), expect: [334], stage: "AUTH LOGIN (user name)")
            try session.command(Base64.encode(Array(password.utf8)), expect: [235], stage: "AUTH LOGIN (password)")
        } else {
            let list = offered.isEmpty ? "none" : offered.joined(separator: " ")
            throw DeliveryError.configuration(key: "smtp.username", message: "\(host) offers no AUTH PLAIN or LOGIN (offered: \(list))")
        }
    }

    static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host.hasPrefix("127.")
    }

    /// This machine's name for EHLO.
    public static func localHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(cString: buffer)
        return name.isEmpty ? "localhost" : name
    }
}
