import Foundation
import KaitoriCore
import StoreTestSupport
import Testing

/// The core steps and reads the staff console added: per-case arrival memos, the payout method,
/// the dashboard's waiting kinds, read marks, the documents' stylesheet.
@Suite struct ConsoleOperationsTests {
    @Test(arguments: StoreBackend.all) func bulkArrivalKeepsEachCasesOwnMemoWhetherTickedOrNot(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let first = try shop.confirmedCase(name: "佐藤 花子", kana: "サトウ ハナコ", phone: "09011110001")
        let second = try shop.confirmedCase(name: "佐藤 一郎", kana: "サトウ イチロウ", phone: "09011110002")
        let outcome = try shop.store.arriveInBulk(search: "佐藤", picks: [], codes: [first.code], memo: "",
                                                  memos: [first.code: "1箱目", second.code: " 2箱目未着 "],
                                                  by: Shop.staff, settings: shop.settings)
        #expect(outcome.arrived.map(\.code) == [first.code])
        #expect(outcome.memoOnly.map(\.code) == [second.code])
        #expect(try shop.store.load(code: second.code).status == .confirmed)
        #expect(try shop.memos(first) == ["1箱目"])
        #expect(try shop.memos(second) == ["2箱目未着"])
    }

    @Test(arguments: StoreBackend.all) func aMemoForACaseOutsideTheSearchChangesNothing(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let sato = try shop.confirmedCase(name: "佐藤 花子", kana: "サトウ ハナコ", phone: "09011110001")
        let other = try shop.confirmedCase(name: "鈴木 一郎", kana: "スズキ イチロウ", phone: "08022223333")
        #expect(throws: StoreError.refused(code: other.code, reason: "a memo for a case that is not among the cases in play")) {
            try shop.store.arriveInBulk(search: "佐藤", picks: [], codes: [sato.code], memo: "", memos: [other.code: "x"],
                                        by: Shop.staff, settings: shop.settings)
        }
        #expect(try shop.store.load(code: sato.code).status == .confirmed)
        #expect(try shop.memos(sato).isEmpty && shop.memos(other).isEmpty)
    }

    @Test(arguments: StoreBackend.all) func payoutIsCheckedAsTheFormChecksItAndRecordedInTheHistory(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.confirmedCase()
        #expect {
            try shop.store.setPayout(code: c.code, FormValues([("payout", "bank_transfer"), ("bank_code", "12")]), by: Shop.staff,
                                     settings: shop.settings)
        } throws: { error in
            guard case StoreError.refused(_, let reason) = error else { return false }
            return reason.contains("bank_code: 金融機関コードは4桁") && reason.contains("account_holder")
        }
        #expect(try shop.store.load(code: c.code).payout.accountNumber == "1234567")
        let cash = try #require(shop.settings.payoutMethods.first { $0.id != Payout.bankTransfer })
        let changed = try shop.store.setPayout(code: c.code, FormValues([("payout", cash.id)]), by: .staff("佐藤"), settings: shop.settings)
        #expect(changed.payout.method == cash.id)
        let last = try #require(try shop.store.history(caseID: c.id).last)
        #expect(last.by == .staff("佐藤") && last.note.contains(cash.id) && last.from == last.to)
        let back = try shop.store.setPayout(code: c.code, FormValues([("payout", "bank_transfer"), ("bank_code", "０００５"),
                                                                      ("branch_code", "123"), ("account_type", "1"),
                                                                      ("account_number", "7654321"), ("account_holder", "やまだ たろう")]),
                                            by: Shop.staff, settings: shop.settings)
        #expect(back.payout.bankCode == "0005" && back.payout.accountHolder.hasPrefix("ヤマダ") && back.payout.accountHolder.hasSuffix("タロウ"))
    }

    @Test(arguments: StoreBackend.all) func theCLIsPayoutVerbCallsTheSameStep(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.confirmedCase()
        #expect(shop.kaitori("case", "payout", c.code, "--method", "bank_transfer", "--bank-code", "12") == 1)
        #expect(try shop.store.load(code: c.code).payout.bankCode == "0005")
        let cash = try #require(shop.settings.payoutMethods.first { $0.id != Payout.bankTransfer })
        #expect(shop.kaitori("case", "payout", c.code, "--method", cash.id) == 0)
        #expect(try shop.store.load(code: c.code).payout.method == cash.id)
        #expect(try shop.store.history(caseID: c.id).last?.by == .staff("tester"))
    }

    @Test(arguments: StoreBackend.all) func aPaidCasesPayoutCannotChange(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let purchased = try shop.purchasedCase()
        _ = try shop.store.pay(codes: [purchased.code], by: Shop.staff, settings: shop.settings)
        #expect(throws: StoreError.self) {
            try shop.store.setPayout(code: purchased.code, FormValues([("payout", "bank_transfer")]), by: Shop.staff, settings: shop.settings)
        }
    }

    @Test(arguments: StoreBackend.all) func theDashboardCountsWhatWaitsByKind(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let received = try shop.store.create(Shop.application(), settings: shop.settings).0
        _ = try shop.confirmedCase()
        _ = try shop.assessingCase()
        let approved = try shop.approvedCase()
        let waiting = Dictionary(uniqueKeysWithValues: try shop.store.waiting().map { ($0.kind, $0) })
        #expect(waiting[.applications]?.count == (shop.settings.autoConfirm ? 0 : 1))
        #expect(waiting[.parcels]?.count == (shop.settings.autoConfirm ? 2 : 1))
        #expect(waiting[.assessment]?.count == 1)
        #expect(waiting[.answers]?.count == 1)
        #expect(waiting[.ids]?.count == 1)
        #expect(waiting[.payments]?.count == 0 && waiting[.payments]?.oldestSince == nil)
        #expect(waiting[.returns]?.count == 1)
        #expect(try shop.store.codes(waiting: .ids) == [approved.code])
        #expect(waiting[.ids]?.daysWaited(at: shop.store.clock.now() + 3 * 86_400 + 5) == 3)
        _ = received
    }

    @Test(arguments: StoreBackend.all) func readMarksStopAtWhatTheReaderWasShown(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        _ = try shop.store.create(Shop.application(), settings: shop.settings)
        let shown = try #require(try shop.store.feed(includeSeen: false, markSeen: false).last)
        _ = try shop.store.create(Shop.application(), settings: shop.settings)
        #expect(try shop.store.unreadEventCount() == 2)
        #expect(try shop.store.markEventsRead(upTo: shown.id) == 1)
        #expect(try shop.store.unreadEventCount() == 1)
    }

    @Test func theDocumentsStylesheetIsTheirStyleElement() throws {
        let css = CaseDocument.stylesheet
        #expect(css.contains("@page") && !css.contains("<style>") && !css.contains("</style>"))
        let html = "<head><style>a{}</style></head>"
        let range = try #require(CaseDocument.styleElementRange(in: html))
        #expect(html[range] == "<style>a{}</style>")
    }
}
