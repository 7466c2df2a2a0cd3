import KaitoriCore

/// GET /feed: customer events (applications, answers, ID uploads, approvals, cancellations, failed
/// messages), newest first, unread ones marked; POST /feed/read marks what was shown as read.
/// Read marks are shop-wide (one mark per event, shared with `kaitori feed`).
enum FeedPage {
    static let shown = 200

    static func render(_ ctx: StaffContext) throws -> StaffResponse {
        let entries = try ctx.store.feed(includeSeen: true, markSeen: false, limit: shown)
        var body = "<h1>お知らせ</h1>"
        if let done = ctx.query["read"]?.first.flatMap({ Int($0) }) { body += StaffHTML.message("\(done) 件を既読にしました。", error: false) }
        let unread = entries.filter { !$0.seen }
        if let newest = unread.map(\.id).max() {
            body += "<form method=\"post\" action=\"\(h(ctx.link("/feed/read")))\" class=\"actions\">\(StaffHTML.csrf(ctx.csrfToken))"
                + "<input type=\"hidden\" name=\"up_to\" value=\"\(newest)\"><button type=\"submit\">\(unread.count) 件の未読をすべて既読にする</button></form>"
        }
        body += entries.isEmpty ? "<p class=\"muted\">お知らせはまだありません。</p>" : table(entries.reversed(), ctx: ctx)
        return ctx.page(title: "お知らせ", body: body, current: "/feed")
    }

    static func markRead(_ ctx: StaffContext) throws -> StaffResponse {
        guard let upTo = Int64(ctx.formText("up_to")) else {
            return ctx.page(title: "お知らせ", body: StaffHTML.message("既読にする範囲（up_to）がありません。", error: true), status: 422)
        }
        let marked = try ctx.store.markEventsRead(upTo: upTo)
        return .redirect(ctx.link("/feed?read=\(marked)"))
    }

    /// The entries as a table, in the order given.
    static func table<S: Sequence>(_ entries: S, ctx: StaffContext) -> String where S.Element == FeedEntry {
        var out = "<div class=\"table-wrap\"><table class=\"cards\"><thead><tr><th scope=\"col\">状態</th><th scope=\"col\">日時</th>"
            + "<th scope=\"col\">種類</th><th scope=\"col\">ケース</th><th scope=\"col\">内容</th></tr></thead><tbody>"
        for e in entries {
            let mark = e.seen ? "<span class=\"muted\">既読</span>" : "<span class=\"unread-mark\">未読</span>"
            let code = e.code.map { "<a href=\"\(h(ctx.link("/cases/\($0)")))\">\(h($0))</a>" } ?? "—"
            out += "<tr\(e.seen ? "" : " class=\"unread\"")><td data-label=\"状態\">\(mark)</td><td data-label=\"日時\">\(h(Timestamp.display(e.at)))</td>"
                + "<td data-label=\"種類\">\(h(e.kindLabel))</td><td data-label=\"ケース\">\(code)</td><td data-label=\"内容\">\(h(e.detail))</td></tr>"
        }
        return out + "</tbody></table></div>"
    }
}
