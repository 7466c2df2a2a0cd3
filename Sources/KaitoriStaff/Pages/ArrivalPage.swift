import KaitoriCore

/// GET/POST /arrival: bulk arrival (一括着荷). Staff search the confirmed cases by what the parcel's
/// slip shows (name, phone, tracking number), tick the ones that arrived, add a memo per case, and
/// run. Ticked cases become 着荷済み; unticked ones keep their status and their memo. The same store
/// operation as `kaitori arrival apply`: all or nothing.
enum ArrivalPage {
    static func render(_ ctx: StaffContext) throws -> StaffResponse {
        var flash: String? = nil
        let arrived = ctx.queryText("arrived").split(separator: ",").map(String.init)
        let kept = ctx.queryText("kept").split(separator: ",").map(String.init)
        if !arrived.isEmpty || !kept.isEmpty {
            flash = "\(arrived.count) 件を着荷済みにしました" + (arrived.isEmpty ? "" : "（\(arrived.joined(separator: "、"))）")
                + (kept.isEmpty ? "。" : "。\(kept.count) 件はステータスを変えずにメモを保存しました（\(kept.joined(separator: "、"))）。")
        }
        return try page(ctx, q: ctx.queryText("q"), flash: flash, error: nil, status: 200, typed: [:])
    }

    static func page(_ ctx: StaffContext, q: String, flash: String?, error: String?, status: Int,
                     typed: [String: String], ticked: Set<String> = []) throws -> StaffResponse {
        var body = "<h1>一括着荷</h1><p>届いた荷物の送り状の氏名・電話番号・伝票番号で「申込確定」のケースを検索し、着荷したケースにチェックを入れて実行します。"
            + "チェックしないケースはステータスが変わらず、入力したメモだけが保存されます。</p>"
        if let error { body += StaffHTML.message(error, error: true) }
        if let flash { body += StaffHTML.message(flash, error: false) }
        body += "<form method=\"get\" action=\"\(h(ctx.link("/arrival")))\" class=\"card search\" role=\"search\" aria-label=\"着荷するケースの検索\">"
            + StaffHTML.field("氏名・電話番号・伝票番号", name: "q", id: "arrival-q", value: q, type: "search")
            + "<button type=\"submit\">検索</button></form>"
        guard !q.isEmpty else { return ctx.page(title: "一括着荷", body: body, status: status, current: "/arrival") }
        let candidates = try ctx.store.arrivalCandidates(matching: q)
        guard !candidates.isEmpty else {
            body += "<p>「\(h(q))」に一致する申込確定のケースはありません。</p>"
            return ctx.page(title: "一括着荷", body: body, status: status, current: "/arrival")
        }
        body += "<form method=\"post\" action=\"\(h(ctx.link("/arrival")))\">\(StaffHTML.csrf(ctx.csrfToken))"
            + "<input type=\"hidden\" name=\"q\" value=\"\(h(q))\">"
            + "<p data-check-all=\"arrive\" hidden><input type=\"checkbox\" id=\"arrive-all\"><label for=\"arrive-all\">すべてチェック</label></p>"
            + "<div class=\"table-wrap\"><table class=\"cards\"><caption class=\"visually-hidden\">「\(h(q))」に一致する申込確定のケース</caption>"
            + "<thead><tr><th scope=\"col\">着荷</th><th scope=\"col\">買取コード</th><th scope=\"col\">お客様</th><th scope=\"col\">電話番号</th>"
            + "<th scope=\"col\">伝票番号</th><th scope=\"col\">箱数</th><th scope=\"col\">受付日時</th><th scope=\"col\">ケースメモ</th></tr></thead><tbody>"
        for c in candidates {
            let memos = try ctx.store.memos(caseID: c.id)
            let earlier = memos.last.map { "<span class=\"muted\">前回のメモ：\(h($0.text))</span>" } ?? ""
            body += "<tr><td data-label=\"着荷\"><input type=\"checkbox\" name=\"arrive\" value=\"\(h(c.code))\" id=\"arrive-\(h(c.code))\"\(ticked.contains(c.code) ? " checked" : "")>"
                + "<label for=\"arrive-\(h(c.code))\"><span class=\"visually-hidden\">\(h(c.code)) \(h(c.customer.name)) 様を</span>着荷済みにする</label></td>"
                + "<td data-label=\"買取コード\"><a href=\"\(h(ctx.link("/cases/\(c.code)")))\">\(h(c.code))</a></td>"
                + "<td data-label=\"お客様\">\(h(c.customer.name))<br><span class=\"muted\">\(h(c.customer.kana))</span></td>"
                + "<td data-label=\"電話番号\">\(h(c.customer.phone))</td><td data-label=\"伝票番号\">\(c.trackingNumber.isEmpty ? "—" : h(c.trackingNumber))</td>"
                + "<td data-label=\"箱数\">\(c.boxes)</td><td data-label=\"受付日時\">\(h(Timestamp.display(c.createdAt)))</td>"
                + "<td data-label=\"ケースメモ\"><label for=\"memo-\(h(c.code))\" class=\"visually-hidden\">\(h(c.code)) のケースメモ</label>"
                + "<input type=\"text\" name=\"memo-\(h(c.code))\" id=\"memo-\(h(c.code))\" value=\"\(h(typed[c.code] ?? ""))\">\(earlier)</td></tr>"
        }
        body += "</tbody></table></div><p><button type=\"submit\">入力内容の確認とチェックしたケースの着荷確認を実行</button></p></form>"
        return ctx.page(title: "一括着荷", body: body, status: status, current: "/arrival")
    }

    static func run(_ ctx: StaffContext) throws -> StaffResponse {
        let q = ctx.formText("q")
        let codes = ctx.formTexts("arrive")
        var memos: [String: String] = [:]
        for (name, values) in ctx.form where name.hasPrefix("memo-") {
            memos[String(name.dropFirst("memo-".count))] = values.first ?? ""
        }
        guard !q.isEmpty else {
            return try page(ctx, q: q, flash: nil, error: "先に氏名・電話番号・伝票番号で検索してください。", status: 422, typed: memos)
        }
        do {
            let outcome = try ctx.store.arriveInBulk(search: q, picks: [], codes: codes, memo: "", memos: memos,
                                                     by: ctx.actor, settings: ctx.settings)
            let kept = outcome.memoOnly.filter { !TextNormalizer.trim(memos[$0.code] ?? "").isEmpty }.map(\.code)
            return .redirect(QueryString.link(ctx.link("/arrival"), [("q", q), ("arrived", outcome.arrived.map(\.code).joined(separator: ",")),
                                                                     ("kept", kept.joined(separator: ","))]))
        } catch let error as StoreError {
            return try page(ctx, q: q, flash: nil, error: error.description, status: error.consoleStatus, typed: memos, ticked: Set(codes))
        }
    }
}
