import Foundation
import KaitoriCore
import SettingsFile
import SitePages
import Testing

/// The single regeneration path: a store opened with `SitePagePublisher` rewrites a case's pages
/// after every committed change, whoever made it, and publishes nothing for a rolled-back one.
@Suite("Page publisher")
struct PagePublisherTests {
    final class Warnings { var lines: [String] = [] }

    func publishingStore(_ shop: FixtureShop, now: Int64, warnings: Warnings) throws -> CaseStore {
        try CaseStore(path: shop.path("var/kaitori.sqlite3"), clock: FixedClock(now),
                      pages: SitePagePublisher(site: shop.root, clock: FixedClock(now), warn: { warnings.lines.append($0) }))
    }

    @Test("staff steps through the store update the pages: ID page on request, review page gone once paid")
    func pagesFollowEveryChange() throws {
        let shop = try FixtureShop()
        try shop.build()
        let warnings = Warnings()
        let settings = try shop.settings()
        let staff = Actor.staff("テスト")
        let record = try shop.assessedCase(now: FixtureShop.start)
        try shop.build(now: FixtureShop.start + 60)
        let reviewToken = try #require(record.reviewToken)
        let review = "public/review/\(reviewToken)/index.html"
        #expect(shop.exists(review))

        let store = try publishingStore(shop, now: FixtureShop.start + 3_600, warnings: warnings)
        let (_, outcome) = try store.decide(token: reviewToken, decision: .all, declined: [], settings: settings)
        guard case .continueToID(let kycToken) = outcome else { Issue.record("sell all continues to the ID step"); return }
        // The customer's answer: the review page now shows it, and the ID page exists.
        #expect(try shop.read(review).contains("name=\"decision\"") == false)
        #expect(shop.exists("public/kyc/\(kycToken)/index.html"))

        // The ID is submitted and verified, the purchase confirmed, the case paid: no caller wrote
        // a page, yet the review page is gone once the case is paid.
        _ = try store.submitID(token: kycToken, IDSubmission(idType: "drivers_license", name: "山田 太郎",
                                                             address: "埼玉県さいたま市浦和区高砂2-8-14", birthDate: "1985-04-12",
                                                             files: [], signatureName: "山田 太郎"), settings: settings)
        _ = try store.verifyID(code: record.code, addressCheck: "本人限定受取郵便 1234-5678-9012", by: staff)
        #expect(!shop.exists("public/kyc/\(kycToken)"))
        _ = try store.purchase(code: record.code, by: staff, settings: settings)
        #expect(shop.exists(review), "an answered review page stays readable until the case is paid")
        _ = try store.pay(codes: [record.code], by: staff, settings: settings, note: "")
        #expect(!shop.exists("public/review/\(reviewToken)"), "kaitori pay must not leave the answered review page public")
        #expect(warnings.lines.isEmpty)
    }

    @Test("a refused step publishes nothing and a rolled-back change leaves the pages as they were")
    func rollbackPublishesNothing() throws {
        let shop = try FixtureShop()
        try shop.build()
        let record = try shop.assessedCase(now: FixtureShop.start)
        try shop.build(now: FixtureShop.start + 60)
        let before = try shop.snapshot()
        let warnings = Warnings()
        let store = try publishingStore(shop, now: FixtureShop.start + 3_600, warnings: warnings)
        #expect(throws: StoreError.self) { try store.purchase(code: record.code, by: .staff("テスト"), settings: try shop.settings()) }
        #expect(throws: (any Error).self) {
            try store.db.transaction {
                try store.touch(caseID: record.id)
                throw StoreError.failed("injected")
            }
        }
        #expect(try shop.snapshot() == before)
        #expect(warnings.lines.isEmpty)
    }

    @Test("a site that was never built is left alone: nothing is written, nothing warned")
    func neverBuilt() throws {
        let shop = try FixtureShop()
        let warnings = Warnings()
        let store = try CaseStore.open(site: shop.root, clock: FixedClock(FixtureShop.start),
                                       pages: SitePagePublisher(site: shop.root, warn: { warnings.lines.append($0) }))
        let settings = try SettingsFile.require(site: shop.root)
        let application = Application(
            customer: Customer(name: "山田 太郎", kana: "ヤマダ タロウ", birthDate: "1985-04-12", occupation: "会社員",
                               postalCode: "330-0063", prefecture: "埼玉県", address: "さいたま市浦和区高砂2-8-14",
                               phone: "09012345678", email: "taro@example.jp", contact: .email),
            payout: Payout(method: "cash", bankCode: "", branchCode: "", accountType: 1, accountNumber: "", accountHolder: ""),
            items: [DeclaredItem(category: "game", description: "ゲーム機", quantity: 1)])
        let record = try store.create(application, settings: settings).0
        _ = try store.confirm(code: record.code, by: .staff("テスト"), settings: settings)
        #expect(!shop.exists("public/index.html"))
        #expect(warnings.lines.isEmpty)
    }
}
