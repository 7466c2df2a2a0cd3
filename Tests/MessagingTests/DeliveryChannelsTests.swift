import Foundation
import KaitoriCore
@testable import Messaging
import Testing

@Suite struct DeliveryChannelsTests {
    /// The sample's delivery with sendmail for email and no SMS (the sample itself writes files).
    var delivery: Settings.Delivery {
        var d = TestShop.settings.delivery
        d.emailMethod = .sendmail
        d.smsMethod = .none
        return d
    }
    let site = TestShop.tempDir()

    @Test func sendmailForEmailAndNoSMS() throws {
        let channels = try DeliveryChannels(delivery: delivery, environment: [:], site: site)
        let sendmail = try #require(channels.transports["email"] as? SendmailTransport)
        #expect(sendmail.command == "/usr/sbin/sendmail -t -i")
        #expect(sendmail.from.address == "kaitori@marufuku-reuse.example.jp")
        let sms = try #require(channels.transports["sms"] as? DisabledChannelTransport)
        #expect(sms.reason == "delivery.sms_method is none")
        #expect(channels.disabled.isEmpty)
    }

    @Test func withSMSOffAnSMSMessageIsGivenUpIntoTheFeed() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        let settings = TestShop.settings(messages: ["application_received": OutboxSenderTests.template])
        try TestShop.createCase(store, settings: settings, contact: .sms)
        let channels = try DeliveryChannels(delivery: delivery, environment: [:], site: site)
        let report = try OutboxSender(store: store, channels: channels, maxAttempts: 8).run()
        #expect(report.failed.map(\.error) == ["the shop sends no sms messages (delivery.sms_method is none)"])
        #expect(try TestShop.feed(store, kind: "message_failed") == [
            "application_received to 090-1234-5678 (sms) given up after permanent error: the shop sends no sms messages (delivery.sms_method is none)",
        ])
    }

    @Test func smtpTakesThePasswordFromTheNamedVariable() throws {
        var d = delivery
        d.emailMethod = .smtp
        d.smtp = .init(host: "smtp.example.jp", port: 587, starttls: true, username: "shop", passwordEnv: "SHOP_SMTP_PASSWORD")
        let smtp = try #require(try DeliveryChannels(delivery: d, environment: ["SHOP_SMTP_PASSWORD": "s3cret"], site: site).transports["email"] as? SMTPTransport)
        #expect(smtp.password == "s3cret" && smtp.starttls && smtp.port == 587)
        #expect(throws: DeliveryError.configuration(key: "smtp.password_env", message: "the environment variable SHOP_SMTP_PASSWORD is not set")) {
            try DeliveryChannels(delivery: d, environment: [:], site: site)
        }
    }

    @Test func aPasswordIsNeverConfiguredToTravelUnencrypted() throws {
        var d = delivery
        d.emailMethod = .smtp
        d.smtp = .init(host: "smtp.example.jp", port: 25, starttls: false, username: "shop", passwordEnv: "SHOP_SMTP_PASSWORD")
        #expect(throws: DeliveryError.configuration(key: "smtp.starttls", message: "must be true (or smtp.implicit_tls) when smtp.example.jp is not a loopback address such as 127.0.0.1: mail and the password would travel unencrypted")) {
            try DeliveryChannels(delivery: d, environment: ["SHOP_SMTP_PASSWORD": "s3cret"], site: site)
        }
        d.smtp.host = "127.0.0.1"
        #expect(try DeliveryChannels(delivery: d, environment: ["SHOP_SMTP_PASSWORD": "s3cret"], site: site).transports["email"] is SMTPTransport)
    }

    @Test func aBadFromAddressStopsTheRunBeforeAnythingIsSent() {
        var d = delivery
        d.emailFrom = "まる福 <kaitori at example.jp>"
        #expect(throws: DeliveryError.configuration(key: "email_from", message: "From address \"まる福 <kaitori at example.jp>\": no @")) {
            try DeliveryChannels(delivery: d, environment: [:], site: site)
        }
    }

    @Test func smsMethods() throws {
        var d = delivery
        d.emailMethod = .none
        d.smsMethod = .command
        d.smsCommand = "/usr/local/bin/send-sms"
        let command = try DeliveryChannels(delivery: d, environment: [:], site: site)
        #expect((command.transports["sms"] as? SMSCommandTransport)?.command == "/usr/local/bin/send-sms")
        #expect(command.disabled == ["email": "delivery.email_method is none"])
        d.smsMethod = .http
        d.smsHTTPURL = "https://sms.example.jp/send"
        #expect((try DeliveryChannels(delivery: d, environment: [:], site: site).transports["sms"] as? SMSHTTPTransport)?.url == "https://sms.example.jp/send")
    }

    /// A secret file with `text` and `mode` in `directory`.
    func secretFile(_ directory: String, _ text: String, mode: mode_t) throws -> String {
        let path = directory + "/secret-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: false, encoding: .utf8)
        chmod(path, mode)
        return path
    }

    @Test func theSMTPPasswordMayComeFromAPrivateFileOutsideTheSite() throws {
        var d = delivery
        d.emailMethod = .smtp
        d.smtp = .init(host: "smtp.example.jp", port: 587, starttls: true, username: "shop", passwordEnv: "", passwordFile: try secretFile(TestShop.tempDir(), "fi1e-s3cret\n", mode: 0o600))
        let smtp = try #require(try DeliveryChannels(delivery: d, environment: [:], site: site).transports["email"] as? SMTPTransport)
        #expect(smtp.password == "fi1e-s3cret")
    }

    @Test func aSecretFileReadableByOthersOrInsideTheSiteIsRefused() throws {
        var d = delivery
        d.emailMethod = .smtp
        let wide = try secretFile(TestShop.tempDir(), "s3cret", mode: 0o640)
        d.smtp = .init(host: "smtp.example.jp", port: 587, starttls: true, username: "shop", passwordEnv: "", passwordFile: wide)
        #expect(throws: DeliveryError.configuration(key: "smtp.password_file", message: "\(wide) has mode 640; it must be readable by its owner only (chmod 600)")) {
            try DeliveryChannels(delivery: d, environment: [:], site: site)
        }
        try FileManager.default.createDirectory(atPath: site + "/var", withIntermediateDirectories: true)
        let inside = try secretFile(site + "/var", "s3cret", mode: 0o600)
        d.smtp.passwordFile = inside
        #expect(throws: DeliveryError.configuration(key: "smtp.password_file", message: "\(inside) is inside the site folder; keep secrets outside it (e.g. /etc/kaitori/)")) {
            try DeliveryChannels(delivery: d, environment: [:], site: site)
        }
        // Through a symbolic link from outside: still inside.
        let link = TestShop.tempDir() + "/link"
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: inside)
        d.smtp.passwordFile = link
        #expect(throws: DeliveryError.configuration(key: "smtp.password_file", message: "\(link) is inside the site folder; keep secrets outside it (e.g. /etc/kaitori/)")) {
            try DeliveryChannels(delivery: d, environment: [:], site: site)
        }
    }

    @Test func smsGatewayCredentialsComeFromTheEnvironmentNeverTheURL() throws {
        var d = delivery
        d.smsMethod = .http
        d.smsHTTPURL = "https://shop:pw@sms.example.jp/send"
        #expect(throws: DeliveryError.configuration(key: "sms_http_url", message: "the URL must not carry a user or password: name them with sms_http_auth_env or sms_http_auth_file")) {
            try DeliveryChannels(delivery: d, environment: [:], site: site)
        }
        d.smsHTTPURL = "https://sms.example.jp/send"
        d.smsHTTPAuthEnv = "SMS_AUTH"
        let sms = try #require(try DeliveryChannels(delivery: d, environment: ["SMS_AUTH": "shop:p@ss"], site: site).transports["sms"] as? SMSHTTPTransport)
        #expect(sms.credentials == "shop:p@ss")
    }

    @Test func smsOverPlainHTTPOnlyToALiteralLoopbackAddress() throws {
        for url in ["http://sms.example.jp/send", "http://127.sms.example/send", "http://localhost:8080/send", "http://10.0.0.1/send"] {
            #expect(throws: DeliveryError.configuration(key: "sms_http_url", message: "\(url) is not an https:// URL (http:// only to a loopback address such as 127.0.0.1)")) {
                try SMSHTTPTransport(url: url)
            }
        }
        _ = try SMSHTTPTransport(url: "http://127.0.0.1:8080/send")
        _ = try SMSHTTPTransport(url: "http://[::1]:8080/send")
    }
}
