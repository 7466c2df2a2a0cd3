import KaitoriCore
import Messaging
import Testing

@Suite struct DeliveryChannelsTests {
    /// The sample's delivery with sendmail for email and no SMS (the sample itself writes files).
    var delivery: Settings.Delivery {
        var d = TestShop.settings.delivery
        d.emailMethod = .sendmail
        d.smsMethod = .none
        return d
    }

    @Test func sendmailForEmailAndNoSMS() throws {
        let channels = try DeliveryChannels(delivery: delivery, environment: [:])
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
        let channels = try DeliveryChannels(delivery: delivery, environment: [:])
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
        let smtp = try #require(try DeliveryChannels(delivery: d, environment: ["SHOP_SMTP_PASSWORD": "s3cret"]).transports["email"] as? SMTPTransport)
        #expect(smtp.password == "s3cret" && smtp.starttls && smtp.port == 587)
        #expect(throws: DeliveryError.configuration(key: "smtp.password_env", message: "the environment variable SHOP_SMTP_PASSWORD is not set")) {
            try DeliveryChannels(delivery: d, environment: [:])
        }
    }

    @Test func aPasswordIsNeverConfiguredToTravelUnencrypted() throws {
        var d = delivery
        d.emailMethod = .smtp
        d.smtp = .init(host: "smtp.example.jp", port: 25, starttls: false, username: "shop", passwordEnv: "SHOP_SMTP_PASSWORD")
        #expect(throws: DeliveryError.configuration(key: "smtp.starttls", message: "must be true when smtp.username is set and smtp.example.jp is another machine: the password would travel unencrypted")) {
            try DeliveryChannels(delivery: d, environment: ["SHOP_SMTP_PASSWORD": "s3cret"])
        }
        d.smtp.host = "127.0.0.1"
        #expect(try DeliveryChannels(delivery: d, environment: ["SHOP_SMTP_PASSWORD": "s3cret"]).transports["email"] is SMTPTransport)
    }

    @Test func aBadFromAddressStopsTheRunBeforeAnythingIsSent() {
        var d = delivery
        d.emailFrom = "まる福 <kaitori at example.jp>"
        #expect(throws: DeliveryError.configuration(key: "email_from", message: "From address \"まる福 <kaitori at example.jp>\": no @")) {
            try DeliveryChannels(delivery: d, environment: [:])
        }
    }

    @Test func smsMethods() throws {
        var d = delivery
        d.emailMethod = .none
        d.smsMethod = .command
        d.smsCommand = "/usr/local/bin/send-sms"
        let command = try DeliveryChannels(delivery: d, environment: [:])
        #expect((command.transports["sms"] as? SMSCommandTransport)?.command == "/usr/local/bin/send-sms")
        #expect(command.disabled == ["email": "delivery.email_method is none"])
        d.smsMethod = .http
        d.smsHTTPURL = "https://sms.example.jp/send"
        #expect((try DeliveryChannels(delivery: d, environment: [:]).transports["sms"] as? SMSHTTPTransport)?.url == "https://sms.example.jp/send")
    }
}
