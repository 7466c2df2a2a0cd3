import KaitoriCore

/// GET /cases: the case list (ケースリスト) with search and 詳細検索 (status, needs action, dates,
/// the dashboard's kinds), the needs-action red dot with days waited, 50 per page; GET /cases.csv:
/// the same list as CSV.
enum CaseListPage {
    static let pageSize = 50

    /// The list's query as the page's form and links carry it.
    struct Filter {
        var q = ""
        var status: CaseStatus?
        var needsAction = false
        var from: CivilDate?
        var to: CivilDate?
        var waiting: WaitingKind?
        var page = 1
        var problems: [String] = []

        init(_ ctx: StaffContext) {
            q = ctx.queryText("q")
            let statusText = ctx.queryText("status")
            if !statusText.isEmpty {
                if let s = CaseStatus(rawValue: statusText) { status = s } else { problems.append("ステータス「\(statusText)」はありません。") }
            }
            needsAction = ctx.queryText("needs_action") == "1"
            for (name, label) in [("from", "開始日"), ("to", "終了日")] {
                let text = TextNormalizer.halfWidth(ctx.queryText(name))
                guard !text.isEmpty else { continue }
                guard let date = CivilDate(iso: text) else { problems.append("\(label)は YYYY-MM-DD の形で入力してください（「\(text)」）。"); continue }
                if name == "from" { from = date } else { to = date }
            }
            let kindText = ctx.queryText("waiting")
            if !kindText.isEmpty {
                if let kind = WaitingKind(rawValue: kindText) { waiting = kind } else { problems.append("対応待ちの種類「\(kindText)」はありません。") }
            }
            let pageText = ctx.queryText("page")
            if !pageText.isEmpty {
                if let n = Int(pageText), n >= 1 { page = n } else { problems.append("ページ番号は 1 以上の数字です。") }
            }
        }

        var pairs: [(String, String)] {
            [("q", q), ("status", status?.rawValue ?? ""), ("needs_action", needsAction ? "1" : ""),
             ("from", from?.iso ?? ""), ("to", to?.iso ?? ""), ("waiting", waiting?.rawValue ?? "")]
        }

        func rows(_ store: CaseStore) throws -> [CaseSummary] {
            var rows = try store.list(CaseQuery(status: status, text: q.isEmpty ? nil : q, from: from, to: to, needsActionOnly: needsAction))
            if let waiting {
                let codes = try store.codes(waiting: waiting)
                rows = rows.filter { codes.contains($0.code) }
            }
            return rows
        }
    }

    static func render(_ ctx: StaffContext) throws -> StaffResponse {
        let filter = Filter(ctx)
        let rows = try filter.rows(ctx.store)
        let pages = max(1, (rows.count + pageSize - 1) / pageSize)
        let page = min(filter.page, pages)
        let shown = rows.dropFirst((page - 1) * pageSize).prefix(pageSize)

        var body = "<h1>ケースリスト</h1>"
        if !filter.problems.isEmpty { body += StaffHTML.message(filter.problems.joined(separator: "\n"), error: true) }
        body += searchForm(filter, ctx: ctx)
        if let kind = filter.waiting {
            body += "<p>絞り込み：<strong>\(h(kind.label))</strong>（<a href=\"\(h(ctx.link("/cases")))\">解除</a>）</p>"
        }
        let csv = QueryString.link(ctx.link("/cases.csv"), filter.pairs)
        body += "<p class=\"actions\"><span>\(rows.count) 件\(rows.isEmpty ? "" : "（\((page - 1) * pageSize + 1)〜\((page - 1) * pageSize + shown.count) 件目を表示）")</span>"
            + "<a class=\"button secondary\" href=\"\(h(csv))\">この一覧をCSVでエクスポート</a></p>"
        if rows.isEmpty {
            body += "<p class=\"muted\">条件に合うケースはありません。</p>"
        } else {
            body += table(Array(shown), ctx: ctx)
            body += pager(filter, page: page, pages: pages, ctx: ctx)
        }
        return ctx.page(title: "ケースリスト", body: body, status: filter.problems.isEmpty ? 200 : 422, current: "/cases")
    }

    static func searchForm(_ f: Filter, ctx: StaffContext) -> String {
        let statuses = CaseStatus.allCases.map { (value: $0.rawValue, label: $0.label) }
        let kinds = WaitingKind.allCases.map { (value: $0.rawValue, label: $0.label) }
        let detailed = f.status != nil || f.needsAction || f.from != nil || f.to != nil || f.waiting != nil
        return """
        <form method="get" action="\(h(ctx.link("/cases")))" class="card" role="search" aria-label="ケース検索">
        <div class="search">
        \(StaffHTML.field("キーワード", name: "q", id: "q", value: f.q, type: "search",
                          hint: "ケースコード・氏名・フリガナ・電話番号・メール・伝票番号"))
        <button type="submit">検索</button>
        </div>
        <details class="more"\(detailed ? " open" : "")><summary>詳細検索</summary>
        <div class="form-grid">
        \(StaffHTML.select("ステータス", name: "status", id: "status", options: statuses, selected: f.status?.rawValue ?? "", includeBlank: "すべて"))
        \(StaffHTML.select("対応待ちの種類", name: "waiting", id: "waiting", options: kinds, selected: f.waiting?.rawValue ?? "", includeBlank: "指定なし"))
        \(StaffHTML.field("受付日（から）", name: "from", id: "from", value: f.from?.iso ?? "", type: "date"))
        \(StaffHTML.field("受付日（まで）", name: "to", id: "to", value: f.to?.iso ?? "", type: "date"))
        <div class="field"><input type="checkbox" name="needs_action" value="1" id="needs-action"\(f.needsAction ? " checked" : "")>
        <label for="needs-action" class="inline">要対応（赤●）のケースのみ</label></div>
        </div>
        <button type="submit">この条件で検索</button>
        </details>
        </form>
        """
    }

    static func table(_ rows: [CaseSummary], ctx: StaffContext) -> String {
        var out = """
        <div class="table-wrap"><table class="cards">
        <caption class="visually-hidden">ケース一覧（赤●は店舗の対応が必要なケース）</caption>
        <thead><tr><th scope="col">要対応</th><th scope="col">買取コード</th><th scope="col">ステータス</th><th scope="col">お客様</th>
        <th scope="col">電話番号</th><th scope="col">受付日時</th><th scope="col" class="num">査定額</th><th scope="col" class="num">待ち日数</th></tr></thead><tbody>
        """
        for r in rows {
            out += "<tr><td data-label=\"要対応\">\(StaffHTML.needsAction(r.needsAction, days: r.daysWaited))</td>"
                + "<td data-label=\"買取コード\"><a href=\"\(h(ctx.link("/cases/\(r.code)")))\">\(h(r.code))</a></td>"
                + "<td data-label=\"ステータス\">\(StaffHTML.status(r.status))</td>"
                + "<td data-label=\"お客様\">\(h(r.name))<br><span class=\"muted\">\(h(r.kana))</span></td>"
                + "<td data-label=\"電話番号\">\(h(r.phone))</td><td data-label=\"受付日時\">\(h(Timestamp.display(r.createdAt)))</td>"
                + "<td data-label=\"査定額\" class=\"num\">\(r.total > 0 ? h(Yen.format(r.total)) : "—")</td>"
                + "<td data-label=\"待ち日数\" class=\"num\">\(r.needsAction == nil ? "—" : "\(r.daysWaited) 日")</td></tr>"
        }
        return out + "</tbody></table></div>"
    }

    static func pager(_ f: Filter, page: Int, pages: Int, ctx: StaffContext) -> String {
        guard pages > 1 else { return "" }
        func link(_ n: Int) -> String { QueryString.link(ctx.link("/cases"), f.pairs + [("page", n == 1 ? "" : String(n))]) }
        var out = "<nav class=\"pager\" aria-label=\"ページ送り\">"
        out += page > 1 ? "<a href=\"\(h(link(page - 1)))\" rel=\"prev\">前の50件</a>" : ""
        out += "<span>\(page) / \(pages) ページ</span>"
        out += page < pages ? "<a href=\"\(h(link(page + 1)))\" rel=\"next\">次の50件</a>" : ""
        return out + "</nav>"
    }

    /// GET /cases.csv: every row of the list (not only one page); cells a spreadsheet would run as
    /// formulas are neutralized (names and addresses are typed by customers).
    static func csv(_ ctx: StaffContext) throws -> StaffResponse {
        let filter = Filter(ctx)
        if !filter.problems.isEmpty {
            return ctx.page(title: "ケースリスト", body: StaffHTML.message(filter.problems.joined(separator: "\n"), error: true), status: 422)
        }
        var rows = [["買取コード", "ステータス", "ステータス名", "氏名", "フリガナ", "電話番号", "メール", "受付日時", "更新日時",
                     "査定額", "要対応", "待ち日数"]]
        for r in try filter.rows(ctx.store) {
            rows.append([r.code, r.status.rawValue, r.status.label, r.name, r.kana, r.phone, r.email, Timestamp.iso(r.createdAt),
                         Timestamp.iso(r.updatedAt), String(r.total), r.needsAction.map(NeedsAction.label) ?? "",
                         r.needsAction == nil ? "" : String(r.daysWaited)])
        }
        let day = CivilDate(unixTime: ctx.now).iso.replacing("-", with: "")
        return .download(Array(CSV.encode(rows).utf8), contentType: "text/csv; charset=utf-8",
                         filename: "cases-\(day).csv")
    }
}
