import Foundation
import KaitoriCore
import Payouts
import SettingsFile
import Testing
import Zengin

@Suite struct PayoutTests {
    static let root: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
    let settings = try! SettingsFile.require(site: PayoutTests.root)

    func tempStore() throws -> CaseStore {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-pay-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return try CaseStore.open(site: dir, clock: FixedClock(1_790_000_000), pages: nil)
    }

    /// A purchased bank-transfer case worth `price`, paid to `holder`.
    func purchased(_ store: CaseStore, holder: String = "ヤマダ　タロウ", account: String = "1234567", price: Int = 12_000) throws -> Case {
        let customer = Customer(name: "山田 太郎", kana: "ヤマダ　タロウ", birthDate: "1985-04-12", occupation: "会社員",
                                postalCode: "330-0063", prefecture: "埼玉県", address: "さいたま市浦和区高砂1-2-3",
                                phone: "09012345678", email: "taro@example.jp", contact: .email)
        let payout = Payout(method: Payout.bankTransfer, bankCode: "0005", branchCode: "123", accountType: 1,
                            accountNumber: account, accountHolder: holder)
        let app = Application(customer: customer, payout: payout, items: [DeclaredItem(category: "game", description: "Switch", quantity: 1)])
        var (c, _) = try store.create(app, settings: settings, initialStatus: .approved, notify: false)
        try store.db.query("INSERT INTO items (case_id, position, name, quantity, unit_price) VALUES (?,1,'Switch',1,?)", [.int(c.id), .int(Int64(price))])
        try store.db.query("INSERT INTO id_checks (case_id, token, created_at, state) VALUES (?,?,0,'verified')", [.int(c.id), .text(Identifiers.token())])
        c = try store.purchase(code: c.code, by: .staff("経理"), settings: settings)
        return c
    }

    @Test func exportBuildsValidRecordsWithTotals() throws {
        let store = try tempStore()
        _ = try purchased(store, price: 12_000)
        _ = try purchased(store, holder: "カブシキガイシャ　キャノンショウジ", account: "7654321", price: 3_500)
        let file = try TransferExport.build(cases: try store.payableBankTransfers(), settings: settings, date: "1125")
        let bytes = try file.encode()
        #expect(bytes.count == 122 * 5)
        let records = stride(from: 0, to: bytes.count, by: 122).map { Array(bytes[$0..<$0 + 122]) }
        #expect(records.allSatisfy { $0[120] == 0x0D && $0[121] == 0x0A })
        #expect(records.map { $0[0] } == Array("12289".utf8))
        let trailer = String(decoding: records[3][1..<19], as: UTF8.self)
        #expect(trailer == "000002000000015500")
        #expect(file.transfers[1].payeeName == "ｶ)ｷﾔﾉﾝｼﾖｳｼﾞ")
        #expect(try TransferFile.decode(bytes) == file)
    }

    @Test func exportRefusesListingEveryBadCase() throws {
        let store = try tempStore()
        let good = try purchased(store)
        let bad1 = try purchased(store, holder: "山田太郎")
        let bad2 = try purchased(store, account: "12")
        do {
            _ = try TransferExport.build(cases: try store.payableBankTransfers(), settings: settings, date: "1125")
            Issue.record("export with invalid accounts must be refused")
        } catch let refused as TransferExport.Refused {
            #expect(Set(refused.problems.map(\.code)) == [bad1.code, bad2.code])
            #expect(refused.problems.contains { $0.code == bad1.code && $0.field == "account_holder" })
            #expect(refused.problems.contains { $0.code == bad2.code && $0.field == "account_number" })
            #expect(!refused.problems.contains { $0.code == good.code })
        }
    }

    @Test func batchesKeepCasesOutOfASecondFile() throws {
        let store = try tempStore()
        let c = try purchased(store)
        try store.recordPayoutBatch(transferDate: "1125", fileName: "a.txt", cases: [c])
        #expect(try store.payableBankTransfers().isEmpty)
        #expect(try store.payableBankTransfers(includeExported: true).map(\.code) == [c.code])
    }

    @Test func payByCodesIsAllOrNothing() throws {
        let store = try tempStore()
        let a = try purchased(store)
        let b = try purchased(store, account: "7654321")
        #expect(throws: StoreError.self) {
            try store.pay(codes: [a.code, "ZZZZ-ZZZZ"], by: .staff("経理"), settings: settings)
        }
        #expect(try store.load(code: a.code).status == .purchased)
        let paid = try store.pay(codes: [a.code, b.code.lowercased()], by: .staff("経理"), settings: settings)
        #expect(paid.map(\.status) == [.paid, .paid])
        #expect(try store.history(caseID: a.id).last?.to == .paid)
        #expect(throws: StoreError.self) { try store.pay(codes: [a.code], by: .staff("経理"), settings: settings) }
    }

    @Test func transferFileMatchesExactlyItsRecords() throws {
        let store = try tempStore()
        let a = try purchased(store, price: 12_000)
        let b = try purchased(store, account: "7654321", price: 3_500)
        let other = try purchased(store, account: "1111111", price: 800)
        let file = try TransferExport.build(cases: [a, b], settings: settings, date: "1125")
        let decoded = try TransferFile.decode(try file.encode())
        let codes = try TransferMatch.codes(for: decoded, candidates: try store.payableBankTransfers(includeExported: true))
        #expect(codes == [a.code, b.code])
        #expect(!codes.contains(other.code))

        var tampered = file
        tampered.transfers[1].amount = 3_600
        #expect(throws: TransferMatch.Unmatched.self) {
            try TransferMatch.codes(for: tampered, candidates: try store.payableBankTransfers(includeExported: true))
        }
    }
}
