import Foundation
import KaitoriCore
@testable import Messaging
import Testing

/// Against a real SMTP server (aiosmtpd) started by each test on 127.0.0.1.
@Suite struct SMTPTransportTests {
    let from = try! MailAddress(parsing: "まる福 宅配買取センター <kaitori@marufuku-reuse.example.jp>", field: "From")
    let subject = "【まる福 宅配買取センター】査定結果のご案内（受付番号 K7QX-3M9A）"
    let body = """
        山田 太郎 様

        お待たせいたしました。査定が完了しました。
        査定金額の合計：16,000円
        .この行はドットで始まります
        https://shop.example.jp/review/abcdefghijkmnpqrstuvwxyz23456789/
        """

    func outgoing(to recipient: String = "taro@example.jp") -> OutgoingMessage {
        OutgoingMessage(recipient: recipient, subject: subject, body: body, date: 1_790_000_000)
    }

    @Test func japaneseMessageArrivesAndDecodes() throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        try SMTPTransport(host: "127.0.0.1", port: server.port, from: from, helloName: "kaitori.test").send(outgoing())

        let received = try server.received()
        try #require(received.count == 1)
        let m = received[0]
        #expect(m.mail_from == "kaitori@marufuku-reuse.example.jp")
        #expect(m.rcpt_tos == ["taro@example.jp"])
        #expect(m.headers["Subject"] == subject)
        #expect(m.from_name == "まる福 宅配買取センター")
        #expect(m.from_address == "kaitori@marufuku-reuse.example.jp")
        #expect(m.headers["To"] == "taro@example.jp")
        #expect(m.date_unix == 1_790_000_000)
        #expect(m.headers["Message-ID"]?.hasSuffix("@marufuku-reuse.example.jp>") == true)
        #expect(m.content_type == "text/plain")
        #expect(m.charset == "utf-8")
        #expect(m.body == body.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(m.defects.isEmpty, "\(m.defects)")
        #expect(m.raw.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        #expect(!m.tls)
    }

    @Test func dataIsDotStuffed() throws {
        // A base64 body never starts a line with a dot, so the session is driven directly.
        let server = try SMTPTestServer()
        defer { server.stop() }
        let session = SMTPSession(connection: try TCPConnection(host: "127.0.0.1", port: server.port, timeout: 10, totalTimeout: 30))
        try session.expect([220], stage: "greeting")
        _ = try session.hello("kaitori.test")
        try session.command("MAIL FROM:<a@example.jp>", expect: [250], stage: "MAIL FROM")
        try session.command("RCPT TO:<b@example.jp>", expect: [250], stage: "RCPT TO")
        try session.command("DATA", expect: [354], stage: "DATA")
        let message = "Subject: dots\r\n\r\n.\r\n..two\r\n.end\r\nlast"
        try session.sendData(message)
        let raw = try #require(try server.received().first).raw
        #expect(raw == message + "\r\n")
    }

    @Test func authPlainWithThePassword() throws {
        let server = try SMTPTestServer(auth: "shop:s3cret")
        defer { server.stop() }
        try SMTPTransport(host: "127.0.0.1", port: server.port, username: "shop", password: "s3cret", from: from).send(outgoing())
        #expect(try server.received().first?.auth_user == "shop")
    }

    @Test func wrongPasswordIsRefusedAndNothingIsSent() throws {
        let server = try SMTPTestServer(auth: "shop:s3cret")
        defer { server.stop() }
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, username: "shop", password: "wrong", from: from)
        do {
            try transport.send(outgoing())
            Issue.record("expected a refusal")
        } catch let error as DeliveryError {
            guard case .smtpRefused(_, "AUTH PLAIN", let reply) = error else { Issue.record("\(error)"); return }
            #expect(reply.code == 535)
            #expect(!error.description.contains("wrong"))
            #expect(!error.isPermanent)
        }
        #expect(try server.received().isEmpty)
    }

    @Test func unknownRecipientIsAPermanentFailure() throws {
        let server = try SMTPTestServer(rejecting: ["nobody@example.jp"])
        defer { server.stop() }
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, from: from)
        do {
            try transport.send(outgoing(to: "nobody@example.jp"))
            Issue.record("expected a refusal")
        } catch let error as DeliveryError {
            guard case .smtpRefused(_, "RCPT TO", let reply) = error else { Issue.record("\(error)"); return }
            #expect(reply.code == 550)
            #expect(error.isPermanent)
        }
    }

    @Test func serverDownIsAConnectFailure() throws {
        let port = SMTPTestServer.unusedPort()
        #expect(throws: DeliveryError.connectFailed(host: "127.0.0.1", port: port, reason: "Connection refused")) {
            try SMTPTransport(host: "127.0.0.1", port: port, from: from).send(outgoing())
        }
    }

    @Test func starttlsEncryptsAndVerifiesTheCertificate() throws {
        let certificate = try SMTPTestServer.makeCertificate()
        let server = try SMTPTestServer(tlsCertificate: certificate, auth: "shop:s3cret")
        defer { server.stop() }
        // Host name "localhost" resolves to ::1 first on some machines: the client falls back to 127.0.0.1.
        let transport = SMTPTransport(host: "localhost", port: server.port, starttls: true, username: "shop", password: "s3cret",
                                      from: from, trustedCertificates: certificate.cert)
        try transport.send(outgoing())
        let m = try #require(try server.received().first)
        #expect(m.tls)
        #expect(m.auth_user == "shop")
        #expect(m.headers["Subject"] == subject)
    }

    @Test func starttlsRefusesAnUntrustedCertificate() throws {
        let certificate = try SMTPTestServer.makeCertificate()
        let other = try SMTPTestServer.makeCertificate()
        let server = try SMTPTestServer(tlsCertificate: certificate)
        defer { server.stop() }
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, starttls: true, from: from, trustedCertificates: other.cert)
        #expect(throws: DeliveryError.tls(host: "127.0.0.1", reason: "certificate not trusted: self-signed certificate")) {
            try transport.send(outgoing())
        }
        #expect(try server.received().isEmpty)
    }

    @Test func starttlsRequiredButNotOffered() throws {
        let server = try SMTPTestServer()
        defer { server.stop() }
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, starttls: true, from: from)
        #expect(throws: DeliveryError.tls(host: "127.0.0.1", reason: "the server does not offer STARTTLS (smtp.starttls is true, so nothing was sent)")) {
            try transport.send(outgoing())
        }
        #expect(try server.received().isEmpty)
    }

    @Test func onlyLoopbackHostsGetThePasswordWithoutTLS() {
        #expect(SMTPTransport.isLoopback("127.0.0.1") && SMTPTransport.isLoopback("localhost") && SMTPTransport.isLoopback("::1"))
        #expect(!SMTPTransport.isLoopback("192.0.2.1") && !SMTPTransport.isLoopback("smtp.example.jp"))
    }
}
