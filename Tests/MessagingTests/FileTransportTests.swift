import Foundation
import KaitoriCore
import Messaging
import Testing

/// `email_method: file` and `sms_method: file` (the sample shop's): each message becomes a file in
/// var/mail/, named by its outbox id, readable only by the shop.
@Suite struct FileTransportTests {
    @Test func theSampleWritesEmailAndSMSAsFiles() throws {
        let (store, site) = try TestShop.store(clock: TestClock())
        defer { try? FileManager.default.removeItem(atPath: site) }
        let settings = TestShop.settings(messages: ["application_received": OutboxSenderTests.template])
        #expect(settings.delivery.emailMethod == .file && settings.delivery.smsMethod == .file)
        let byEmail = try TestShop.createCase(store, settings: settings, contact: .email)
        let bySMS = try TestShop.createCase(store, settings: settings, contact: .sms)
        let mail = site + "/var/mail"
        let channels = try DeliveryChannels(delivery: settings.delivery, environment: [:], site: site)
        let report = try OutboxSender(store: store, channels: channels, maxAttempts: 8).run()
        #expect(report.sent.count == 2 && report.failed.isEmpty)

        let ids = try TestShop.outbox(store).map { ($0.int("id"), $0.string("channel")) }
        let emailID = try #require(ids.first { $0.1 == "email" }?.0)
        let smsID = try #require(ids.first { $0.1 == "sms" }?.0)
        let emailFile = FileTransport.path(directory: mail, outboxID: emailID, channel: "email")
        let smsFile = FileTransport.path(directory: mail, outboxID: smsID, channel: "sms")
        #expect(emailFile.hasSuffix("/" + String(repeating: "0", count: 6 - String(emailID).count) + "\(emailID)-email.eml"))

        let email = try String(contentsOfFile: emailFile, encoding: .utf8)
        #expect(email.contains("To: taro@example.jp"))
        #expect(email.contains("Content-Transfer-Encoding: base64"))
        let body = try #require(email.range(of: "\n\n").map { String(email[$0.upperBound...]).replacingOccurrences(of: "\n", with: "") })
        let text = String(decoding: try #require(Data(base64Encoded: body)), as: UTF8.self)
        #expect(text.contains("山田 太郎 様") && text.contains(byEmail.code))

        let sms = try String(contentsOfFile: smsFile, encoding: .utf8)
        #expect(sms.hasPrefix("To: 09012345678\n\n"))
        #expect(sms.contains(bySMS.code))

        for file in [emailFile, smsFile] {
            let mode = (try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? NSNumber)?.intValue
            #expect(mode == 0o600, "\(file)")
        }
        let folderMode = (try FileManager.default.attributesOfItem(atPath: mail)[.posixPermissions] as? NSNumber)?.intValue
        #expect(folderMode == 0o700)
        #expect(try FileManager.default.contentsOfDirectory(atPath: mail).filter { $0.hasSuffix(".tmp") } == [])
    }

    @Test func anUnwritableFolderKeepsTheMessageQueued() throws {
        let (store, site) = try TestShop.store(clock: TestClock())
        defer { try? FileManager.default.removeItem(atPath: site) }
        let settings = TestShop.settings(messages: ["application_received": OutboxSenderTests.template])
        try TestShop.createCase(store, settings: settings)
        // A file where the folder should be: nothing can be written under it.
        FileManager.default.createFile(atPath: site + "/blocked", contents: Data())
        let channels = try DeliveryChannels(delivery: settings.delivery, environment: [:], site: site, mailFolder: site + "/blocked/mail")
        let report = try OutboxSender(store: store, channels: channels, maxAttempts: 8).run()
        #expect(report.sent.isEmpty)
        #expect(report.retried.count + report.failed.count == 1)
        #expect(try TestShop.outbox(store).first?.string("state") != "sent")
    }
}
