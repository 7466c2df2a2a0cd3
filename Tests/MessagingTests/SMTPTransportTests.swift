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
            guard case .smtpRefused(_, let stage, let reply) = error, stage.hasPrefix("AUTH ") else { Issue.record("\(error)"); return }
            #expect(reply.code == 535)
            #expect(!error.description.contains("wrong"))
            #expect(!error.description.contains(Base64.encode(Array("\u{0}shop\u{0}wrong".utf8))))
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
        do {
            try SMTPTransport(host: "127.0.0.1", port: port, from: from).send(outgoing())
            Issue.record("expected a connect failure")
        } catch DeliveryError.connectFailed(let host, let failedPort, _) {
            #expect(host == "127.0.0.1" && failedPort == port)
        }
    }

    @Test func starttlsEncryptsVerifiesTheCertificateAndDeliversJapaneseIntact() throws {
        let certificate = try SMTPTestServer.makeCertificate()
        let server = try SMTPTestServer(tlsCertificate: certificate, auth: "shop:s3cret")
        defer { server.stop() }
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, starttls: true, username: "shop", password: "s3cret",
                                      from: from, trustedCertificates: certificate.ca)
        try transport.send(outgoing())
        let m = try #require(try server.received().first)
        #expect(m.tls)
        #expect(m.auth_user == "shop")
        #expect(m.headers["Subject"] == subject)
        #expect(m.from_name == "まる福 宅配買取センター")
        #expect(m.body == body.replacingOccurrences(of: "\n", with: "\r\n"))
        #expect(m.defects.isEmpty, "\(m.defects)")
    }

    @Test func implicitTLSDelivers() throws {
        let certificate = try SMTPTestServer.makeCertificate()
        let server = try SMTPTestServer(tlsCertificate: certificate, implicitTLS: true)
        defer { server.stop() }
        try SMTPTransport(host: "127.0.0.1", port: server.port, implicitTLS: true, from: from, trustedCertificates: certificate.ca).send(outgoing())
        let m = try #require(try server.received().first)
        #expect(m.tls && m.headers["Subject"] == subject)
    }

    @Test func starttlsRefusesAnUntrustedCertificate() throws {
        let certificate = try SMTPTestServer.makeCertificate()
        let other = try SMTPTestServer.makeCertificate()
        let server = try SMTPTestServer(tlsCertificate: certificate)
        defer { server.stop() }
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, starttls: true, from: from, trustedCertificates: other.ca)
        #expect { try transport.send(outgoing()) } throws: { error in
            guard case DeliveryError.tls("127.0.0.1", let reason) = error else { return false }
            return reason.contains("certificate")
        }
        #expect(try server.received().isEmpty)
    }

    @Test func aCertificateForAnotherHostNameIsRefused() throws {
        // Signed by the trusted CA, but for mail.other.example only: connecting to 127.0.0.1 must fail.
        let certificate = try SMTPTestServer.makeCertificate(names: ["DNS:mail.other.example"])
        let server = try SMTPTestServer(tlsCertificate: certificate, auth: "shop:s3cret")
        defer { server.stop() }
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, starttls: true, username: "shop", password: "s3cret",
                                      from: from, trustedCertificates: certificate.ca)
        #expect { try transport.send(outgoing()) } throws: { error in
            guard case DeliveryError.tls("127.0.0.1", let reason) = error else { return false }
            return reason.contains("127.0.0.1") || reason.lowercased().contains("name")
        }
        #expect(try server.received().isEmpty)
    }

    @Test func repliesInjectedBeforeTheTLSHandshakeAreRefused() throws {
        // A man in the middle pipelines "250 …" lines behind the 220 answer to STARTTLS; a client
        // that read them as answers after the handshake would act on forged replies.
        let certificate = try SMTPTestServer.makeCertificate()
        let server = try SMTPTestServer(tlsCertificate: certificate, injectAfterStarttls: true)
        defer { server.stop() }
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, starttls: true, from: from, trustedCertificates: certificate.ca)
        #expect(throws: DeliveryError.tls(host: "127.0.0.1", reason: "the server sent more than its answer to STARTTLS before the TLS handshake (replies injected by a man in the middle?); nothing was sent")) {
            try transport.send(outgoing())
        }
        #expect(try server.received().isEmpty)
    }

    @Test func starttlsRequiredButNotOffered() throws {
        // A server (or a man in the middle) that strips STARTTLS from the EHLO answer.
        let server = try SMTPTestServer()
        defer { server.stop() }
        let transport = SMTPTransport(host: "127.0.0.1", port: server.port, starttls: true, from: from)
        #expect(throws: DeliveryError.tls(host: "127.0.0.1", reason: "the server does not offer STARTTLS (smtp.starttls is true, so nothing was sent)")) {
            try transport.send(outgoing())
        }
        #expect(try server.received().isEmpty)
    }

    @Test func withoutTLSOnlyALiteralLoopbackAddressGetsMail() throws {
        for host in ["127.mail.example", "localhost", "192.0.2.1", "smtp.example.jp"] {
            #expect(throws: DeliveryError.configuration(key: "smtp.starttls", message: "\(host) is not a loopback address: set smtp.starttls or smtp.implicit_tls so mail never travels unencrypted")) {
                try SMTPTransport(host: host, port: 25, from: from, timeout: 2).send(outgoing())
            }
        }
        #expect(LoopbackAddress.isLiteral("127.0.0.1") && LoopbackAddress.isLiteral("127.8.9.10") && LoopbackAddress.isLiteral("::1"))
        #expect(LoopbackAddress.isLiteral("[::1]") && LoopbackAddress.isLiteral("::ffff:127.0.0.1"))
        #expect(!LoopbackAddress.isLiteral("127.mail.example") && !LoopbackAddress.isLiteral("localhost"))
        #expect(!LoopbackAddress.isLiteral("127.0.0.1.example.jp") && !LoopbackAddress.isLiteral("128.0.0.1") && !LoopbackAddress.isLiteral("::2"))
    }
}
