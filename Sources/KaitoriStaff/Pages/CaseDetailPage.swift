import KaitoriCore

/// GET /cases/{code}: one case with the tabs of the POS vendor's case screen (申込情報, 買取商品,
/// 本人確認, 集荷依頼, 署名, メッセージ, メモ, 履歴) and every staff step of its status as a button or
/// form posting to /cases/{code}/{action}. A refused step shows this page again with the store's
/// reason (status 409).
enum CaseDetailPage {
    struct Tab {
        let id: String
        let label: String
        let body: String
    }

    /// Everything the page shows about one case.
    struct Model {
        let record: Case
        let history: [HistoryEntry]
        let checks: [IDCheck]
        let methods: [Int64: String]
        let memos: [(at: Int64, author: String, text: String)]
        let messages: [OutboxMessage]
        let child: String?
        let kycToken: String?

        init(code: String, store: CaseStore) throws {
            record = try store.load(code: code)
            history = try store.history(caseID: record.id)
            checks = try store.idChecks(caseID: record.id)
            var methods: [Int64: String] = [:]
            for check in checks { methods[check.id] = try store.verificationMethod(ofCheck: check.id) }
            self.methods = methods
            memos = try store.memos(caseID: record.id)
            messages = try store.outboxMessages(caseID: record.id)
            child = try store.renegotiationCode(ofCaseID: record.id)
            kycToken = try store.openIDCheckToken(caseID: record.id)
        }
    }

    static func render(_ ctx: StaffContext) throws -> StaffResponse {
        let code = ctx.params["code"] ?? ""
        let done = ctx.queryText("done")
        return try render(ctx, code: code, flash: CaseActions.doneMessage(done, ctx: ctx), error: nil,
                          tab: CaseActions.tab(for: done), status: 200)
    }

    /// The page, with a success message or a refusal shown above the steps.
    ///
    /// - Parameters:
    ///   - tab: the tab to open first (the one of the step just tried).
    ///   - kept: the values of a refused form, shown again in it.
    static func render(_ ctx: StaffContext, code: String, flash: String?, error: String?, tab: String?,
                       status: Int, kept: [String: [String]] = [:], keptAction: String? = nil) throws -> StaffResponse {
        let model: Model
        do { model = try Model(code: code, store: ctx.store) } catch StoreError.notFound {
            return NotFoundPage.render(ctx, what: "ケース \(code)")
        }
        let r = model.record
        let base = "/cases/\(r.code)"
        var body = "<p class=\"muted\"><a href=\"\(h(ctx.link("/cases")))\">ケースリスト</a> ＞ \(h(r.code))</p>"
        body += "<h1>ケース \(h(r.code)) \(StaffHTML.status(r.status))</h1>"
        body += "<p>\(h(r.customer.name)) 様（\(h(r.customer.kana))）　受付 \(h(Timestamp.display(r.createdAt)))"
        if let parent = r.parentCode {
            body += "　再交渉元：<a href=\"\(h(ctx.link("/cases/\(parent)")))\">\(h(parent))</a>"
        }
        if let child = model.child {
            body += "　<strong>再交渉ケース作成済：</strong><a href=\"\(h(ctx.link("/cases/\(child)")))\">\(h(child))</a>"
        }
        body += "</p>"
        if let error { body += StaffHTML.message(error, error: true) }
        if let flash { body += StaffHTML.message(flash, error: false) }
        body += steps(model, ctx: ctx, base: base)

        let tabs = [
            Tab(id: "tab-application", label: "申込情報", body: application(model, ctx: ctx, base: base, kept: keptAction == "payout" ? kept : [:])),
            Tab(id: "tab-items", label: "買取商品", body: ItemsTab.render(model, ctx: ctx, base: base, kept: keptAction == "items-add" ? kept : [:])),
            Tab(id: "tab-id", label: "本人確認", body: IDTab.render(model, ctx: ctx, base: base)),
            Tab(id: "tab-pickup", label: "集荷依頼", body: pickup(model, ctx: ctx, base: base)),
            Tab(id: "tab-signature", label: "署名", body: signature(model, ctx: ctx, base: base)),
            Tab(id: "tab-messages", label: "メッセージ", body: messages(model)),
            Tab(id: "tab-memos", label: "メモ", body: memos(model, ctx: ctx, base: base)),
            Tab(id: "tab-history", label: "履歴", body: history(model)),
        ]
        body += "<ul class=\"tabs\" data-tabs=\"\(h(tab ?? ""))\">"
        for t in tabs { body += "<li><a href=\"#\(t.id)\">\(h(t.label))</a></li>" }
        body += "</ul>"
        for t in tabs {
            body += "<section class=\"tab-panel\" id=\"\(t.id)\" aria-labelledby=\"\(t.id)-heading\"><h2 id=\"\(t.id)-heading\">\(h(t.label))</h2>\(t.body)</section>"
        }
        return ctx.page(title: "ケース \(r.code)", body: body, status: status, current: "/cases")
    }

    // MARK: The steps of the current status

    static func steps(_ m: Model, ctx: StaffContext, base: String) -> String {
        let r = m.record
        let t = ctx.csrfToken
        func post(_ action: String) -> String { ctx.link("\(base)/\(action)") }
        var out: [String] = []
        switch r.status {
        case .received:
            out.append(StaffHTML.button("申込を確定する", action: post("confirm"), csrf: t))
        case .confirmed:
            out.append("<form method=\"post\" action=\"\(h(post("arrive")))\">\(StaffHTML.csrf(t))"
                + StaffHTML.field("送り状番号（任意）", name: "tracking", id: "arrive-tracking", attributes: "inputmode=\"numeric\" autocomplete=\"off\"")
                + "<button type=\"submit\">着荷済みとしてマーク</button></form>")
        case .arrived:
            out.append(StaffHTML.button("査定を開始する", action: post("start"), csrf: t))
        case .assessing:
            out.append(StaffHTML.button("査定済みとしてマーク", action: post("assess"), csrf: t,
                                        confirm: "査定内容を確定し、お客様に査定結果のURLを送ります。よろしいですか？"))
        case .assessed:
            if r.decision == nil {
                out.append(StaffHTML.button("査定を取り消す", action: post("unassess"), csrf: t, style: "secondary"))
                out.append(StaffHTML.button("査定URLを再発行", action: post("reissue"), csrf: t, style: "secondary",
                                            confirm: "新しい査定URLを発行してお客様に送ります。以前のURLは使えなくなります。"))
            }
        case .approved:
            out.append(StaffHTML.button("買取を確定する", action: post("purchase"), csrf: t,
                                        confirm: "買取を確定します。成約した商品は在庫になります。よろしいですか？"))
        case .purchased:
            if ctx.user.role == .owner {
                out.append(StaffHTML.button("支払い済みとしてマーク", action: post("pay"), csrf: t,
                                            confirm: "\(Yen.format(r.acceptedTotal)) を支払い済みにします。よろしいですか？"))
            } else {
                out.append("<p class=\"muted\">支払いの記録は管理者が行います。</p>")
            }
        case .paid, .canceled:
            break
        }
        if r.status.canMove(to: .canceled) {
            let label = [.assessed, .approved].contains(r.status) ? "全件キャンセル" : "キャンセル"
            out.append("<form method=\"post\" action=\"\(h(post("cancel")))\" data-confirm=\"このケースをキャンセルします。お客様に通知されます。よろしいですか？\">"
                + StaffHTML.csrf(t) + StaffHTML.field("キャンセル理由（任意）", name: "note", id: "cancel-note")
                + "<button type=\"submit\" class=\"danger\">\(label)</button></form>")
        }
        if m.child == nil, renegotiable(r) {
            out.append(StaffHTML.button("再交渉ケースを作成", action: post("renegotiate"), csrf: t, style: "secondary",
                                        confirm: "不成約の商品で新しいケースを作成します。よろしいですか？"))
        }
        if !r.items.isEmpty {
            out.append("<a class=\"button secondary\" href=\"\(h(ctx.link("\(base)/estimate")))\">見積書を印刷</a>")
        }
        if [.approved, .purchased, .paid].contains(r.status) {
            out.append("<a class=\"button secondary\" href=\"\(h(ctx.link("\(base)/contract")))\">売買契約書を印刷</a>")
        }
        guard !out.isEmpty else { return "" }
        return "<section aria-labelledby=\"steps-heading\" class=\"card\"><h2 id=\"steps-heading\">操作</h2><div class=\"actions\">"
            + out.joined(separator: "\n") + "</div></section>"
    }

    /// Whether the page offers 再交渉ケースを作成 (the store decides; this only hides a button that
    /// could not work).
    static func renegotiable(_ r: Case) -> Bool {
        switch r.status {
        case .canceled: return r.items.contains { $0.returnedAt == nil }
        case .approved, .purchased, .paid: return r.items.contains { $0.declined && $0.returnedAt == nil }
        default: return false
        }
    }

    // MARK: Tabs

    static func application(_ m: Model, ctx: StaffContext, base: String, kept: [String: [String]]) -> String {
        let r = m.record
        let c = r.customer
        let settings = ctx.settings
        let contact = c.contact.map { $0 == .email ? "メール" : $0 == .sms ? "SMS" : "連絡不要" } ?? "指定なし"
        var out = "<h3>お客様</h3>" + StaffHTML.definitions([
            ("氏名", h(c.name)), ("フリガナ", h(c.kana)), ("生年月日", h(c.birthDate)), ("職業", h(c.occupation)),
            ("住所", h(c.fullAddress)), ("電話番号", h(c.phone)),
            ("メール", c.email.isEmpty ? "—" : h(c.email)), ("希望連絡方法", h(contact)),
            ("備考", r.notes.isEmpty ? "—" : h(r.notes)),
        ])
        out += "<h3>申込品目</h3><ul>"
        for d in r.declaredItems {
            out += "<li>\(h(settings.category(d.category)?.label ?? d.category))：\(h(d.description)) × \(d.quantity)</li>"
        }
        out += "</ul>"
        let p = r.payout
        var payoutRows = [("支払い方法", p.method.isEmpty ? "未指定" : h(settings.payoutMethod(p.method)?.label ?? p.method))]
        if p.isBankTransfer {
            let kind = [1: "普通", 2: "当座", 4: "貯蓄"][p.accountType] ?? String(p.accountType)
            payoutRows += [("振込先", h("銀行 \(p.bankCode) / 支店 \(p.branchCode) / \(kind) \(p.accountNumber)")), ("口座名義", h(p.accountHolder))]
        }
        out += "<h3>支払い方法</h3>" + StaffHTML.definitions(payoutRows)
        out += "<h3>署名</h3><p>" + (r.signatureFileID != nil || r.signatureName != nil
            ? "署名済み（<a href=\"#tab-signature\">署名を表示</a>）" : "未署名") + "</p>"
        if r.status != .paid, r.status != .canceled {
            out += PayoutForm.render(r, ctx: ctx, base: base, kept: kept)
        }
        return out
    }

    /// 集荷依頼: the parcel, the packing kit and the pickup the customer asked for, with the steps
    /// that record the kit as sent and the pickup as arranged (`kaitori kits sent`, `kaitori pickups arranged`).
    static func pickup(_ m: Model, ctx: StaffContext, base: String) -> String {
        let r = m.record
        let slot = r.pickupSlot.isEmpty ? "" : (ctx.settings.pickupSlot(r.pickupSlot)?.label ?? r.pickupSlot)
        var kit = r.kit ? "希望あり" : "不要"
        if let sent = r.kitSentAt { kit += "（\(Timestamp.display(sent)) 発送済み \(r.kitCarrier ?? "") \(r.kitTracking ?? "")）" }
        var pickup = r.pickupDate.isEmpty ? "集荷依頼なし" : "\(r.pickupDate) \(slot)"
        if let arranged = r.pickupArrangedAt {
            pickup += "（\(Timestamp.display(arranged)) 手配済み\(r.pickupReference.map { " \($0)" } ?? "")）"
        }
        var out = StaffHTML.definitions([
            ("箱数", "\(r.boxes) 箱"), ("梱包キット", h(kit)), ("集荷", h(pickup)),
            ("送り状番号", r.trackingNumber.isEmpty ? "—" : h(r.trackingNumber)),
        ])
        let beforeArrival = r.status == .received || r.status == .confirmed
        if beforeArrival, r.kit, r.kitSentAt == nil {
            out += "<form method=\"post\" action=\"\(h(ctx.link("\(base)/kit-sent")))\" class=\"card\">\(StaffHTML.csrf(ctx.csrfToken))"
                + "<h3>梱包キットの発送</h3><div class=\"form-grid\">"
                + StaffHTML.field("配送業者", name: "carrier", id: "kit-carrier", hint: "例：日本郵便")
                + StaffHTML.field("お問合せ番号（伝票番号）", name: "tracking", id: "kit-tracking", required: true, attributes: "inputmode=\"numeric\"")
                + "</div><button type=\"submit\">梱包キットを発送済みとしてマーク</button></form>"
        }
        if beforeArrival, !r.pickupDate.isEmpty, r.pickupArrangedAt == nil {
            out += "<form method=\"post\" action=\"\(h(ctx.link("\(base)/pickup-arranged")))\" class=\"card\">\(StaffHTML.csrf(ctx.csrfToken))"
                + "<h3>集荷の手配</h3>"
                + StaffHTML.field("配送業者の受付番号（任意）", name: "reference", id: "pickup-reference")
                + "<button type=\"submit\">集荷を手配済みとしてマーク</button></form>"
        }
        return out
    }

    static func signature(_ m: Model, ctx: StaffContext, base: String) -> String {
        let r = m.record
        let when = r.approvedAt.map { "<p>署名日時：\(h(Timestamp.display($0)))</p>" } ?? ""
        if let file = r.signatureFileID {
            return "<img class=\"signature-image\" src=\"\(h(ctx.link("\(base)/files/\(file)")))\" alt=\"\(h(r.customer.name)) 様の署名\">" + when
        }
        if let typed = r.signatureName, !typed.isEmpty {
            return "<p class=\"typed\">\(h(typed))</p><p class=\"muted\">（氏名の入力による署名）</p>" + when
        }
        return "<p class=\"muted\">まだ署名されていません。</p>"
    }

    static func messages(_ m: Model) -> String {
        guard !m.messages.isEmpty else { return "<p class=\"muted\">このケースのメッセージはありません。</p>" }
        var out = "<div class=\"table-wrap\"><table class=\"cards\"><thead><tr><th scope=\"col\">作成</th><th scope=\"col\">内容</th>"
            + "<th scope=\"col\">経路・宛先</th><th scope=\"col\">配信状態</th></tr></thead><tbody>"
        for msg in m.messages {
            var state = deliveryLabel(msg.state)
            if let sent = msg.sentAt { state += "（\(Timestamp.display(sent))）" }
            if msg.attempts > 0, msg.state != .sent { state += "　試行 \(msg.attempts) 回" }
            let channel = msg.channel == "email" ? "メール" : msg.channel == "sms" ? "SMS" : msg.channel
            out += "<tr><td data-label=\"作成\">\(h(Timestamp.display(msg.createdAt)))</td>"
                + "<td data-label=\"内容\">\(h(eventLabel(msg.event)))\(msg.subject.isEmpty ? "" : "<br><span class=\"muted\">\(h(msg.subject))</span>")</td>"
                + "<td data-label=\"経路・宛先\">\(h(channel))：\(h(msg.recipient))</td>"
                + "<td data-label=\"配信状態\">\(h(state))\(msg.lastError.map { "<br><span class=\"muted\">\(h($0))</span>" } ?? "")</td></tr>"
        }
        return out + "</tbody></table></div>"
    }

    static func deliveryLabel(_ state: OutboxMessage.State) -> String {
        switch state {
        case .queued: "送信待ち"
        case .sending: "送信中"
        case .sent: "送信済み"
        case .failed: "送信失敗"
        }
    }

    static func eventLabel(_ event: String) -> String {
        switch MessageEvent(rawValue: event) {
        case .applicationReceived: "申込受付"
        case .kitArranged: "梱包キット発送"
        case .pickupArranged: "集荷手配"
        case .arrived: "着荷"
        case .assessed: "査定結果"
        case .idRequested: "本人確認の依頼"
        case .approved: "承認"
        case .canceled: "キャンセル"
        case .purchased: "買取確定"
        case .paid: "支払い"
        case .returned: "返送"
        case .shopApplication: "店舗宛：新規申込"
        case .shopApproved: "店舗宛：承認"
        case .shopCanceled: "店舗宛：キャンセル"
        case nil: event
        }
    }

    static func memos(_ m: Model, ctx: StaffContext, base: String) -> String {
        var out = ""
        if m.memos.isEmpty {
            out += "<p class=\"muted\">メモはありません。</p>"
        } else {
            out += "<ul>"
            for memo in m.memos {
                out += "<li><span class=\"muted\">\(h(Timestamp.display(memo.at)))　\(h(memo.author))</span><br>\(h(memo.text))</li>"
            }
            out += "</ul>"
        }
        out += "<form method=\"post\" action=\"\(h(ctx.link("\(base)/memo")))\">\(StaffHTML.csrf(ctx.csrfToken))"
            + StaffHTML.textarea("ケースメモ", name: "text", id: "memo-text", required: true, hint: "お客様には表示されません。")
            + "<button type=\"submit\">メモを追加</button></form>"
        return out
    }

    static func history(_ m: Model) -> String {
        var out = "<div class=\"table-wrap\"><table class=\"cards\"><thead><tr><th scope=\"col\">日時</th><th scope=\"col\">変更</th>"
            + "<th scope=\"col\">操作した人</th><th scope=\"col\">メモ</th></tr></thead><tbody>"
        for e in m.history {
            let change = e.from == nil ? e.to.label : e.from == e.to ? "\(e.to.label)（変更なし）" : "\(e.from!.label) → \(e.to.label)"
            out += "<tr><td data-label=\"日時\">\(h(Timestamp.display(e.at)))</td><td data-label=\"変更\">\(h(change))</td>"
                + "<td data-label=\"操作した人\">\(h(actorLabel(e.by)))</td><td data-label=\"メモ\">\(h(e.note))</td></tr>"
        }
        return out + "</tbody></table></div>"
    }

    static func actorLabel(_ actor: Actor) -> String {
        switch actor {
        case .customer: "お客様"
        case .staff(let name): name
        case .system: "システム"
        }
    }
}

/// The "not found" page of the console.
enum NotFoundPage {
    static func render(_ ctx: StaffContext, what: String) -> StaffResponse {
        ctx.page(title: "見つかりません", body: "<h1>見つかりません</h1><p>\(h(what)) は見つかりません。</p>"
                 + "<p><a href=\"\(h(ctx.link("/cases")))\">ケースリストへ</a></p>", status: 404)
    }
}
