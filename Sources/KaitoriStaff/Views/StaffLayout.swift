import KaitoriCore

/// The console's shell: header with the shop's name, the main menu (with the bell: unread events),
/// the signed-in name and the logout form, then the page. Styles and script come from the
/// console's own `/assets/` (no inline script or style: the CSP forbids both).
enum StaffLayout {
    /// One menu entry: where it goes and which page it is.
    struct MenuEntry {
        let path: String
        let label: String
        let ownerOnly: Bool
    }

    /// The bell (the seed's ベルマーク), drawn so it shows without an emoji font.
    static let bellIcon = "<svg class=\"icon\" aria-hidden=\"true\" focusable=\"false\" width=\"16\" height=\"16\" viewBox=\"0 0 24 24\">"
        + "<path fill=\"currentColor\" d=\"M12 22a2 2 0 0 0 2-2h-4a2 2 0 0 0 2 2zm6-6v-5a6 6 0 0 0-5-5.9V4a1 1 0 0 0-2 0v1.1A6 6 0 0 0 6 11v5l-2 2v1h16v-1z\"/></svg>"

    static let menu: [MenuEntry] = [
        MenuEntry(path: "/", label: "ダッシュボード", ownerOnly: false),
        MenuEntry(path: "/cases", label: "ケースリスト", ownerOnly: false),
        MenuEntry(path: "/arrival", label: "一括着荷", ownerOnly: false),
        MenuEntry(path: "/payments", label: "支払い", ownerOnly: true),
    ]

    /// A whole page.
    ///
    /// - Parameters:
    ///   - user: the signed-in staff member; nil on the login page and error pages without a
    ///     session (no menu).
    ///   - csrfToken: the session's token for the logout form; nil without a session.
    ///   - body: the page's markup inside `<main>`.
    ///   - link: turns a console path into a URL under the console's SCRIPT_NAME.
    ///   - shopName: shown in the header and the title.
    ///   - unread: unread events for the bell.
    ///   - current: the menu path of this page (marked `aria-current`).
    static func page(title: String, user: StaffUser?, csrfToken: String?, body: String, link: (String) -> String,
                     shopName: String = "", unread: Int = 0, current: String? = nil) -> String {
        let shop = shopName.isEmpty ? "買取管理" : shopName
        var out = """
        <!DOCTYPE html>
        <html lang="ja">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <meta name="robots" content="noindex, nofollow">
        <meta name="referrer" content="no-referrer">
        <title>\(h(title)) | \(h(shop)) 買取管理</title>
        <link rel="stylesheet" href="\(h(link("/assets/console.css")))">
        <script src="\(h(link("/assets/console.js")))" defer></script>
        </head>
        <body>
        <a class="skip" href="#main">本文へ移動</a>
        <header class="top">
        <div class="brand"><a href="\(h(link("/")))">\(h(shop))</a> <span class="brand-sub">買取管理</span></div>

        """
        if let user, let csrfToken {
            out += "<nav class=\"menu\" aria-label=\"メインメニュー\"><ul>"
            for entry in menu where !entry.ownerOnly || user.role == .owner {
                let here = entry.path == current ? " aria-current=\"page\"" : ""
                out += "<li><a href=\"\(h(link(entry.path)))\"\(here)>\(h(entry.label))</a></li>"
            }
            let here = current == "/feed" ? " aria-current=\"page\"" : ""
            let badge = unread > 0
                ? "<span class=\"badge\">\(unread)<span class=\"visually-hidden\">件の未読</span></span>"
                : "<span class=\"visually-hidden\">（未読なし）</span>"
            out += "<li><a href=\"\(h(link("/feed")))\" class=\"bell\"\(here)>\(bellIcon)お知らせ\(badge)</a></li>"
            out += "</ul></nav>"
            out += "<div class=\"who\"><span class=\"user\">\(h(user.name))<span class=\"role\">（\(user.role == .owner ? "管理者" : "スタッフ")）</span></span>"
            out += "<form method=\"post\" action=\"\(h(link("/logout")))\" class=\"inline-form\">\(StaffHTML.csrf(csrfToken))"
            out += "<button type=\"submit\" class=\"link-button\">ログアウト</button></form></div>"
        }
        out += """
        </header>
        <main id="main" tabindex="-1">
        \(body)
        </main>
        </body>
        </html>

        """
        return out
    }
}

extension StaffContext {
    /// A console page with the shell, the bell's count and the current menu entry.
    func page(title: String, body: String, status: Int = 200, current: String? = nil) -> StaffResponse {
        let unread = (try? store.unreadEventCount()) ?? 0
        return .html(StaffLayout.page(title: title, user: user, csrfToken: csrfToken, body: body, link: link,
                                      shopName: settings.shop.name, unread: unread, current: current), status: status)
    }

    /// The first value of a query parameter, trimmed; empty when absent.
    func queryText(_ name: String) -> String {
        TextNormalizer.trim(query[name]?.first ?? "")
    }

    /// The first value of a posted field, trimmed; empty when absent.
    func formText(_ name: String) -> String {
        TextNormalizer.trim(form[name]?.first ?? "")
    }

    func formTexts(_ name: String) -> [String] { form[name] ?? [] }
}
