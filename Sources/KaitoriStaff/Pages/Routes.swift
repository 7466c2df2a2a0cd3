// PLACEHOLDER by console-auth so that kaitori-staff builds before the pages land. console-pages
// owns this file (Pages/*) and replaces it whole with the console's real routes.
import KaitoriCore
import Mustache

enum StaffRoutes {
    /// Every console route, tried in order (login and logout are handled before these).
    static var all: [StaffRoute] {
        [
            StaffRoute(method: .get, pattern: "/", role: .staff) { context in
                let body = "<h1>ダッシュボード</h1>\n<p>\(MustacheValue.htmlEscaped(context.user.name)) としてログインしています。</p>\n"
                return .html(StaffLayout.page(title: "ダッシュボード", user: context.user, csrfToken: context.csrfToken,
                                              body: body, link: context.link))
            },
        ]
    }
}
