import KaitoriCore
import StoreTestSupport
import Testing

@Suite struct KitsAndPickupsTests {
    func outbox(_ store: CaseStore, _ record: Case) throws -> [(event: String, body: String)] {
        try store.db.query("SELECT event, body FROM outbox WHERE case_id = ? ORDER BY id", [.int(record.id)]).map {
            (event: $0.string("event"), body: $0.string("body"))
        }
    }

    @Test(arguments: StoreBackend.all) func everyCaseGetsAStatusLinkInItsFirstMessage(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (record, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        let token = try #require(record.statusToken)
        #expect(Identifiers.isToken(token[...]))
        #expect(try store.load(code: record.code).statusToken == token)
        let first = try #require(try outbox(store, record).first { $0.event == "application_received" })
        #expect(first.body.contains(Fixtures.settings.absoluteURL("/status/\(token)/")))
        #expect(record.showsStatusPage(at: store.clock.now()))
    }

    @Test(arguments: StoreBackend.all) func rowsInsertedWithoutATokenGetOneOfTheSameShape(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (record, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        try store.db.query("""
            INSERT INTO cases (code, status, created_at, updated_at, payout_method) VALUES ('ZZZZ-2222', 'received', 1, 1, 'cash')
            """)
        let tokens = try store.db.query("SELECT status_token FROM cases ORDER BY id").map { $0.string("status_token") }
        #expect(tokens.count == 2 && tokens[0] == record.statusToken)
        #expect(Identifiers.isToken(tokens[1][...]) && tokens[1] != tokens[0])
    }

    @Test(arguments: StoreBackend.all) func aKitIsListedUntilSentAndSendingQueuesTheKitMessage(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (kit, _) = try store.create(try Fixtures.application(["kit": "yes"]), settings: Fixtures.settings)
        let (plain, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        #expect(try store.kitRequests().map(\.code) == [kit.code])
        #expect(try outbox(store, kit).first { $0.event == "application_received" }?.body.contains("梱包キット") == true)

        let sent = try store.markKitSent(code: kit.code, carrier: "ヤマト運輸", tracking: "１２３４-５６７８-９０１２",
                                         by: .staff("tester"), settings: Fixtures.settings)
        #expect(sent.kitSentAt == store.clock.now() && sent.kitTracking == "123456789012" && sent.kitCarrier == "ヤマト運輸")
        let message = try #require(try outbox(store, kit).first { $0.event == "kit_arranged" })
        #expect(message.body.contains("123456789012") && message.body.contains("ヤマト運輸"))
        #expect(message.body.contains("/status/\(kit.statusToken ?? "")/"))
        #expect(try store.kitRequests().isEmpty)
        #expect(try store.kitRequests(includeDone: true).map(\.code) == [kit.code])

        // Refusals change nothing and name the case.
        let before = try store.db.query("SELECT COUNT(*) AS n FROM outbox").first?.int("n")
        for (code, tracking) in [(kit.code, "1"), (plain.code, "1"), (kit.code, "")] {
            #expect(throws: StoreError.self) {
                try store.markKitSent(code: code, carrier: "", tracking: tracking, by: .staff("tester"), settings: Fixtures.settings)
            }
        }
        #expect(try store.db.query("SELECT COUNT(*) AS n FROM outbox").first?.int("n") == before)
        #expect(try store.load(code: kit.code).kitTracking == "123456789012")
    }

    @Test(arguments: StoreBackend.all) func aKitCannotBeSentOnceTheParcelArrived(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (kit, _) = try store.create(try Fixtures.application(["kit": "yes"]), settings: Fixtures.settings)
        _ = try store.confirm(code: kit.code, by: .staff("tester"), settings: Fixtures.settings)
        _ = try store.arrive(code: kit.code, by: .staff("tester"), settings: Fixtures.settings)
        do {
            try store.markKitSent(code: kit.code, carrier: "", tracking: "1", by: .staff("tester"), settings: Fixtures.settings)
            Issue.record("kit sent after arrival")
        } catch StoreError.refused(let code, let reason) {
            #expect(code == kit.code && reason.contains("arrived"))
        }
    }

    @Test(arguments: StoreBackend.all) func pickupsAreListedByDateArrangedOnceAndExportedForTheCarrier(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let later = Fixtures.today.adding(days: 5).iso
        let sooner = Fixtures.today.adding(days: 2).iso
        let (a, _) = try store.create(try Fixtures.application(["pickup_date": later, "pickup_slot": "am"]), settings: Fixtures.settings)
        let (b, _) = try store.create(try Fixtures.application(["pickup_date": sooner, "pickup_slot": "18-21",
                                                                "name": "=HYPERLINK(\"x\")"]), settings: Fixtures.settings)
        _ = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        #expect(try store.pickupRequests().map(\.code) == [b.code, a.code])

        let csv = PickupSheet.csv(try store.pickupRequests(), settings: Fixtures.settings)
        let rows = try CSV.parse(Array(csv.utf8))
        #expect(rows[0] == PickupSheet.header)
        #expect(rows[1][0] == sooner && rows[1][1] == "18時〜21時" && rows[1][2] == b.code && rows[1][8] == "1")
        #expect(rows[1][3].hasPrefix("'"), "a formula in a name must not run in the carrier's spreadsheet")
        #expect(rows[2][6] == "埼玉県さいたま市浦和区高砂1-2-3")

        let arranged = try store.markPickupArranged(code: a.code, reference: "ＰＵ-１２３", by: .staff("tester"),
                                                    settings: Fixtures.settings)
        #expect(arranged.pickupArrangedAt != nil && arranged.pickupReference == "PU-123")
        let message = try #require(try outbox(store, a).first { $0.event == "pickup_arranged" })
        #expect(message.body.contains("PU-123") && message.body.contains("午前中"))
        #expect(try store.pickupRequests().map(\.code) == [b.code])
        #expect(throws: StoreError.self) {
            try store.markPickupArranged(code: a.code, reference: "", by: .staff("tester"), settings: Fixtures.settings)
        }
    }
}
