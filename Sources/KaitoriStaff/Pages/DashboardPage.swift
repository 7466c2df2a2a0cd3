import KaitoriCore

/// GET /: what waits on the shop, by kind, with how long the oldest case has waited; each kind
/// links to the case list filtered to it. Below, the feed's unread entries.
enum DashboardPage {
    static func render(_ ctx: StaffContext) throws -> StaffResponse {
        let waiting = try ctx.store.waiting()
        var body = "<h1>ダッシュボード</h1>\n<h2 id=\"waiting\">お店の対応待ち</h2>\n<ul class=\"dashboard\" aria-labelledby=\"waiting\">"
        for line in waiting {
            let days = line.daysWaited(at: ctx.now).map { "最長 \($0) 日待ち" } ?? "待ちなし"
            body += "<li><a href=\"\(h(ctx.link("/cases?waiting=\(line.kind.rawValue)")))\"\(line.count > 0 ? " class=\"waiting\"" : "")>"
                + "<span class=\"kind\">\(h(line.kind.label))</span><span class=\"count\">\(line.count)<span class=\"visually-hidden\">件</span></span>"
                + "<span class=\"muted\">\(h(days))</span></a></li>"
        }
        body += "</ul>\n"
        let unread = try ctx.store.feed(includeSeen: false, markSeen: false, limit: 20)
        body += "<h2>新しいお知らせ</h2>"
        if unread.isEmpty {
            body += "<p class=\"muted\">未読のお知らせはありません。<a href=\"\(h(ctx.link("/feed")))\">お知らせ一覧</a></p>"
        } else {
            body += FeedPage.table(unread.reversed(), ctx: ctx)
            body += "<p><a href=\"\(h(ctx.link("/feed")))\">お知らせ一覧へ（既読にする）</a></p>"
        }
        return ctx.page(title: "ダッシュボード", body: body, current: "/")
    }
}
