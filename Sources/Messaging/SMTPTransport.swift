import CCurl
import KaitoriCore
#if canImport(Glibc)
import Glibc
#endif

/// Sends email to an SMTP server through libcurl: one message per connection, with STARTTLS
/// required (`CURLUSESSL_ALL`: a server that does not offer it gets nothing) or TLS from the
/// first byte (`smtps`), the certificate and the host name always verified, AUTH when a user
/// name is set. Without TLS only a literal loopback address is accepted (a local MTA).
/// The message itself is composed here (`EmailMessage`); libcurl only carries it.
public struct SMTPTransport: MessageTransport {
    public var host: String
    public var port: Int
    public var starttls: Bool
    public var implicitTLS: Bool
    /// Empty means no AUTH.
    public var username: String
    public var password: String
    public var from: MailAddress
    /// The name given in EHLO.
    public var helloName: String
    /// Seconds allowed for the name look-up and connect, and for a stalled reply.
    public var timeout: Int
    /// Seconds allowed for the whole message; well below `OutboxSender.staleClaimSeconds`.
    public var totalTimeout: Int
    /// A PEM file of certificate authorities trusted instead of the system's (a private CA).
    public var trustedCertificates: String?

    public init(host: String, port: Int, starttls: Bool = false, implicitTLS: Bool = false, username: String = "", password: String = "",
                from: MailAddress, helloName: String = SMTPTransport.localHostName(), timeout: Int = 30,
                totalTimeout: Int = 240, trustedCertificates: String? = nil) {
        self.host = host; self.port = port; self.starttls = starttls; self.implicitTLS = implicitTLS; self.username = username
        self.password = password; self.from = from; self.helloName = helloName; self.timeout = timeout
        self.totalTimeout = totalTimeout; self.trustedCertificates = trustedCertificates
    }

    /// Whether the connection is encrypted before anything but the greeting and EHLO.
    var usesTLS: Bool { starttls || implicitTLS }

    public func send(_ message: OutgoingMessage) throws {
        let to = try MailAddress(parsing: message.recipient, field: "To")
        guard usesTLS || LoopbackAddress.isLiteral(host) else {
            throw DeliveryError.configuration(key: "smtp.starttls", message: "\(host) is not a loopback address: set smtp.starttls or smtp.implicit_tls so mail never travels unencrypted")
        }
        let email = EmailMessage(from: from, to: to, subject: message.subject, body: message.body, date: message.date)
        let transfer = try CurlTransfer()
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        transfer.set(CURLOPT_URL, (implicitTLS ? "smtps://" : "smtp://") + "\(hostPart):\(port)/" + SMTPTransport.safeHelloName(helloName))
        transfer.set(CURLOPT_PROTOCOLS_STR, implicitTLS ? "smtps" : "smtp")
        if starttls { transfer.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue)) }
        if let trustedCertificates { transfer.set(CURLOPT_CAINFO, trustedCertificates) }
        if !username.isEmpty {
            transfer.set(CURLOPT_USERNAME, username)
            transfer.set(CURLOPT_PASSWORD, password)
            transfer.set(CURLOPT_SASL_IR, 1)
        }
        transfer.set(CURLOPT_MAIL_FROM, "<\(from.address)>")
        transfer.set(CURLOPT_MAIL_RCPT, list: ["<\(to.address)>"])
        // libcurl dot-stuffs the data and ends it with CRLF.CRLF.
        transfer.setUpload(Array(email.rendered(lineBreak: .crlf).utf8))
        transfer.setTimeouts(connect: timeout, total: totalTimeout)

        let (code, reason) = transfer.perform()
        guard code != CURLE_OK else { return }
        let stage = transfer.transcript.stage
        if code == CURLE_USE_SSL_FAILED {
            throw DeliveryError.tls(host: host, reason: "the server does not offer STARTTLS (smtp.starttls is true, so nothing was sent)")
        }
        if CurlTransfer.isTLSFailure(code) { throw DeliveryError.tls(host: host, reason: reason) }
        if code == CURLE_WEIRD_SERVER_REPLY, stage == "STARTTLS" {
            // libcurl refuses bytes that arrive behind the answer to STARTTLS, before the handshake.
            throw DeliveryError.tls(host: host, reason: "the server sent more than its answer to STARTTLS before the TLS handshake (replies injected by a man in the middle?); nothing was sent")
        }
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            throw DeliveryError.connectFailed(host: host, port: port, reason: transfer.systemError ?? reason)
        case CURLE_OPERATION_TIMEDOUT:
            throw DeliveryError.timedOut(host: host, stage: stage)
        default:
            if let refusal = transfer.transcript.refusal {
                throw DeliveryError.smtpRefused(host: host, stage: refusal.stage, reply: refusal.reply)
            }
            throw DeliveryError.connectionLost(host: host, stage: stage, reason: reason)
        }
    }

    /// The EHLO name goes into the URL's path: only host-name characters are kept.
    static func safeHelloName(_ name: String) -> String {
        let ok = !name.isEmpty && name.utf8.count <= 253 && name.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
        }
        return ok ? name : "localhost"
    }

    /// This machine's name for EHLO.
    public static func localHostName() -> String {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "localhost" }
        let name = String(cString: buffer)
        return name.isEmpty ? "localhost" : name
    }
}
