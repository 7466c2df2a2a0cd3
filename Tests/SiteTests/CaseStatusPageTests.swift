import Foundation
import KaitoriCore
import SiteBuilder
import SitePages
import Testing

@Suite("Case status page")
struct CaseStatusPageTests {
    /// The store as the handler, the CLI and the console open it: every change rewrites the pages.
    func publishingStore(_ shop: FixtureShop, now: Int64) throws -> CaseStore {
        try CaseStore(path: shop.path("var/kaitori.sqlite3"), clock: FixedClock(now),
                      pages: SitePagePublisher(site: shop.root, clock: FixedClock(now), warn: { Issue.record("\($0)") }))
    }

    @Test("the status page follows every step: timeline, next step, answer, payout date, return tracking number")
    func followsEveryStep() throws {
        let shop = try FixtureShop()
        try shop.build()
        let settings = try shop.settings()
        let now = FixtureShop.start
        let staff = Actor.staff("テスト")
        let record = try shop.assessedCase(now: now)
        let token = try #require(record.statusToken)
        let page = "public/status/\(token)/index.html"

        // A full build writes it; it holds a token, so it is never indexed.
        try shop.build(now: now)
        var html = try shop.read(page)
        #expect(html.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(html.contains("<meta name=\"referrer\" content=\"no-referrer\">"))
        #expect(html.contains("<dt>受付番号</dt><dd>\(record.code)</dd>"))
        #expect(html.contains("aria-current=\"step\""))
        #expect(html.contains("査定結果をご確認ください") && html.contains("href=\"/review/\(record.reviewToken ?? "")/\""))
        #expect(!html.contains(record.customer.phone) && !html.contains(record.customer.email))
        #expect(try shop.read("public/robots.txt").contains("Disallow: /status/\n"))

        // The customer sells part: the page shows the answer and the ID step, without a build.
        let store = try publishingStore(shop, now: now + 60)
        let declined = record.items[2]
        _ = try store.decide(token: record.reviewToken ?? "", decision: .part, declined: [declined.id], settings: settings)
        html = try shop.read(page)
        #expect(html.contains("一部売却") && html.contains("本人確認書類のご提出をお願いします"))
        #expect(html.contains("<dd class=\"amount\">31,000円</dd>"))
        #expect(html.contains(declined.name) && html.contains("返送の準備をしています"))

        // Canceled by the shop: the timeline gives way to the cancellation, everything goes back.
        _ = try store.cancel(code: record.code, by: staff, settings: settings)
        html = try shop.read(page)
        #expect(html.contains("このお取引はキャンセルされました") && !html.contains("aria-current=\"step\""))
        #expect(html.contains("送料当店負担でご返送します"))

        // Staff send the items back: the carrier and tracking number appear.
        _ = try store.markReturned(code: record.code, carrier: "ヤマト運輸", tracking: "4321-8765-0987", by: staff, settings: settings)
        html = try shop.read(page)
        #expect(html.contains("<dt>配送業者</dt><dd>ヤマト運輸</dd>"))
        #expect(html.contains("<dd class=\"tracking\">432187650987</dd>"))
        #expect(!html.contains("返送の準備をしています"))
    }

    @Test("a new case has its status page at once (rendered from the store, no file on the post's path), saying what to do with the choice made on the form")
    func newCase() throws {
        let shop = try FixtureShop()
        try shop.build()
        let settings = try shop.settings()
        let now = FixtureShop.start
        let store = try publishingStore(shop, now: now)
        let renderer = try SiteRenderer.load(site: shop.root)
        func apply(kit: Bool, pickup: String) throws -> (Case, String) {
            let application = Application(
                customer: Customer(name: "山田 太郎", kana: "ヤマダ タロウ", birthDate: "1985-04-12", occupation: "会社員",
                                   postalCode: "330-0063", prefecture: "埼玉県", address: "さいたま市浦和区高砂2-8-14",
                                   phone: "09012345678", email: "taro@example.jp", contact: .email),
                payout: Payout(method: "cash_registered"), items: [DeclaredItem(category: "game", description: "ゲーム機", quantity: 1)],
                kit: kit, pickupDate: pickup, pickupSlot: pickup.isEmpty ? "" : "am")
            let record = try store.create(application, settings: settings).0
            let token = try #require(record.statusToken)
            // The application's post writes no page file: the web server hands the link to the
            // handler, which renders this same page until the case's first change writes the file.
            #expect(!shop.exists("public/status/\(token)"))
            return (record, try #require(try CasePages.page(.status, token: token, store: store, renderer: renderer, now: now)))
        }
        let (_, plain) = try apply(kit: false, pickup: "")
        #expect(plain.contains("お品物をお送りください") && plain.contains("<address class=\"ship-to\">"))
        let (kitCase, kitPage) = try apply(kit: true, pickup: "")
        #expect(kitPage.contains("梱包キットをお送りします") && !kitPage.contains("<address class=\"ship-to\">"))
        let date = CivilDate(unixTime: now).adding(days: 3)
        let (_, pickupPage) = try apply(kit: false, pickup: date.iso)
        #expect(pickupPage.contains("集荷にお伺いします") && pickupPage.contains("\(date.japanese) 午前中"))

        // Staff record the kit as sent: the page shows the tracking number at once.
        _ = try store.markKitSent(code: kitCase.code, carrier: "佐川急便", tracking: "5555-6666-7777", by: .staff("テスト"),
                                  settings: settings)
        let sent = try shop.read("public/status/\(kitCase.statusToken ?? "")/index.html")
        #expect(sent.contains("梱包キットをお送りしました") && sent.contains("佐川急便 お問い合わせ番号 555566667777"))
    }

    @Test("a finished case keeps its page for a while, then the page goes")
    func finishedCasesLoseTheirPage() throws {
        let shop = try FixtureShop()
        try shop.build()
        let record = try shop.assessedCase(now: FixtureShop.start)
        let store = try shop.store(now: FixtureShop.start)
        _ = try store.cancel(code: record.code, by: .staff("テスト"), settings: try shop.settings())
        _ = try store.markReturned(code: record.code, carrier: "ヤマト運輸", tracking: "1234", by: .staff("テスト"),
                                   settings: try shop.settings())
        let token = try #require(record.statusToken)
        try shop.build(now: FixtureShop.start + 89 * 86_400)
        #expect(shop.exists("public/status/\(token)/index.html"))
        try shop.build(now: FixtureShop.start + 91 * 86_400)
        #expect(!shop.exists("public/status/\(token)"))
    }
}
