import Foundation
import KaitoriCore
import SitePages
import Testing

@Suite("Application form")
struct ApplyFormTests {
    /// interfaces.md, "POST /apply fields".
    static let interfaceFields = [
        "name", "kana", "birth_date", "occupation", "postal_code", "prefecture", "address", "building", "phone", "email",
        "contact", "payout", "bank_code", "branch_code", "account_type", "account_number", "account_holder",
        "item_category", "item_description", "item_quantity", "boxes", "kit", "pickup_date", "pickup_slot", "notes",
        "agree", "submission_id", "website",
    ]

    @Test("the static form posts every field of interfaces.md to the handler")
    func everyField() throws {
        let shop = try FixtureShop()
        try shop.build()
        let html = try shop.read("public/apply/index.html")
        let names = Set(attributeValues("name", in: withoutTemplates(html)))
        for field in ApplyFormTests.interfaceFields {
            #expect(names.contains(field), "no control named \(field)")
        }
        #expect(html.contains("<form class=\"form\" id=\"apply-form\" method=\"post\" action=\"/cgi-bin/kaitori/apply\""))
        let rows = attributeValues("name", in: withoutTemplates(html))
        #expect(rows.filter { $0 == "item_category" }.count == 3)
        #expect(rows.filter { $0 == "item_quantity" }.count == 3)
    }

    @Test("choices come from the settings and the fixed lists")
    func choices() throws {
        let shop = try FixtureShop()
        try shop.build()
        let html = try shop.read("public/apply/index.html")
        for prefecture in prefectures { #expect(html.contains("<option value=\"\(prefecture)\">\(prefecture)</option>")) }
        #expect(html.contains("name=\"contact\" value=\"email\""))
        #expect(html.contains("name=\"contact\" value=\"sms\""))
        #expect(html.contains("name=\"contact\" value=\"none\" checked"))
        #expect(html.contains(">指定なし</label>"))
        for (value, label) in [("1", "普通"), ("2", "当座"), ("4", "貯蓄")] {
            #expect(html.contains("<option value=\"\(value)\"\(value == "1" ? " selected" : "")>\(label)</option>"))
        }
        let settings = try shop.settings()
        for method in settings.payoutMethods { #expect(html.contains("name=\"payout\" value=\"\(method.id)\"")) }
        for slot in settings.form.pickupSlots { #expect(html.contains("<option value=\"\(slot.id)\">\(slot.label)</option>")) }
        #expect(html.contains("name=\"kit\" value=\"no\" checked"))
        #expect(html.contains("name=\"kit\" value=\"yes\""))
        #expect(html.contains("<a href=\"/terms/\""))
    }

    @Test("every control has a label, and the hints a phone keyboard needs")
    func labelsAndKeyboards() throws {
        let shop = try FixtureShop()
        try shop.build()
        let html = withoutTemplates(try shop.read("public/apply/index.html"))
        let controls = try NSRegularExpression(pattern: "<(input|select|textarea)\\b[^>]*>")
        let labelled = Set(attributeValues("for", in: html))
        var checked = 0
        for match in controls.matches(in: html, range: NSRange(html.startIndex..., in: html)) {
            let tag = String(html[Range(match.range, in: html)!])
            if tag.contains("type=\"hidden\"") { continue }
            let id = try #require(attributeValues("id", in: tag).first, "control without id: \(tag)")
            #expect(labelled.contains(id), "no label for \(id)")
            checked += 1
        }
        #expect(checked > 30)
        for (id, attributes) in [
            ("f-name", ["autocomplete=\"name\""]),
            // A text field, not a date picker: it takes 和暦 (`昭和60年4月12日`) as well as 西暦.
            ("f-birth-date", ["type=\"text\"", "autocomplete=\"bday\""]),
            ("f-postal-code", ["autocomplete=\"postal-code\"", "inputmode=\"numeric\""]),
            ("f-prefecture", ["autocomplete=\"address-level1\""]),
            ("f-phone", ["type=\"tel\"", "autocomplete=\"tel\"", "inputmode=\"tel\""]),
            ("f-email", ["type=\"email\"", "autocomplete=\"email\"", "inputmode=\"email\""]),
            ("f-bank-code", ["inputmode=\"numeric\"", "maxlength=\"4\""]),
            ("f-account-number", ["inputmode=\"numeric\"", "maxlength=\"7\""]),
            ("f-item-1-quantity", ["inputmode=\"numeric\""]),
        ] {
            let tag = try #require(tagWithID(id, in: html))
            for attribute in attributes { #expect(tag.contains(attribute), "\(id) lacks \(attribute)") }
        }
        let honeypot = try #require(tagWithID("f-website", in: html))
        #expect(honeypot.contains("tabindex=\"-1\"") && honeypot.contains("autocomplete=\"off\""))
        #expect(html.contains("<div class=\"hp\" aria-hidden=\"true\">"))
        #expect(!html.contains(" style="))
        #expect(!html.contains("<script>"))
    }

    @Test("a 422 answer keeps every typed value, item rows too, with a summary and a message per field")
    func reRender() throws {
        let shop = try FixtureShop()
        try shop.build()
        let renderer = try SiteRenderer.load(site: shop.root)
        let values = FormValues([
            ("name", "山田 太郎"), ("kana", "やまだ たろう"), ("birth_date", "1985-04-12"), ("occupation", "会社員"),
            ("postal_code", "3300063"), ("prefecture", "埼玉県"), ("address", "さいたま市浦和区高砂2-8-14"),
            ("building", "<b>ハイツ</b>"), ("phone", "031234"), ("email", "taro@example.jp"), ("contact", "sms"),
            ("payout", "bank_transfer"), ("bank_code", "0009"), ("branch_code", "12"), ("account_type", "2"),
            ("account_number", "1234567"), ("account_holder", "ヤマダ タロウ"),
            ("item_category", "game"), ("item_description", "Switch"), ("item_quantity", "1"),
            ("item_category", "camera"), ("item_description", "レンズ"), ("item_quantity", "0"),
            ("item_category", ""), ("item_description", ""), ("item_quantity", "1"),
            ("item_category", "watch"), ("item_description", "腕時計"), ("item_quantity", "2"),
            ("boxes", "2"), ("kit", "yes"), ("pickup_date", ""), ("pickup_slot", ""), ("notes", "よろしくお願いします"),
            ("submission_id", "0123456789abcdef"), ("website", ""),
        ])
        let validator = ApplicationValidator(settings: renderer.settings, today: CivilDate(year: 2026, month: 11, day: 21)!)
        guard case .failure(let errors) = validator.validate(values) else {
            Issue.record("the sample post should be refused")
            return
        }
        let html = try renderer.applyForm(values: validator.normalized(values), errors: errors)

        #expect(html.contains("<meta name=\"robots\" content=\"noindex\">"))
        #expect(html.contains("<title>入力内容をご確認ください（お申し込み） | まる福 宅配買取センター</title>"))
        #expect(html.contains("<div class=\"error-summary\" id=\"error-summary\" role=\"alert\""))
        #expect(html.contains("<li><a href=\"#f-phone\">\(CustomerText.phone)</a></li>"))
        #expect(html.contains("<li><a href=\"#f-branch-code\">\(CustomerText.branchCode)</a></li>"))
        #expect(html.contains("<li><a href=\"#f-item-2-quantity\">\(CustomerText.itemQuantity(2))</a></li>"))
        #expect(html.contains("<li><a href=\"#f-agree\">\(CustomerText.agree)</a></li>"))

        let phone = try #require(tagWithID("f-phone", in: html))
        #expect(phone.contains("value=\"031234\""))
        #expect(phone.contains("aria-invalid=\"true\""))
        #expect(phone.contains("aria-describedby=\"f-phone-hint f-phone-error\""))
        #expect(html.contains("<p class=\"field__error\" id=\"f-phone-error\"><span class=\"field__error-line\">\(CustomerText.phone)</span><span class=\"field__error-line\">\(CustomerText.phoneForSMS)</span></p>"))
        let quantity = try #require(tagWithID("f-item-2-quantity", in: html))
        #expect(quantity.contains("value=\"0\"") && quantity.contains("aria-invalid=\"true\"") && quantity.contains("aria-describedby=\"f-item-2-quantity-error\""))
        #expect(!(try #require(tagWithID("f-item-1-quantity", in: html))).contains("aria-invalid"))

        // Every typed value is back, escaped, in its control; the four rows stay in order.
        #expect((try #require(tagWithID("f-kana", in: html))).contains("value=\"ヤマダ\u{3000}タロウ\""))
        #expect((try #require(tagWithID("f-building", in: html))).contains("value=\"&lt;b&gt;ハイツ&lt;/b&gt;\""))
        #expect((try #require(tagWithID("f-item-4-description", in: html))).contains("value=\"腕時計\""))
        #expect((try #require(tagWithID("f-item-2-description", in: html))).contains("value=\"レンズ\""))
        #expect(html.contains("<option value=\"埼玉県\" selected>埼玉県</option>"))
        #expect(html.contains("<option value=\"2\" selected>当座</option>"))
        #expect(html.contains("<option value=\"2\" selected>2箱</option>"))
        #expect(html.contains("name=\"contact\" value=\"sms\" checked"))
        #expect(html.contains("name=\"payout\" value=\"bank_transfer\" checked required"))
        #expect(html.contains("name=\"kit\" value=\"yes\" checked"))
        #expect(html.contains(">よろしくお願いします</textarea>"))
        #expect(html.contains("name=\"submission_id\" value=\"0123456789abcdef\""))
        #expect(!(try #require(tagWithID("f-agree", in: html))).contains("checked"))
        let categories = try NSRegularExpression(pattern: "<option value=\"(game|camera|watch)\" selected>")
        #expect(categories.numberOfMatches(in: html, range: NSRange(html.startIndex..., in: html)) == 3)
    }

    @Test("problems that belong to no single row are shown on the item group")
    func groupMessage() throws {
        let shop = try FixtureShop()
        try shop.build()
        let renderer = try SiteRenderer.load(site: shop.root)
        let html = try renderer.applyForm(values: FormValues([("name", "山田")]),
                                          errors: FieldErrors([FieldError("item_description", CustomerText.noItems)]))
        #expect(html.contains("id=\"items\" aria-describedby=\"items-error\""))
        #expect(html.contains("<p class=\"field__error\" id=\"items-error\"><span class=\"field__error-line\">\(CustomerText.noItems)</span></p>"))
        #expect(html.contains("<li><a href=\"#f-item-1-description\">\(CustomerText.noItems)</a></li>"))
    }

    @Test("kit and pickup questions appear only when the shop offers them")
    func optionalSections() throws {
        let shop = try FixtureShop()
        try shop.build()
        let published = try PublishedSite.load(site: shop.root)
        var settings = published.settings
        settings.form.kitOffered = false
        settings.form.pickupOffered = false
        let renderer = SiteRenderer(settings: settings, menu: try published.menu(),
                                    templates: try SiteTemplates(sources: PublishedSite.loadTemplates(site: shop.root)), assetVersion: "")
        let names = Set(attributeValues("name", in: withoutTemplates(try renderer.applyForm(values: FormValues(), errors: nil))))
        #expect(!names.contains("kit"))
        #expect(!names.contains("pickup_date"))
        #expect(!names.contains("pickup_slot"))
        #expect(names.contains("boxes"))
    }
}

/// The opening tag of the element with `id`, e.g. `<input … id="f-phone" …>`.
func tagWithID(_ id: String, in html: String) -> String? {
    guard let marker = html.range(of: " id=\"\(id)\""),
          let open = html[..<marker.lowerBound].lastIndex(of: "<"),
          let close = html[marker.upperBound...].firstIndex(of: ">") else { return nil }
    return String(html[open...close])
}
