import KaitoriCore
import StoreTestSupport
import Testing

@Suite struct TransitionTests {
    /// Every (from, to) pair of domain.md's table, driven through the store's only way to change a status.
    @Test(arguments: StoreBackend.all, CaseStatus.allCases.flatMap { from in CaseStatus.allCases.map { (from, $0) } })
    func everyPairIsAllowedExactlyWhenTheTableSaysSo(_ backend: StoreBackend, pair: (CaseStatus, CaseStatus)) throws {
        let (from, to) = pair
        let store = try Fixtures.store(backend)
        var (record, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings, initialStatus: from, notify: false)
        let before = try store.history(caseID: record.id).count
        if from.canMove(to: to) {
            try store.move(&record, to: to, by: .staff("佐藤"), action: "test")
            #expect(try store.load(id: record.id).status == to)
            let last = try #require(try store.history(caseID: record.id).last)
            #expect(last.from == from && last.to == to && last.by == .staff("佐藤"))
            #expect(try store.history(caseID: record.id).count == before + 1)
        } else {
            #expect(throws: StoreError.illegalTransition(code: record.code, status: from, action: "test")) {
                try store.move(&record, to: to, by: .staff("佐藤"), action: "test")
            }
            #expect(try store.load(id: record.id).status == from)
            #expect(try store.history(caseID: record.id).count == before)
        }
    }

    @Test func theTableMatchesDomainMD() {
        #expect(CaseStatus.received.next == [.confirmed, .canceled])
        #expect(CaseStatus.confirmed.next == [.arrived, .canceled])
        #expect(CaseStatus.arrived.next == [.assessing])
        #expect(CaseStatus.assessing.next == [.assessed])
        #expect(CaseStatus.assessed.next == [.approved, .canceled, .assessing])
        #expect(CaseStatus.approved.next == [.purchased, .canceled])
        #expect(CaseStatus.purchased.next == [.paid])
        #expect(CaseStatus.paid.next.isEmpty && CaseStatus.canceled.next.isEmpty)
    }

    @Test(arguments: StoreBackend.all) func refusalMessageNamesCaseStatusAndAction(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (record, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        do {
            _ = try store.purchase(code: record.code, by: .staff("佐藤"), settings: Fixtures.settings)
            Issue.record("purchase of a received case must be refused")
        } catch let error as StoreError {
            #expect(error.description == "case \(record.code) is received (申込受付中); cannot purchase; next: confirm it (kaitori case confirm \(record.code))")
        }
    }

    @Test(arguments: StoreBackend.all) func wholeStaffPathRecordsHistoryWithActors(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let assessed = try Fixtures.assessedCase(store)
        #expect(assessed.status == .assessed)
        #expect(assessed.reviewToken != nil)
        #expect(assessed.reviewExpiresAt == Int64(1_790_000_000 + 21 * 86_400))
        let history = try store.history(caseID: assessed.id)
        #expect(history.map(\.to) == [.received, .confirmed, .arrived, .assessing, .assessed])
        #expect(history.first?.by == .customer)
        #expect(history.dropFirst().allSatisfy { $0.by == .staff("tester") })
    }

    @Test(arguments: StoreBackend.all) func unassessOnlyBeforeTheCustomerAnswers(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let c = try Fixtures.assessedCase(store)
        let back = try store.unassess(code: c.code, by: .staff("tester"))
        #expect(back.status == .assessing && back.reviewToken == nil)
        let again = try store.assess(code: c.code, by: .staff("tester"), settings: Fixtures.settings)
        _ = try store.decide(token: again.reviewToken!, decision: .all, declined: [], settings: Fixtures.settings)
        #expect(throws: StoreError.self) { try store.unassess(code: c.code, by: .staff("tester")) }
        #expect(try store.load(code: c.code).status == .assessed)
    }

    @Test(arguments: StoreBackend.all) func purchaseNeedsAVerifiedID(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let c = try Fixtures.assessedCase(store)
        guard case .continueToID(let kyc) = try store.decide(token: c.reviewToken!, decision: .all, declined: [], settings: Fixtures.settings).1 else {
            Issue.record("expected the ID step"); return
        }
        let approved = try store.submitID(token: kyc, IDSubmission(idType: "drivers_license", name: "山田 太郎", address: "埼玉県", birthDate: "1985-04-12", files: [], signatureName: "山田 太郎"), settings: Fixtures.settings)
        #expect(approved.status == .approved)
        #expect(throws: StoreError.refused(code: c.code, reason: "cannot purchase: no verified ID (run `kaitori id verify \(c.code)` first); the ID check is required: 買取金額 16,000円（基準 10,000円 以上）、確認必須の品目なし")) {
            try store.purchase(code: c.code, by: .staff("tester"), settings: Fixtures.settings)
        }
        try store.db.query("UPDATE id_checks SET state = 'verified' WHERE case_id = ?", [.int(c.id)])
        let purchased = try store.purchase(code: c.code, by: .staff("tester"), settings: Fixtures.settings)
        #expect(purchased.status == .purchased)
        #expect(try store.db.query("SELECT COUNT(*) AS n FROM stock WHERE case_id = ?", [.int(c.id)]).first?.int("n") == 2)
    }
}
