import Foundation
import KaitoriCore
import Testing

@Suite struct ApplyTests {
    @Test func storesTheCaseQueuesTheMessageAndRedirectsToTheAppliedPage() throws {
        let shop = try TestShop()
        let response = try shop.post("/apply", .application())
        #expect(response.status == 303, "\(response.log)")
        expectSecurityHeaders(response)
        let code = try #require(appliedCode(response))
        let counts = try shop.rowCounts()
        #expect(counts["cases"] == 1 && counts["customers"] == 1 && counts["declared_items"] == 2 && counts["history"] == 1)
        #expect(counts["events"] == 1)
        let record = try shop.store().load(code: code)
        #expect(record.status == .received)
        #expect(record.customer.kana == "ヤマダ\u{3000}タロウ" && record.customer.phone == "09012345678")
        let outbox = try shop.store().db.query("SELECT event, recipient FROM outbox ORDER BY id")
        #expect(outbox.map { $0.string("event") }.contains("application_received"))
        #expect(outbox.contains { $0.string("recipient") == "taro@example.jp" })

        let page = try shop.request("GET", "/applied/\(code)")
        #expect(page.status == 200)
        expectSecurityHeaders(page)
        #expect(page.body.contains(code))
    }

    @Test func confirmShowsEveryValueStoresNothingAndCarriesTheFormOn() throws {
        let shop = try TestShop()
        let response = try shop.post("/apply", .application(["step": "confirm", "birth_date": "昭和60年4月12日",
                                                             "notes": "箱は2つです <b>"]))
        #expect(response.status == 200, "\(response.log)")
        expectSecurityHeaders(response)
        #expect(try shop.rowCounts().values.allSatisfy { $0 == 0 })
        for shown in ["お申し込み内容のご確認", "1985年4月12日 (昭和60年)", "〒330-0063 埼玉県さいたま市浦和区高砂1-2-3",
                      "ヤマダ\u{3000}タロウ", "Canon EOS R6 ボディ", "2点", "箱は2つです &lt;b&gt;"] {
            #expect(response.body.contains(shown), "missing: \(shown)")
        }
        #expect(!response.body.contains("<b>"))
        // Carried on normalized, the birth date as the date the first post read.
        #expect(response.body.contains("<input type=\"hidden\" name=\"birth_date\" value=\"1985-04-12\">"))
        #expect(response.body.contains("<input type=\"hidden\" name=\"postal_code\" value=\"330-0063\">"))
        #expect(!response.body.contains("name=\"website\""))

        // 修正する: the form again with the values.
        let edit = try shop.post("/apply", .application(["step": "edit", "birth_date": "1985-04-12"]))
        #expect(edit.status == 200)
        #expect(edit.body.contains("id=\"apply-form\"") && edit.body.contains("value=\"1985-04-12\""))
        #expect(try shop.count("cases") == 0)

        // この内容で申し込む: stored, validated again.
        let submit = try shop.post("/apply", .application(["step": "submit", "birth_date": "1985-04-12"]))
        #expect(submit.status == 303)
        #expect(try shop.count("cases") == 1)
    }

    @Test func anInvalidFormNeverReachesTheConfirmationPage() throws {
        let shop = try TestShop()
        let response = try shop.post("/apply", .application(["step": "confirm", "birth_date": "平成32年1月1日"]))
        #expect(response.status == 422)
        #expect(response.body.contains("令和2年") && !response.body.contains("お申し込み内容のご確認"))
        // A tampered confirmation post is checked again.
        let tampered = try shop.post("/apply", .application(["step": "submit", "phone": "12"]))
        #expect(tampered.status == 422 && tampered.body.contains(CustomerText.phone))
        #expect(try shop.count("cases") == 0)
    }

    @Test func acceptsMultipartToo() throws {
        let shop = try TestShop()
        let response = try shop.post("/apply", .multipart(Form.applicationFields()))
        #expect(response.status == 303, "\(response.log)")
        #expect(appliedCode(response) != nil)
        #expect(try shop.count("cases") == 1)
    }

    @Test func invalidFieldsComeBackWithEveryValueAndAMessagePerField() throws {
        let shop = try TestShop()
        let response = try shop.post("/apply", .application(["postal_code": "33-0063", "agree": "", "notes": "壊れやすいです <b>"]))
        #expect(response.status == 422)
        expectSecurityHeaders(response)
        // Typed values are kept (normalized), and escaped.
        for kept in ["山田 太郎", "ヤマダ\u{3000}タロウ", "さいたま市浦和区高砂1-2-3", "Canon EOS R6 ボディ", "33-0063", "壊れやすいです &lt;b&gt;"] {
            #expect(response.body.contains(kept), "lost: \(kept)")
        }
        #expect(!response.body.contains("<b>"))
        #expect(response.body.contains(CustomerText.postalCode) && response.body.contains(CustomerText.agree))
        #expect(try shop.rowCounts().values.allSatisfy { $0 == 0 })
    }

    @Test func underAgeCustomersAreRefused() throws {
        let shop = try TestShop()
        let today = CivilDate(unixTime: Int64(Date().timeIntervalSince1970))
        let seventeen = CivilDate(year: today.year - 17, month: today.month, day: min(today.day, 28))!
        let response = try shop.post("/apply", .application(["birth_date": seventeen.iso]))
        #expect(response.status == 422)
        #expect(response.body.contains(CustomerText.underAge(18)))
        #expect(try shop.count("cases") == 0)
    }

    @Test func aFilledHoneypotLooksLikeSuccessButStoresNothing() throws {
        let shop = try TestShop()
        let response = try shop.post("/apply", .application(["website": "http://spam.example"]))
        #expect(response.status == 303)
        let code = try #require(appliedCode(response))
        #expect(try shop.rowCounts().values.allSatisfy { $0 == 0 })
        let page = try shop.request("GET", "/applied/\(code)")
        #expect(page.status == 200 && page.body.contains(code))
    }

    @Test func theSameSubmissionTwiceIsOneCase() throws {
        let shop = try TestShop()
        let form = Form.application(["submission_id": "double-click-\(UUID().uuidString)"])
        let first = try shop.post("/apply", form)
        let afterFirst = try shop.rowCounts()
        let second = try shop.post("/apply", form)
        #expect(first.status == 303 && second.status == 303)
        #expect(first.header("Location") == second.header("Location"))
        #expect(try shop.rowCounts() == afterFirst)
        #expect(afterFirst["cases"] == 1)
    }

    @Test func theAppliedPageOnlyShowsWellFormedCodes() throws {
        let shop = try TestShop()
        expectErrorPage(try shop.request("GET", "/applied/K7QX-3M9A<script>"), status: 404)
        expectErrorPage(try shop.request("GET", "/applied/k7qx-3m9a"), status: 404)
        expectErrorPage(try shop.request("GET", "/applied/K7QX-3M9O"), status: 404)
    }
}
