import KaitoriCore
import Messaging
import Testing

@Suite struct MessageOutboxTests {
    let settings = TestShop.settings(messages: ["application_received": OutboxSenderTests.template])

    @Test func retryQueuesAFailedMessageAgainWithFreshAttempts() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        let record = try TestShop.createCase(store, settings: settings)
        let transport = RecordingTransport(always: .connectFailed(host: "mail.example.jp", port: 25, reason: "Connection refused"))
        let sender = OutboxSender(store: store, channels: DeliveryChannels(transports: ["email": transport]), maxAttempts: 1)
        #expect(try sender.run().failed.count == 1)

        let outbox = MessageOutbox(store: store)
        let failed = try #require(try outbox.list(state: .failed).first)
        #expect(failed.caseCode == record.code)
        clock.advance(3600)
        let queued = try outbox.retry(id: failed.id)
        #expect(queued.state == .queued && queued.attempts == 0 && queued.nextAttemptAt == clock.now())

        transport.fail(always: nil)
        #expect(try sender.run().sent == [failed.id])
        #expect(try outbox.message(id: failed.id).state == .sent)
        #expect(throws: StoreError.invalid("message \(failed.id) is sent; only failed messages can be retried")) {
            try outbox.retry(id: failed.id)
        }
        #expect(throws: StoreError.notFound("no message 999 in the outbox")) { try outbox.retry(id: 999) }
    }

    @Test func aMessageWhoseTemplateFailedCannotBeRetried() throws {
        let (store, _) = try TestShop.store(clock: TestClock())
        let broken = TestShop.settings(messages: ["application_received": .init(emailSubject: "件名", emailBody: "{{#case.code}}閉じていない")])
        try TestShop.createCase(store, settings: broken)
        let outbox = MessageOutbox(store: store)
        let failed = try #require(try outbox.list().first)
        #expect(failed.state == .failed && failed.body.isEmpty)
        #expect(throws: StoreError.self) { try outbox.retry(id: failed.id) }
    }

    /// A published template of the wrong shape (a damaged `var/site.json`, read only when its event
    /// is queued) is a failed message with the reason, and the case is stored all the same.
    @Test func aDamagedPublishedTemplateIsAFailedMessageNotALostCase() throws {
        let (store, _) = try TestShop.store(clock: TestClock())
        let text = #"{"messages":{"application_received":{"emailSubject":5,"emailBody":"本文","sms":""}}}"#
        var damaged = settings
        damaged.messages = try MessageTemplates(json: JSONReader(parsing: Array(text.utf8))["messages"])
        let record = try TestShop.createCase(store, settings: damaged)
        #expect(try store.load(code: record.code).code == record.code)
        let failed = try #require(try MessageOutbox(store: store).list().first)
        #expect(failed.state == .failed && failed.caseCode == record.code)
        #expect((failed.lastError ?? "").contains("$.messages.application_received.emailSubject"), "\(failed.lastError ?? "")")
    }

    @Test func listIsNewestFirstAndFiltersByState() throws {
        let clock = TestClock()
        let (store, _) = try TestShop.store(clock: clock)
        for i in 1...3 { try TestShop.createCase(store, settings: settings, email: "c\(i)@example.jp") }
        let transport = RecordingTransport()
        _ = try OutboxSender(store: store, channels: DeliveryChannels(transports: ["email": transport]), maxAttempts: 8).run(limit: 1)
        let outbox = MessageOutbox(store: store)
        #expect(try outbox.list().map(\.recipient) == ["c3@example.jp", "c2@example.jp", "c1@example.jp"])
        #expect(try outbox.list(state: .sent).map(\.recipient) == ["c1@example.jp"])
        #expect(try outbox.list(state: .queued, limit: 1).map(\.recipient) == ["c3@example.jp"])
    }
}
