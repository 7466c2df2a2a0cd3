// PLACEHOLDER by console-auth so that the login and error pages build before console-pages lands
// its layout. console-pages owns this file (Views/*) and replaces it whole; keep the signature of
// `StaffLayout.page(title:user:csrfToken:body:link:)`, which the framework's login and error
// pages call (`user` and `csrfToken` are nil on the login page and on errors without a session).
import KaitoriCore
import Mustache

enum StaffLayout {
    static func page(title: String, user: StaffUser?, csrfToken: String?, body: String,
                     link: (String) -> String) -> String {
        let e = MustacheValue.htmlEscaped
        var header = ""
        if let user, let csrfToken {
            header = """
                <header><p>\(e(user.name))（\(e(user.role.label))）</p>
                <form method="post" action="\(e(link("/logout")))"><input type="hidden" name="csrf_token" value="\(e(csrfToken))"><button type="submit">ログアウト</button></form>
                </header>

                """
        }
        return """
            <!DOCTYPE html>
            <html lang="ja">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="robots" content="noindex, nofollow">
            <title>\(e(title)) | スタッフ画面</title>
            </head>
            <body>
            \(header)<main>
            \(body)</main>
            </body>
            </html>

            """
    }
}
