import KaitoriCore
import StoreTestSupport
import Testing

@Suite struct ArrivalTests {
    /// Three confirmed cases of customers named 佐藤 and one of 鈴木, oldest first.
    func shopWithCandidates() throws -> (Shop, [Case], Case) {
        let shop = try Shop()
        var sato: [Case] = []
        for phone in ["09011110001", "09011110002", "09011110003"] {
            sato.append(try shop.confirmedCase(name: "佐藤 花子", kana: "サトウ ハナコ", phone: phone))
        }
        let suzuki = try shop.confirmedCase(name: "鈴木 一郎", kana: "スズキ イチロウ", phone: "08022223333")
        return (shop, sato, suzuki)
    }

    @Test func searchListsConfirmedMatchesOldestFirst() throws {
        let (shop, sato, _) = try shopWithCandidates()
        _ = try shop.store.arrive(code: sato[1].code, by: Shop.staff, settings: shop.settings)
        #expect(try shop.store.arrivalCandidates(matching: "佐藤").map(\.code) == [sato[0].code, sato[2].code])
        #expect(try shop.store.arrivalCandidates(matching: "さとう").map(\.code) == [sato[0].code, sato[2].code])
        #expect(try shop.store.arrivalCandidates(matching: "090-1111-0003").map(\.code) == [sato[2].code])
    }

    @Test(arguments: StoreBackend.all) func searchFindsTheParcelsTrackingNumber(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.confirmedCase()
        try shop.store.db.query("UPDATE cases SET tracking_number = '123456789012' WHERE id = ?", [.int(c.id)])
        #expect(try shop.store.arrivalCandidates(matching: "1234-5678-9012").map(\.code) == [c.code])
    }

    @Test func pickedCasesArriveAndUnpickedMatchesKeepStatusButGetTheMemo() throws {
        let (shop, sato, suzuki) = try shopWithCandidates()
        let outcome = try shop.store.arriveInBulk(search: "佐藤", picks: [1, 3], codes: [], memo: "箱2個口で到着",
                                                  by: Shop.staff, settings: shop.settings)
        #expect(outcome.arrived.map(\.code) == [sato[0].code, sato[2].code])
        #expect(outcome.memoOnly.map(\.code) == [sato[1].code])
        #expect(try shop.store.load(code: sato[0].code).status == .arrived)
        #expect(try shop.store.load(code: sato[2].code).status == .arrived)
        #expect(try shop.store.load(code: sato[1].code).status == .confirmed)
        for c in sato { #expect(try shop.memos(c) == ["箱2個口で到着"]) }
        #expect(try shop.memos(suzuki).isEmpty)
        #expect(try shop.outbox(sato[0], event: "arrived").count == 1)
        #expect(try shop.outbox(sato[1], event: "arrived").isEmpty)
        #expect(try shop.store.history(caseID: sato[0].id).last?.note == "bulk arrival")
    }

    @Test func codesChooseAmongTheMatches() throws {
        let (shop, sato, suzuki) = try shopWithCandidates()
        let outcome = try shop.store.arriveInBulk(search: "サトウ", picks: [], codes: [sato[1].code.lowercased()], memo: "",
                                                  by: Shop.staff, settings: shop.settings)
        #expect(outcome.arrived.map(\.code) == [sato[1].code])
        #expect(throws: StoreError.refused(code: suzuki.code, reason: "not among the confirmed cases matching \"サトウ\"")) {
            try shop.store.arriveInBulk(search: "サトウ", picks: [1], codes: [suzuki.code], memo: "memo", by: Shop.staff, settings: shop.settings)
        }
        // Refused as a whole: the valid pick did not arrive and no memo was written.
        #expect(try shop.store.load(code: sato[0].code).status == .confirmed)
        #expect(try shop.memos(sato[0]).isEmpty)
    }

    @Test func pickOutOfRangeAndNothingToDo() throws {
        let (shop, _, _) = try shopWithCandidates()
        #expect(throws: StoreError.invalid("pick 4: 3 confirmed cases match \"佐藤\" (numbers 1–3)")) {
            try shop.store.arriveInBulk(search: "佐藤", picks: [4], codes: [], memo: "", by: Shop.staff, settings: shop.settings)
        }
        #expect(throws: StoreError.invalid("nothing to do: choose cases (by number or code) or give a memo")) {
            try shop.store.arriveInBulk(search: "佐藤", picks: [], codes: [], memo: "", by: Shop.staff, settings: shop.settings)
        }
        #expect(throws: StoreError.invalid("no confirmed case matches \"高橋\"")) {
            try shop.store.arriveInBulk(search: "高橋", picks: [1], codes: [], memo: "", by: Shop.staff, settings: shop.settings)
        }
    }

    @Test func memoOnlyRunKeepsEveryStatus() throws {
        let (shop, sato, _) = try shopWithCandidates()
        let outcome = try shop.store.arriveInBulk(search: "佐藤", picks: [], codes: [], memo: "不在票あり", by: Shop.staff, settings: shop.settings)
        #expect(outcome.arrived.isEmpty && outcome.memoOnly.count == 3)
        for c in sato {
            #expect(try shop.store.load(code: c.code).status == .confirmed)
            #expect(try shop.memos(c) == ["不在票あり"])
        }
    }

    @Test func byCodesWithoutSearchIsAllOrNothing() throws {
        let (shop, sato, _) = try shopWithCandidates()
        let received = try shop.store.create(Shop.application(), settings: shop.settings).0
        #expect(throws: StoreError.illegalTransition(code: received.code, status: .received, action: "mark arrived")) {
            try shop.store.arriveInBulk(search: nil, picks: [], codes: [sato[0].code, received.code], memo: "",
                                        by: Shop.staff, settings: shop.settings)
        }
        #expect(try shop.store.load(code: sato[0].code).status == .confirmed)
        let outcome = try shop.store.arriveInBulk(search: nil, picks: [], codes: [sato[0].code, sato[1].code], memo: "到着",
                                                  by: Shop.staff, settings: shop.settings)
        #expect(outcome.arrived.count == 2 && outcome.memoOnly.isEmpty)
        #expect(try shop.memos(sato[1]) == ["到着"])
    }
}
