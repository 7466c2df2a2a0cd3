import Foundation
import KaitoriCore
import Testing

/// The spam and abuse limits (`abuse:` in shop.yml) through the real `kaitori-cgi`: a per-address
/// rate limit per route, a daily cap per email and phone, and a minimum time from the signed
/// confirmation page; each refusal stores nothing and is in the shop's feed.
@Suite struct AbuseTests {
    /// The sample shop with `abuse:` added to shop.yml, rebuilt.
    static func shop(_ settings: String) throws -> TestShop {
        let shop = try TestShop()
        let yml = try String(contentsOfFile: shop.dir + "/shop.yml", encoding: .utf8)
        try (yml + "\nabuse:\n" + settings).write(toFile: shop.dir + "/shop.yml", atomically: true, encoding: .utf8)
        let (status, output) = try TestShop.runTool(Products.cli, ["build", "--site", shop.dir])
        guard status == 0 else { throw CGIRun.Failure("kaitori build failed: \(output)") }
        return shop
    }

    static func refusals(_ shop: TestShop) throws -> [String] {
        try shop.store().db.query("SELECT detail FROM events WHERE kind = 'refused' ORDER BY id").map { $0.string("detail") }
    }

    static func distinct(_ i: Int) -> [String: String] {
        ["email": "user\(i)@example.jp", "phone": "090-0000-\(String(format: "%04d", i))"]
    }

    @Test func aBurstFromOneAddressGetsA429AndNothingStoredWhileOthersAreServed() throws {
        let shop = try Self.shop("  posts_per_window: 3\n  window_minutes: 10\n")
        for i in 0..<3 { #expect(try shop.post("/apply", .application(Self.distinct(i))).status == 303) }
        let before = try shop.rowCounts()
        for i in 3..<6 {
            let refused = try shop.post("/apply", .application(Self.distinct(i)))
            #expect(refused.status == 429, "\(refused.log)")
            #expect(refused.body.contains("分ほどおいてから、もう一度お試しください"))
            #expect(Int(refused.header("Retry-After") ?? "") ?? 0 > 0)
        }
        var after = try shop.rowCounts()
        after["events"] = before["events"]
        #expect(after == before, "nothing stored for a refused post")
        // One feed entry for the whole burst from this address.
        let feed = try Self.refusals(shop)
        #expect(feed.count == 1 && feed[0].contains("203.0.113.7") && feed[0].contains("申込フォーム"), "\(feed)")
        // Another address is served; the confirmation step counts too.
        let other = try shop.post("/apply", .application(Self.distinct(9)), environment: ["REMOTE_ADDR": "198.51.100.4"])
        #expect(other.status == 303, "\(other.log)")
        let confirm = try shop.post("/apply", .application(["step": "confirm"]))
        #expect(confirm.status == 429)
        // The window ends: the first address is served again.
        let later = try shop.post("/apply", .application(Self.distinct(10)), environment: ["KAITORI_NOW": String(Int(Date().timeIntervalSince1970) + 601)])
        #expect(later.status == 303, "\(later.log)")
    }

    @Test func theReviewAndIDRoutesAreLimitedToo() throws {
        let shop = try Self.shop("  posts_per_window: 2\n")
        let record = try shop.assessedCase()
        let token = try #require(record.reviewToken)
        for _ in 0..<2 { _ = try shop.post("/review/\(token)", .urlencoded([("decision", "all"), ("step", "confirm")])) }
        let refused = try shop.post("/review/\(token)", .urlencoded([("decision", "all")]))
        #expect(refused.status == 429, "\(refused.log)")
        #expect(try shop.store().load(code: record.code).decision == nil)
        #expect(try Self.refusals(shop).contains { $0.contains("査定回答") })
    }

    @Test func aDailyCapPerEmailAndPerPhone() throws {
        let shop = try Self.shop("  applications_per_email_per_day: 2\n  applications_per_phone_per_day: 3\n")
        for i in 0..<2 { #expect(try shop.post("/apply", .application(["phone": "090-1111-000\(i)"])).status == 303) }
        let sameEmail = try shop.post("/apply", .application(["phone": "090-1111-0009"]))
        #expect(sameEmail.status == 429 && sameEmail.body.contains("同じメールアドレスでのお申込み"), "\(sameEmail.log)")
        #expect(try shop.count("cases") == 2)
        #expect(try shop.post("/apply", .application(["email": "other@example.jp", "phone": "090-1111-0000"])).status == 303)
        let samePhone = try shop.post("/apply", .application(["email": "third@example.jp", "phone": "090-1111-0000"]))
        #expect(samePhone.status == 303, "phone 0000 has two applications, the cap is three")
        let fourth = try shop.post("/apply", .application(["email": "fourth@example.jp", "phone": "090-1111-0000"]))
        #expect(fourth.status == 429 && fourth.body.contains("同じ電話番号"))
        #expect(try shop.count("cases") == 4)
        let feed = try Self.refusals(shop)
        #expect(feed.count == 2 && feed[0].contains("メールアドレス") && feed[1].contains("電話番号"), "\(feed)")
        // A day later the same email is accepted again.
        let tomorrow = try shop.post("/apply", .application(["phone": "090-2222-0000"]),
                                     environment: ["KAITORI_NOW": String(Int(Date().timeIntervalSince1970) + 86_401)])
        #expect(tomorrow.status == 303, "\(tomorrow.log)")
    }

    /// The confirmation page carries a signed timestamp; the final post is refused softly (the
    /// applied page of a case never stored) without one, with a forged one, or too soon.
    @Test func theFinalPostNeedsTheSignedConfirmationPageAndTime() throws {
        let shop = try Self.shop("  minimum_confirm_seconds: 5\n")
        let t0 = 1_800_000_000
        let confirm = try shop.post("/apply", .application(["step": "confirm"]), environment: ["KAITORI_NOW": String(t0)])
        #expect(confirm.status == 200)
        let token = try #require(Self.hiddenValue("form_token", in: confirm.body))
        #expect(token.hasPrefix("\(t0)."))
        func submit(_ token: String?, at time: Int) throws -> CGIRun {
            var fields = Form.applicationFields(["step": "submit"])
            if let token { fields.append(("form_token", token)) }
            return try shop.post("/apply", .urlencoded(fields), environment: ["KAITORI_NOW": String(time)])
        }
        for (label, response) in [("none", try submit(nil, at: t0 + 30)), ("too fast", try submit(token, at: t0 + 2)),
                                  ("forged", try submit("\(t0).\(String(repeating: "0", count: 64))", at: t0 + 30)),
                                  ("other time", try submit("\(t0 - 100)." + token.split(separator: ".")[1], at: t0 + 30))] {
            #expect(response.status == 303 && response.header("Location")?.contains("/applied/") == true, "\(label)")
        }
        #expect(try shop.count("cases") == 0)
        let feed = try Self.refusals(shop)
        #expect(feed.count == 4 && feed.filter { $0.contains("署名") }.count == 3 && feed[1].contains("2秒"), "\(feed)")
        // A person who read the page: stored.
        let ok = try submit(token, at: t0 + 6)
        let stored = try shop.count("cases")
        #expect(ok.status == 303 && stored == 1, "\(ok.log)")
        // A page left open for more than a day: the confirmation page again, freshly signed.
        let stale = try submit(token, at: t0 + 90_000)
        #expect(stale.status == 200 && Self.hiddenValue("form_token", in: stale.body)?.hasPrefix("\(t0 + 90_000).") == true)
    }

    @Test func theHoneypotIsCountedInTheFeedWhenLimitsAreOn() throws {
        let shop = try Self.shop("  posts_per_window: 20\n")
        let response = try shop.post("/apply", .application(["website": "http://spam.example"]))
        let stored = try shop.count("cases")
        #expect(response.status == 303 && stored == 0)
        #expect(try Self.refusals(shop).first?.contains("隠し項目") == true)
        let feed = try shop.store().feed()
        #expect(feed.contains { $0.kind == "refused" && $0.kindLabel == "受付拒否" && $0.code == nil })
    }

    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }
    }
}
