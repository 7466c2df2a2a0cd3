import KaitoriCore

/// The 本人確認 tab: each ID request with the uploaded images shown inline beside what the customer
/// confirmed and what the application says, how it was reviewed, and the steps: open a new request
/// (非対面で開始), 確認済みとしてマーク with the address-check record, or send it back.
enum IDTab {
    static func stateLabel(_ state: IDCheck.State) -> String {
        switch state {
        case .open: "提出待ち"
        case .submitted: "確認待ち"
        case .verified: "確認済み"
        case .rejected: "差し戻し・取消"
        }
    }

    static let methods: [(value: String, label: String)] = ["upload", "ekyc", "face_to_face"].map {
        (value: $0, label: CaseStore.verificationMethodLabel($0))
    }

    static func render(_ m: CaseDetailPage.Model, ctx: StaffContext, base: String) -> String {
        let r = m.record
        let t = ctx.csrfToken
        var out = ""
        if [.assessed, .approved, .purchased].contains(r.status) {
            out += "<div class=\"actions\">" + StaffHTML.button("非対面で開始（本人確認URLを送る）", action: ctx.link("\(base)/id-request"), csrf: t,
                                                               style: "secondary",
                                                               confirm: "新しい本人確認URLをお客様に送ります。以前の未提出のURLは使えなくなります。")
                + "</div>"
        }
        if let token = m.kycToken {
            out += "<p>提出待ちの本人確認URL：<code>\(h(ctx.settings.absoluteURL("/kyc/\(token)/")))</code></p>"
        }
        guard !m.checks.isEmpty else {
            return out + "<p class=\"muted\">本人確認の依頼はまだありません。</p>"
        }
        let latestSubmitted = m.checks.last { $0.state == .submitted }?.id
        for check in m.checks.reversed() {
            out += "<article class=\"card\" aria-labelledby=\"check-\(check.id)\"><h3 id=\"check-\(check.id)\">本人確認 #\(check.id)：\(h(stateLabel(check.state)))</h3>"
            var facts = [("依頼日時", h(Timestamp.display(check.createdAt)))]
            if let at = check.submittedAt { facts.append(("提出日時", h(Timestamp.display(at)))) }
            if let type = check.idType { facts.append(("書類", h(ctx.settings.idType(type)?.label ?? type))) }
            out += StaffHTML.definitions(facts)
            if check.submittedAt != nil {
                out += "<div class=\"id-review\"><div class=\"id-images\">"
                let images = check.files.filter { $0.kind != "signature" }
                if images.isEmpty { out += "<p class=\"muted\">画像はありません。</p>" }
                for file in images {
                    let url = ctx.link("\(base)/files/\(file.id)")
                    let side = fileLabel(file.kind)
                    if file.contentType.hasPrefix("image/") && file.contentType != "image/heic" && file.contentType != "image/heif" {
                        out += "<figure><img src=\"\(h(url))\" alt=\"本人確認書類（\(h(side))）\"><figcaption>\(h(side))</figcaption></figure>"
                    } else {
                        out += "<figure><a href=\"\(h(url))\">本人確認書類（\(h(side))）を開く</a><figcaption>\(h(file.contentType))</figcaption></figure>"
                    }
                }
                out += "</div>" + comparison(check, r.customer) + "</div>"
            }
            if let by = check.reviewedBy {
                var review = [("確認者", h(by)), ("確認日時", h(StaffHTML.date(check.reviewedAt)))]
                if check.state == .verified, let method = m.methods[check.id] ?? nil {
                    review.append(("確認方法", h(CaseStore.verificationMethodLabel(method))))
                }
                if let address = check.addressConfirmation { review.append(("住所確認の記録", h(address))) }
                if !check.note.isEmpty { review.append(("メモ", h(check.note))) }
                out += StaffHTML.definitions(review)
            }
            if check.id == latestSubmitted {
                out += verifyForm(check, ctx: ctx, base: base)
            }
            if check.state == .open {
                out += StaffHTML.button("この依頼を取り消す", action: ctx.link("\(base)/id-reject"), csrf: t,
                                        fields: "<input type=\"hidden\" name=\"note\" value=\"店舗が依頼を取り消し\">", style: "danger")
            }
            out += "</article>"
        }
        return out
    }

    static func fileLabel(_ kind: String) -> String {
        switch kind {
        case "id_front": "表面"
        case "id_back": "裏面"
        default: kind
        }
    }

    /// What the customer confirmed on the ID page beside the application, with differences named.
    static func comparison(_ check: IDCheck, _ c: Customer) -> String {
        func row(_ label: String, applied: String, confirmed: String?) -> String {
            let strip = { (s: String) in s.filter { $0 != " " && $0 != "\u{3000}" } }
            let differs = confirmed.map { strip($0) != strip(applied) } ?? false
            return "<tr><th scope=\"row\">\(h(label))</th><td>\(h(applied))</td><td>\(h(confirmed ?? "—"))"
                + (differs ? " <span class=\"mismatch\">（不一致）</span>" : "") + "</td></tr>"
        }
        return "<div><table><caption>確認内容の照合</caption><thead><tr><th scope=\"col\">項目</th><th scope=\"col\">申込内容</th>"
            + "<th scope=\"col\">お客様が確認した内容</th></tr></thead><tbody>"
            + row("氏名", applied: c.name, confirmed: check.confirmName)
            + row("生年月日", applied: c.birthDate, confirmed: check.confirmBirthDate)
            // The ID shows no postal code, so the customer confirms the address without it.
            + row("住所", applied: c.prefecture + c.address + (c.building.isEmpty ? "" : " " + c.building), confirmed: check.confirmAddress)
            + "</tbody></table></div>"
    }

    static func verifyForm(_ check: IDCheck, ctx: StaffContext, base: String) -> String {
        let t = ctx.csrfToken
        return "<div class=\"actions\"><form method=\"post\" action=\"\(h(ctx.link("\(base)/id-verify")))\" class=\"card\">\(StaffHTML.csrf(t))"
            + StaffHTML.select("確認方法", name: "method", id: "verify-method", options: methods, selected: CaseStore.defaultVerificationMethod)
            + StaffHTML.field("住所確認の記録", name: "address_check", id: "verify-address",
                              hint: "画像送信による確認では必須：本人限定受取郵便・転送不要郵便の追跡番号など")
            + StaffHTML.field("メモ（任意）", name: "note", id: "verify-note")
            + "<button type=\"submit\">確認済みとしてマーク</button></form>"
            + "<form method=\"post\" action=\"\(h(ctx.link("\(base)/id-reject")))\" class=\"card\">\(StaffHTML.csrf(t))"
            + StaffHTML.field("差し戻しの理由", name: "note", id: "reject-note", required: true, hint: "例：画像が不鮮明、健康保険証の記号・番号がマスクされていない")
            + "<button type=\"submit\" class=\"danger\">差し戻す</button></form></div>"
    }
}

/// The payout method form (支払い方法): staff set it when the customer did not, or correct it.
enum PayoutForm {
    static func render(_ r: Case, ctx: StaffContext, base: String, kept: [String: [String]]) -> String {
        func value(_ name: String, _ current: String) -> String { kept[name]?.first ?? current }
        let p = r.payout
        let methods = ctx.settings.payoutMethods.map { (value: $0.id, label: $0.label) }
        let types: [(value: String, label: String)] = [("1", "普通"), ("2", "当座"), ("4", "貯蓄")]
        var out = "<details class=\"more\"\(kept.isEmpty ? "" : " open")><summary>支払い方法を指定・変更する</summary>"
            + "<form method=\"post\" action=\"\(h(ctx.link("\(base)/payout")))\" class=\"card\">\(StaffHTML.csrf(ctx.csrfToken))"
        out += StaffHTML.select("支払い方法", name: "payout", id: "payout-method", options: methods, selected: value("payout", p.method),
                                includeBlank: "選択してください")
            .replacing("<select name=\"payout\"", with: "<select data-payout-method name=\"payout\"")
        out += "<fieldset data-bank-fields><legend>振込先（銀行振込のとき）</legend><div class=\"form-grid\">"
            + StaffHTML.field("銀行コード（4桁）", name: "bank_code", id: "payout-bank", value: value("bank_code", p.bankCode), attributes: "inputmode=\"numeric\"")
            + StaffHTML.field("支店コード（3桁）", name: "branch_code", id: "payout-branch", value: value("branch_code", p.branchCode), attributes: "inputmode=\"numeric\"")
            + StaffHTML.select("口座種別", name: "account_type", id: "payout-type", options: types,
                               selected: value("account_type", p.accountType == 0 ? "1" : String(p.accountType)))
            + StaffHTML.field("口座番号（7桁）", name: "account_number", id: "payout-number", value: value("account_number", p.accountNumber), attributes: "inputmode=\"numeric\"")
            + StaffHTML.field("口座名義（カナ）", name: "account_holder", id: "payout-holder", value: value("account_holder", p.accountHolder))
            + "</div></fieldset><button type=\"submit\">支払い方法を保存</button></form></details>"
        return out
    }
}
