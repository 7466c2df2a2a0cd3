import Foundation
import KaitoriCore
import Messaging
import Testing

@Suite struct OutboxSenderTests {
    static let template = Settings.MessageTemplate(
        emailSubject: "【{{shop.name}}】お申し込みを受け付けました（受付番号 {{case.code}}）",
        emailBody: "{{customer.name}} 様\n\n受付番号：{{case.code}}\n",
        sms: "【{{shop.name}}】受付番号：{{case.code}}\n")
    let settings = TestShop.settings(messages: ["application_received": OutboxSenderTests.template])
    let from = try! MailAddress(parsing: "まる福 宅配買取センター <kaitori@marufuku-reuse.example.jp>", field: "From")

    func sender(_ store: CaseStore, _ transport: any MessageTransport, maxAttempts: Int = 8) -> OutboxSender {
        OutboxSender(store: store, channels: DeliveryChannels(transports: ["email": transport, "sms": transport]), maxAttempts: maxAttempts)
    }

    @Test func serverDownKeepsTheMessageQueuedAndTheNextRunSendsIt() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        let record = try TestShop.createCase(store, settings: settings)
        let port = SMTPTestServer.unusedPort()
        let smtp = OutboxSender(store: store, channels: DeliveryChannels(transports: ["email": SMTPTransport(host: "127.0.0.1", port: port, from: from)]),
                                maxAttempts: 8)

        let first = try smtp.run()
        #expect(first.sent.isEmpty && first.failed.isEmpty)
        #expect(first.retried.count == 1)
        var row = try #require(try TestShop.outbox(store).first)
        #expect(row.string("state") == "queued")
        #expect(row.int("attempts") == 1)
        #expect(row.string("last_error") == "cannot connect to 127.0.0.1:\(port): Connection refused")
        #expect(row.int("next_attempt_at") == clock.now() + 60)

        // Not due yet: nothing is tried.
        let early = try smtp.run()
        #expect(early.sent.isEmpty && early.retried.isEmpty)

        let server = try SMTPTestServer(port: port)
        defer { server.stop() }
        clock.advance(60)
        let second = try smtp.run()
        #expect(second.sent.count == 1 && second.retried.isEmpty)
        row = try #require(try TestShop.outbox(store).first)
        #expect(row.string("state") == "sent")
        #expect(row.int("attempts") == 2)
        #expect(row.optionalInt("sent_at") == clock.now())
        #expect(row.optionalString("last_error") == nil)
        let received = try server.received()
        try #require(received.count == 1)
        #expect(received[0].headers["Subject"] == "【まる福 宅配買取センター】お申し込みを受け付けました（受付番号 \(record.code)）")
        #expect(received[0].body == "山田 太郎 様\r\n\r\n受付番号：\(record.code)\r\n")
        #expect(try smtp.run().sent.isEmpty, "a sent message is never sent again")
    }

    @Test func backoffGrowsAndTheLastAttemptGivesUpIntoTheFeed() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        let record = try TestShop.createCase(store, settings: settings)
        let down = DeliveryError.connectFailed(host: "mail.example.jp", port: 25, reason: "Connection refused")
        let transport = RecordingTransport(always: down)
        let sender = sender(store, transport, maxAttempts: 4)

        for (attempt, delay) in [(1, 60), (2, 300), (3, 900)] as [(Int64, Int64)] {
            let report = try sender.run()
            #expect(report.retried.map(\.attempt) == [Int(attempt)])
            let row = try #require(try TestShop.outbox(store).first)
            #expect(row.int("attempts") == attempt)
            #expect(row.int("next_attempt_at") == clock.now() + delay)
            clock.advance(delay - 1)
            #expect(try sender.run() == SendReport(), "not due one second early")
            clock.advance(1)
        }
        #expect(try TestShop.feed(store, kind: "message_failed").isEmpty)

        let last = try sender.run()
        #expect(last.failed.map(\.attempt) == [4])
        #expect(last.failed.first?.nextAttemptAt == nil)
        let row = try #require(try TestShop.outbox(store).first)
        #expect(row.string("state") == "failed")
        #expect(row.int("attempts") == 4)
        #expect(row.string("last_error") == down.description)
        let feed = try store.db.query("SELECT case_id, detail FROM events WHERE kind = 'message_failed'")
        #expect(feed.count == 1)
        #expect(feed.first?.int("case_id") == record.id)
        #expect(feed.first?.string("detail") == "application_received to taro@example.jp (email) given up after 4 attempt(s): \(down.description)")
        clock.advance(86_400)
        #expect(try sender.run() == SendReport(), "a failed message stays failed")
        #expect(transport.sent.isEmpty)
    }

    @Test func aTransientFailureThenSuccess() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        try TestShop.createCase(store, settings: settings)
        let transport = RecordingTransport(failing: [.timedOut(host: "mail.example.jp", stage: "DATA")])
        let sender = sender(store, transport)
        #expect(try sender.run().retried.count == 1)
        clock.advance(60)
        #expect(try sender.run().sent.count == 1)
        #expect(transport.sent.count == 1)
        #expect(transport.sent[0].date == clock.now())
    }

    @Test func aPermanentErrorGivesUpAtOnce() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        try TestShop.createCase(store, settings: settings, email: "", phone: "なし", contact: .sms)
        let transport = RecordingTransport(always: .invalidPhoneNumber("なし"))
        let report = try sender(store, transport).run()
        #expect(report.failed.map(\.attempt) == [1])
        #expect(try TestShop.outbox(store).first?.string("state") == "failed")
        #expect(try TestShop.feed(store, kind: "message_failed") == [
            "application_received to なし (sms) given up after permanent error: phone number \"なし\" has no digits to send an SMS to",
        ])
    }

    @Test func twoOverlappingRunsSendEveryMessageOnce() throws {
        let clock = TestClock()
        let (store, site) = try TestShop.store(clock: clock)
        let recipients = (1...30).map { "customer\($0)@example.jp" }
        for email in recipients { try TestShop.createCase(store, settings: settings, email: email) }
        let transport = RecordingTransport()
        transport.delay = 0.03

        // Each run has its own connection, as two cron-started processes would.
        let senders = try (0..<2).map { _ -> OutboxSender in
            let connection = try CaseStore(path: site + "/var/kaitori.sqlite3", clock: clock)
            let s = OutboxSender(store: connection, channels: DeliveryChannels(transports: ["email": transport]), maxAttempts: 8)
            s.batchSize = 5
            return s
        }
        let reports = ReportBox()
        let start = DispatchSemaphore(value: 0)
        let group = DispatchGroup()
        for (i, s) in senders.enumerated() {
            DispatchQueue.global().async(group: group) {
                start.wait()
                do { reports.set(i, try s.run(limit: 100)) } catch { Issue.record("run \(i): \(error)") }
            }
        }
        // The second run starts while the first is sending its first claimed batch, so the two
        // really overlap however loaded the machine is.
        start.signal()
        while transport.sent.isEmpty { usleep(1_000) }
        start.signal()
        group.wait()

        #expect(transport.sent.map(\.recipient).sorted() == recipients.sorted())
        let a = Set(reports.get(0)?.sent ?? [])
        let b = Set(reports.get(1)?.sent ?? [])
        #expect(a.isDisjoint(with: b))
        #expect(a.count + b.count == 30)
        #expect(try store.db.query("SELECT COUNT(*) AS n FROM outbox WHERE state = 'sent'").first?.int("n") == 30)
    }

    @Test func aStaleClaimIsTakenBackButALiveOneIsLeftAlone() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        try TestShop.createCase(store, settings: settings, email: "dead@example.jp")
        try TestShop.createCase(store, settings: settings, email: "live@example.jp")
        let now = clock.now()
        try store.db.query("UPDATE outbox SET state = 'sending', claimed_by = 'host:1:dead', claimed_at = ? WHERE recipient = 'dead@example.jp'",
                           [.int(now - OutboxSender.staleClaimSeconds - 1)])
        try store.db.query("UPDATE outbox SET state = 'sending', claimed_by = 'host:2:live', claimed_at = ? WHERE recipient = 'live@example.jp'",
                           [.int(now - 30)])
        let transport = RecordingTransport()
        let sender = sender(store, transport)

        let report = try sender.run()
        #expect(report.reclaimed == 1)
        #expect(report.retried.first?.error.hasPrefix("the run host:1:dead that claimed it at") == true)
        #expect(transport.sent.isEmpty)
        let rows = try TestShop.outbox(store)
        #expect(rows.map { $0.string("state") } == ["queued", "sending"])
        #expect(rows[0].int("attempts") == 1)

        clock.advance(60)
        #expect(try sender.run().sent.count == 1)
        #expect(transport.sent.map(\.recipient) == ["dead@example.jp"])
        #expect(try TestShop.outbox(store)[1].string("claimed_by") == "host:2:live")
    }

    @Test func aChannelWithoutTransportWaits() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        try TestShop.createCase(store, settings: settings, contact: .sms)
        try TestShop.createCase(store, settings: settings, email: "hanako@example.jp")
        let transport = RecordingTransport()
        let sender = OutboxSender(store: store, channels: DeliveryChannels(transports: ["email": transport], disabled: ["sms": "delivery.sms_method is none"]),
                                  maxAttempts: 8)
        let report = try sender.run()
        #expect(report.sent.count == 1)
        #expect(report.waiting == ["sms": 1])
        #expect(transport.sent.map(\.recipient) == ["hanako@example.jp"])
        #expect(try TestShop.outbox(store).map { $0.string("state") } == ["queued", "sent"])
    }

    @Test func smsGoesToTheNumberWithTheRenderedText() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        let record = try TestShop.createCase(store, settings: settings, contact: .sms)
        let transport = RecordingTransport()
        #expect(try sender(store, transport).run().sent.count == 1)
        #expect(transport.sent.first?.recipient == "090-1234-5678")
        #expect(transport.sent.first?.body == "【まる福 宅配買取センター】受付番号：\(record.code)\n")
    }

    @Test func limitCapsOneRun() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        for i in 1...5 { try TestShop.createCase(store, settings: settings, email: "c\(i)@example.jp") }
        let transport = RecordingTransport()
        let sender = sender(store, transport)
        #expect(try sender.run(limit: 3).sent.count == 3)
        #expect(try sender.run(limit: 3).sent.count == 2)
        #expect(transport.sent.map(\.recipient) == (1...5).map { "c\($0)@example.jp" }, "oldest first")
    }

    @Test func shopNotificationsReachTheShopAddress() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        let record = try TestShop.createCase(store, settings: TestShop.settings)
        let server = try SMTPTestServer()
        defer { server.stop() }
        let smtp = SMTPTransport(host: "127.0.0.1", port: server.port, from: from)
        let report = try OutboxSender(store: store, channels: DeliveryChannels(transports: ["email": smtp]), maxAttempts: 8).run()
        #expect(report.sent.count == 2)
        let received = try server.received()
        let shop = try #require(received.first { $0.rcpt_tos == ["staff@marufuku-reuse.example.jp"] })
        #expect(shop.headers["Subject"] == "[Kaitori] 新規申込 \(record.code) 山田 太郎 様")
        #expect(shop.body.contains("受付番号：\(record.code)"))
        #expect(shop.body.contains("kaitori case show \(record.code)"))
        let customer = try #require(received.first { $0.rcpt_tos == ["taro@example.jp"] })
        #expect(customer.headers["Subject"]?.contains(record.code) == true)
    }
}

/// Reports written by two threads.
private final class ReportBox: @unchecked Sendable {
    private let lock = NSLock()
    private var reports: [Int: SendReport] = [:]
    func set(_ i: Int, _ report: SendReport) { lock.withLock { reports[i] = report } }
    func get(_ i: Int) -> SendReport? { lock.withLock { reports[i] } }
}
