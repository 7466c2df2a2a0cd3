import KaitoriCore
import Mustache

/// `GET/POST /login` and `POST /logout` (interfaces.md, "Staff console"), answered before the
/// session check. The rules (throttling, password and code checks, sessions) are
/// `CaseStore.staffLogin` and friends; this file is the page and the cookies.
enum StaffLogin {
    /// The cookie that carries the login form's CSRF token (double submit: there is no session
    /// yet to keep it in).
    static let loginCookie = "kaitori_staff_login"

    /// The answer for `/login` and `/logout`, or `nil` for every other path.
    static func respond(request: StaffRequest, site: String, settings: Settings, store: CaseStore) throws -> StaffResponse? {
        let path = StaffRoute.segments(request.path)
        guard path == ["login"] || path == ["logout"] else { return nil }
        let scriptName = request.cgi.scriptName
        let cookieToken = request.cookies[StaffConsole.sessionCookie]
        switch (path[0], request.method) {
        case ("login", .get):
            if let cookieToken, try store.staffSession(token: cookieToken, settings: settings.console) != nil {
                return .redirect(StaffContext.link(safeNext(request.query["next"]?.first) ?? "/", scriptName: scriptName))
            }
            return loginPage(request: request, settings: settings, next: safeNext(request.query["next"]?.first),
                             message: nil, status: 200)
        case ("login", .post):
            let (form, _) = try request.readForm(site: site, settings: settings)
            let next = safeNext(form["next"]?.first)
            guard !request.isCrossSite, let sent = form[StaffCSRF.field]?.first, let expected = request.cookies[loginCookie],
                  StaffCrypto.constantTimeEqual(sent, expected) else {
                throw StaffFailure(status: 403, detail: "login post without a matching csrf_token")
            }
            let name = form["user"]?.first ?? "", password = form["password"]?.first ?? "", otp = form["otp"]?.first ?? ""
            guard !name.isEmpty, !password.isEmpty else {
                return loginPage(request: request, settings: settings, next: next,
                                 message: "ユーザー名とパスワードを入力してください。", status: 400)
            }
            switch try store.staffLogin(name: name, password: password, otp: otp, address: request.remoteAddress,
                                        settings: settings.console) {
            case .success(let token, _):
                if let cookieToken { try store.endStaffSession(token: cookieToken) }
                var response = StaffResponse.redirect(StaffContext.link(next ?? "/", scriptName: scriptName))
                response.headers.append(("Set-Cookie", cookie(StaffConsole.sessionCookie, token, request: request)))
                response.headers.append(("Set-Cookie", expiredCookie(loginCookie, request: request)))
                return response
            case .refused(let refusal):
                StaffLog.write("login refused for \"\(name)\" from \(request.remoteAddress): \(refusal)")
                var response = loginPage(request: request, settings: settings, next: next, message: refusal.message,
                                         status: refusal.status)
                if case .throttled(let seconds) = refusal { response.headers.append(("Retry-After", String(seconds))) }
                return response
            }
        case ("logout", .post):
            let (form, _) = try request.readForm(site: site, settings: settings)
            if let cookieToken, let session = try store.staffSession(token: cookieToken, settings: settings.console) {
                try StaffCSRF.check(request: request, form: form, session: session)
                try store.endStaffSession(token: cookieToken)
            }
            var response = StaffResponse.redirect(StaffContext.link("/login", scriptName: scriptName))
            response.headers.append(("Set-Cookie", expiredCookie(StaffConsole.sessionCookie, request: request)))
            return response
        default:
            throw StaffFailure(status: 405, detail: "\(request.cgi.method) not allowed on \(request.path)",
                               allow: path[0] == "login" ? "GET, HEAD, POST" : "POST")
        }
    }

    /// Where a page without a session sends the browser: the login page, remembering the page
    /// that was asked for.
    static func loginLink(scriptName: String, next: String?, query: String) -> String {
        let login = StaffContext.link("/login", scriptName: scriptName)
        guard let next, next != "/", let safe = safeNext(query.isEmpty ? next : next + "?" + query) else { return login }
        return login + "?next=" + percentEncoded(safe)
    }

    /// A `next` that can only lead to a console page: a path starting with one `/`, no scheme,
    /// no `//` or backslash that a browser could read as another host.
    static func safeNext(_ next: String?) -> String? {
        guard let next, next.hasPrefix("/"), !next.hasPrefix("//"), !next.contains("\\"),
              !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }),
              !StaffRoute.segments(next.split(separator: "?").first.map(String.init) ?? "").starts(with: ["login"])
        else { return nil }
        return next
    }

    static func cookie(_ name: String, _ value: String, request: StaffRequest) -> String {
        var path = request.cgi.scriptName
        while path.count > 1, path.hasSuffix("/") { path.removeLast() }
        if path.isEmpty { path = "/" }
        return "\(name)=\(value); Path=\(path); HttpOnly; SameSite=Strict" + (request.isHTTPS ? "; Secure" : "")
    }

    static func expiredCookie(_ name: String, request: StaffRequest) -> String {
        cookie(name, "", request: request) + "; Max-Age=0"
    }

    private static func loginPage(request: StaffRequest, settings: Settings, next: String?, message: String?,
                                  status: Int) -> StaffResponse {
        let token = StaffCrypto.hex(StaffCrypto.randomBytes(32))
        let link = { (path: String) in StaffContext.link(path, scriptName: request.cgi.scriptName) }
        let e = MustacheValue.htmlEscaped
        var body = "<section class=\"login\">\n<h1>\(e(settings.shop.name)) スタッフ画面</h1>\n"
        if let message { body += "<p class=\"error\" role=\"alert\">\(e(message))</p>\n" }
        body += """
            <form method="post" action="\(e(link("/login")))">
            <input type="hidden" name="csrf_token" value="\(token)">
            \(next.map { "<input type=\"hidden\" name=\"next\" value=\"\(e($0))\">" } ?? "")
            <p><label for="user">ユーザー名</label><br>
            <input id="user" name="user" autocomplete="username" autocapitalize="none" spellcheck="false" required></p>
            <p><label for="password">パスワード</label><br>
            <input id="password" name="password" type="password" autocomplete="current-password" required></p>
            <p><label for="otp">確認コード（2段階認証を設定している場合のみ）</label><br>
            <input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" pattern="[0-9 ]*" maxlength="8"></p>
            <p><button type="submit">ログイン</button></p>
            </form>
            </section>

            """
        var response = StaffResponse.html(StaffLayout.page(title: "ログイン", user: nil, csrfToken: nil, body: body, link: link),
                                          status: status)
        response.headers.append(("Set-Cookie", cookie(loginCookie, token, request: request)))
        return response
    }

    private static func percentEncoded(_ text: String) -> String {
        let hex = Array("0123456789ABCDEF")
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"), UInt8(ascii: "/"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                out += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return out
    }
}

extension StaffLoginRefusal {
    /// The login page's status for a refusal.
    var status: Int {
        switch self {
        case .wrongCredentials, .ownerNeedsTOTP: 403
        case .throttled: 429
        }
    }
}
