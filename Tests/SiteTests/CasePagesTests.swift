import Foundation
import KaitoriCore
import SiteBuilder
import SitePages
import Testing

@Suite("Review and ID pages")
struct CasePagesTests {
    static let day: Int64 = 86_400

    @Test("an assessed case gets a review page with its items, total and three answers")
    func reviewPage() throws {
        let shop = try FixtureShop()
        try shop.build()
        let record = try shop.assessedCase(now: FixtureShop.start)
        let report = try shop.build(now: FixtureShop.start + 60)
        #expect(report.casePages == 2, "the review page and the status page")
        let token = try #require(record.reviewToken)
        let html = try shop.read("public/review/\(token)/index.html")
        #expect(html.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(html.contains("<meta name=\"referrer\" content=\"no-referrer\">"))
        #expect(!html.contains("rel=\"canonical\""))
        #expect(html.contains("まる福 宅配買取センター"))
        #expect(html.contains("<dt>受付番号</dt><dd>\(record.code)</dd>"))
        #expect(html.contains("action=\"/cgi-bin/kaitori/review/\(token)\""))
        for item in record.items {
            #expect(html.contains(item.name))
            #expect(html.contains("name=\"decline\" value=\"\(item.id)\""))
            #expect(html.contains("data-subtotal=\"\(item.subtotal)\""))
        }
        #expect(html.contains("<p class=\"item-card__grade\">中古A</p>"))
        #expect(html.contains("<div><dt>数量</dt><dd>2点</dd></div>"))
        #expect(html.contains("<div><dt>単価</dt><dd>3,500円</dd></div>"))
        #expect(html.contains("<dd>7,000円</dd>"))
        #expect(html.contains("付属品がすべてそろっています。"))
        #expect(html.contains("<strong class=\"total__value\">35,200円</strong>"))
        for decision in ["all", "part", "cancel"] { #expect(html.contains("name=\"decision\" value=\"\(decision)\"")) }
        #expect(html.contains("<dt>ご回答期限</dt><dd>2026年12月12日まで</dd>"))
        #expect(!html.contains(record.customer.phone), "the static page must not carry the customer's phone number")
        #expect(!html.contains(record.customer.email))
    }

    @Test("the review page disappears at the end of the validity period, in a build and in a per-case write")
    func expiry() throws {
        let shop = try FixtureShop()
        try shop.build()
        let record = try shop.assessedCase(now: FixtureShop.start)
        let token = try #require(record.reviewToken)
        let expires = try #require(record.reviewExpiresAt)
        #expect(expires == FixtureShop.start + 21 * CasePagesTests.day)

        try shop.build(now: expires - 1)
        #expect(shop.exists("public/review/\(token)/index.html"))
        try shop.build(now: expires)
        #expect(!shop.exists("public/review/\(token)"))
        #expect(CasePageManifest.pages(site: shop.root, code: record.code) == ["status/\(record.statusToken ?? "")/index.html"])

        try shop.build(now: FixtureShop.start)
        #expect(shop.exists("public/review/\(token)/index.html"))
        try SiteBuilder(site: shop.root, now: expires + 1).rebuildCase(code: record.code)
        #expect(!shop.exists("public/review/\(token)"))
        #expect(shop.exists("public/review/index.html"))
    }

    @Test("a per-case rebuild touches only that case's files")
    func perCaseRebuild() throws {
        let shop = try FixtureShop()
        try shop.build()
        let first = try shop.assessedCase(now: FixtureShop.start)
        let second = try shop.assessedCase(now: FixtureShop.start)
        try shop.build(now: FixtureShop.start + 60)
        let before = try shop.snapshot()

        let store = try shop.store(now: FixtureShop.start + CasePagesTests.day)
        let (_, outcome) = try store.decide(token: try #require(first.reviewToken), decision: .part,
                                            declined: [first.items[2].id], settings: try shop.settings())
        guard case .continueToID(let kycToken) = outcome else {
            Issue.record("a partial sale continues to the ID step")
            return
        }
        // The page files are written at least a second apart from the build, so an mtime change shows.
        Thread.sleep(forTimeInterval: 1.1)
        let count = try SiteBuilder(site: shop.root, now: FixtureShop.start + CasePagesTests.day).rebuildCase(code: first.code)
        #expect(count == 3, "review, ID and status pages")
        let after = try shop.snapshot()

        let firstReview = "review/\(try #require(first.reviewToken))/index.html"
        let firstID = "kyc/\(kycToken)/index.html"
        let firstStatus = "status/\(try #require(first.statusToken))/index.html"
        #expect(before[firstID] == nil)
        #expect(after[firstID] != nil)
        #expect(before[firstReview]?.bytes != after[firstReview]?.bytes)
        #expect(before[firstStatus]?.bytes != after[firstStatus]?.bytes)
        for (path, state) in before where path != firstReview && path != firstStatus {
            #expect(after[path] == state, "\(path) changed")
        }
        #expect(Set(after.keys) == Set(before.keys).union([firstID]))
        #expect(after["review/\(try #require(second.reviewToken))/index.html"] != nil)
        #expect(CasePageManifest.pages(site: shop.root, code: first.code) == [firstReview, firstID, firstStatus])
        #expect(CasePageManifest.pages(site: shop.root, code: second.code)
                == ["review/\(second.reviewToken!)/index.html", "status/\(second.statusToken!)/index.html"])
    }

    @Test("once answered, the review page shows the answer and links to the ID page")
    func answered() throws {
        let shop = try FixtureShop()
        try shop.build()
        let record = try shop.assessedCase(now: FixtureShop.start)
        let token = try #require(record.reviewToken)
        let store = try shop.store(now: FixtureShop.start + 3_600)
        let (_, outcome) = try store.decide(token: token, decision: .part, declined: [record.items[2].id], settings: try shop.settings())
        guard case .continueToID(let kycToken) = outcome else {
            Issue.record("a partial sale continues to the ID step")
            return
        }
        try SiteBuilder(site: shop.root, now: FixtureShop.start + 3_600).rebuildCase(code: record.code)
        let html = try shop.read("public/review/\(token)/index.html")
        #expect(!html.contains("name=\"decision\""))
        #expect(html.contains("「一部売却」とご回答いただきました。"))
        #expect(html.contains("<strong class=\"total__value\">31,000円</strong>"))
        #expect(html.contains("<h2>ご返送するお品物</h2>"))
        #expect(html.contains("href=\"/kyc/\(kycToken)/\""))

        let kyc = try shop.read("public/kyc/\(kycToken)/index.html")
        #expect(kyc.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(kyc.contains("<meta name=\"referrer\" content=\"no-referrer\">"))
        #expect(kyc.contains("method=\"post\" action=\"/cgi-bin/kaitori/kyc/\(kycToken)\" enctype=\"multipart/form-data\""))
        let names = Set(attributeValues("name", in: kyc))
        for field in ["id_type", "id_front", "id_back", "name", "address", "birth_date", "signature", "signature_name", "agree"] {
            #expect(names.contains(field), "the ID page has no \(field)")
        }
        #expect(kyc.contains("accept=\"image/jpeg,image/png,image/heic,application/pdf\""))
        for type in try shop.settings().idTypes { #expect(kyc.contains("<option value=\"\(type.id)\"")) }
        #expect(kyc.contains("<option value=\"drivers_license\" data-back=\"true\">運転免許証</option>"))
        #expect(kyc.contains("お買取り金額の合計<strong class=\"total__value\">31,000円</strong>"))
        #expect(!kyc.contains("受け付けました"))

        _ = try store.submitID(token: kycToken, IDSubmission(idType: "drivers_license", name: "山田 太郎", address: "埼玉県",
                                                            birthDate: "1985-04-12", files: [], signatureName: "山田 太郎"),
                               settings: try shop.settings())
        try SiteBuilder(site: shop.root, now: FixtureShop.start + 7_200).rebuildCase(code: record.code)
        let done = try shop.read("public/kyc/\(kycToken)/index.html")
        #expect(done.contains("受け付けました"))
        #expect(!done.contains("<form"))
        let approved = try shop.read("public/review/\(token)/index.html")
        #expect(approved.contains("本人確認書類とご署名も受け付けております。"))
        #expect(!approved.contains("/kyc/\(kycToken)/"))
    }

    @Test("canceling everything shows the answer and every item as returned, with no ID page")
    func canceled() throws {
        let shop = try FixtureShop()
        try shop.build()
        let record = try shop.assessedCase(now: FixtureShop.start)
        let token = try #require(record.reviewToken)
        let store = try shop.store(now: FixtureShop.start + 3_600)
        _ = try store.decide(token: token, decision: .cancel, declined: [], settings: try shop.settings())
        try shop.build(now: FixtureShop.start + 3_600)
        let html = try shop.read("public/review/\(token)/index.html")
        #expect(html.contains("「すべてキャンセル」とご回答いただきました。"))
        #expect(html.contains("<h2>ご返送するお品物</h2>"))
        #expect(!html.contains("<h2>お買取りするお品物</h2>"))
        #expect(!html.contains("/kyc/"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: shop.path("public/kyc")) == ["index.html"])
    }

    @Test("a reissued link replaces the old page; a withdrawn assessment removes it")
    func reissueAndWithdraw() throws {
        let shop = try FixtureShop()
        try shop.build()
        let record = try shop.assessedCase(now: FixtureShop.start)
        let oldToken = try #require(record.reviewToken)
        try shop.build(now: FixtureShop.start)
        let store = try shop.store(now: FixtureShop.start + CasePagesTests.day)
        let reissued = try store.reissueReviewLink(code: record.code, by: .staff("テスト"), settings: try shop.settings())
        let newToken = try #require(reissued.reviewToken)
        let builder = SiteBuilder(site: shop.root, now: FixtureShop.start + CasePagesTests.day)
        try builder.rebuildCase(code: record.code)
        #expect(!shop.exists("public/review/\(oldToken)"))
        #expect(shop.exists("public/review/\(newToken)/index.html"))

        _ = try store.unassess(code: record.code, by: .staff("テスト"))
        #expect(try builder.rebuildCase(code: record.code) == 1, "the status page only")
        #expect(!shop.exists("public/review/\(newToken)"))
        #expect(CasePageManifest.pages(site: shop.root, code: record.code) == ["status/\(record.statusToken ?? "")/index.html"])
    }

    @Test("a per-case write waits for a running build's lock")
    func waitsForLock() throws {
        let shop = try FixtureShop()
        try shop.build()
        let record = try shop.assessedCase(now: FixtureShop.start)
        let lock = try BuildLock.acquire(site: shop.root)
        let finished = LockedFlag()
        let thread = Thread {
            _ = try? SiteBuilder(site: shop.root, now: FixtureShop.start).rebuildCase(code: record.code)
            finished.set()
        }
        thread.start()
        Thread.sleep(forTimeInterval: 0.5)
        #expect(!finished.value)
        #expect(!shop.exists("public/review/\(record.reviewToken!)"))
        lock.release()
        for _ in 0..<100 where !finished.value { Thread.sleep(forTimeInterval: 0.05) }
        #expect(finished.value)
        #expect(shop.exists("public/review/\(record.reviewToken!)/index.html"))
    }

    @Test("case pages written on several threads are the same files, manifest and count as on one")
    func severalThreadsWriteTheSamePages() throws {
        let shop = try FixtureShop()
        try shop.build()
        var codes: [String] = []
        for _ in 0..<7 { codes.append(try shop.assessedCase(now: FixtureShop.start).code) }
        var builder = SiteBuilder(site: shop.root, now: FixtureShop.start + 60)
        builder.caseThreads = 1
        let one = try builder.build()
        let onePages = try shop.snapshot().mapValues(\.bytes)
        let oneManifest = codes.map { CasePageManifest.pages(site: shop.root, code: $0) }
        builder.caseThreads = 3
        let three = try builder.build()
        #expect(one.casePages == 14 && three.casePages == one.casePages, "a review and a status page a case")
        #expect(try shop.snapshot().mapValues(\.bytes) == onePages)
        #expect(codes.map { CasePageManifest.pages(site: shop.root, code: $0) } == oneManifest)
        #expect(oneManifest.allSatisfy { $0.count == 2 })
    }

    @Test("a per-case write needs a built site")
    func needsBuiltSite() throws {
        let shop = try FixtureShop()
        #expect(throws: SiteError.self) { try SiteBuilder(site: shop.root, now: FixtureShop.start).rebuildCase(code: "ABCD-2345") }
    }
}

final class LockedFlag: @unchecked Sendable {
    private let lock = NSLock()
    private var flag = false
    var value: Bool { lock.withLock { flag } }
    func set() { lock.withLock { flag = true } }
}
