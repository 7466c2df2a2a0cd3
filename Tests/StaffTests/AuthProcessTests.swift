import Foundation
@testable import KaitoriCore
import Testing

/// `kaitori-staff` run as a web server runs it: sessions, CSRF, throttling, timeouts and the
/// security headers, all enforced by the framework before any page runs.
@Suite struct AuthProcessTests {
    static let password = "staff password 1"

    func shop(settings: String = "") throws -> StaffShop {
        let shop = try StaffShop(settings: settings)
        try shop.addAccount("tencho", role: .owner, password: "owner password 1")
        try shop.addAccount("sato", role: .staff, password: Self.password)
        return shop
    }

    func expectSecurityHeaders(_ reply: StaffReply, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.header("Cache-Control") == "no-store", sourceLocation: sourceLocation)
        #expect(reply.header("X-Content-Type-Options") == "nosniff", sourceLocation: sourceLocation)
        #expect(reply.header("Referrer-Policy") == "no-referrer", sourceLocation: sourceLocation)
        let csp = reply.header("Content-Security-Policy") ?? ""
        #expect(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
                sourceLocation: sourceLocation)
    }

    @Test func withoutASessionPagesRedirectToLoginAndPostsAndFilesAre403() throws {
        let shop = try shop()
        let page = try shop.request("GET", "/")
        #expect(page.status == 303)
        #expect(page.header("Location") == "/staff/login")
        expectSecurityHeaders(page)
        let deep = try shop.request("GET", "/cases", environment: ["QUERY_STRING": "q=sato"])
        #expect(deep.status == 303)
        #expect(deep.header("Location")?.hasPrefix("/staff/login") == true)

        let file = try shop.request("GET", "/cases/K7QX-3M9A/files/1")
        #expect(file.status == 403)
        expectSecurityHeaders(file)
        let post = try shop.request("POST", "/cases/K7QX-3M9A/confirm", form: [("csrf_token", "x")])
        #expect(post.status == 403)
        // A cookie that names no session is no session.
        let forged = try shop.request("GET", "/", cookies: [StaffShop.sessionCookie: String(repeating: "ab", count: 32)])
        #expect(forged.status == 303)
    }

    @Test func loginSetsAStrictHttpOnlyCookieAndLogoutEndsTheSession() throws {
        let shop = try shop()
        let login = try shop.login("sato", Self.password, environment: ["HTTPS": "on"])
        #expect(login.status == 303)
        #expect(login.header("Location") == "/staff/")
        let cookie = try #require(login.setCookie(StaffShop.sessionCookie))
        for attribute in ["HttpOnly", "SameSite=Strict", "Path=/staff", "Secure"] {
            #expect(cookie.contains(attribute), "\(attribute) missing from \(cookie)")
        }
        let plain = try shop.login("sato", Self.password)
        #expect(plain.setCookie(StaffShop.sessionCookie)?.contains("Secure") == false)

        let session = try #require(login.cookie(StaffShop.sessionCookie))
        let dashboard = try shop.request("GET", "/", cookies: [StaffShop.sessionCookie: session])
        #expect(dashboard.status == 200)
        #expect(dashboard.body.contains("sato"))
        expectSecurityHeaders(dashboard)

        let token = try shop.csrfToken(session: session)
        let logout = try shop.request("POST", "/logout", cookies: [StaffShop.sessionCookie: session], form: [("csrf_token", token)])
        #expect(logout.status == 303)
        #expect(logout.header("Location") == "/staff/login")
        #expect(try shop.request("GET", "/", cookies: [StaffShop.sessionCookie: session]).status == 303)
    }

    @Test func aPostWithoutOrWithAWrongCSRFTokenIs403AndChangesNothing() throws {
        let shop = try shop()
        let session = try shop.session("sato", Self.password)
        let cookies = [StaffShop.sessionCookie: session]
        let sessions = try shop.scalar("SELECT COUNT(*) AS n FROM staff_sessions")
        for form in [[(String, String)](), [("csrf_token", "0" + String(repeating: "a", count: 63))], [("csrf_token", "")]] {
            let reply = try shop.request("POST", "/logout", cookies: cookies, form: form)
            #expect(reply.status == 403)
            expectSecurityHeaders(reply)
        }
        // The session the forged logouts aimed at is still open.
        #expect(try shop.scalar("SELECT COUNT(*) AS n FROM staff_sessions") == sessions)
        #expect(try shop.request("GET", "/", cookies: cookies).status == 200)

        // The login form is protected too: a post whose token does not match its cookie is refused.
        let login = try shop.request("POST", "/login", cookies: [StaffShop.loginCookie: "a"],
                                     form: [("csrf_token", "b"), ("user", "sato"), ("password", Self.password)])
        #expect(login.status == 403)
        #expect(login.setCookie(StaffShop.sessionCookie) == nil)
    }

    @Test func fiveWrongPasswordsMakeTheNextTryWaitWithoutSayingWhetherTheNameExists() throws {
        let shop = try shop()
        var messages: Set<String> = []
        for attempt in 0..<5 {
            let reply = try shop.login(attempt % 2 == 0 ? "sato" : "nobody", "wrong password \(attempt)", address: "198.51.100.\(attempt)")
            #expect(reply.status == 403)
            #expect(reply.setCookie(StaffShop.sessionCookie) == nil)
            messages.insert(Self.alert(reply.body))
        }
        // An unknown name and a wrong password read the same.
        #expect(messages.count == 1)
        for attempt in 0..<3 {
            _ = try shop.login("sato", "wrong password \(attempt)", address: "198.51.100.50")
        }
        let throttled = try shop.login("sato", Self.password, address: "198.51.100.99")
        #expect(throttled.status == 429)
        #expect(throttled.header("Retry-After") != nil)
        #expect(throttled.setCookie(StaffShop.sessionCookie) == nil)
        #expect(Self.alert(throttled.body).contains("しばらくログインできません"))
        // Recorded in the store, so it holds across processes.
        #expect(try shop.scalar("SELECT failures FROM staff_login_failures WHERE kind = 'name' AND key = 'sato'") >= 5)
        // Another name from another address is not affected.
        #expect(try shop.login("tencho", "owner password 1", address: "192.0.2.1").status == 303)
    }

    @Test func idleAndAbsoluteExpiredSessionsAreRefused() throws {
        let shop = try shop(settings: "console:\n  idle_timeout_minutes: 30\n  absolute_timeout_hours: 1")
        let start: Int64 = 1_900_000_000
        let idle = try shop.session("sato", Self.password, now: start)
        #expect(try shop.request("GET", "/", cookies: [StaffShop.sessionCookie: idle], now: start + 29 * 60).status == 200)
        let late = try shop.request("GET", "/", cookies: [StaffShop.sessionCookie: idle], now: start + 29 * 60 + 31 * 60)
        #expect(late.status == 303)
        #expect(late.header("Location") == "/staff/login")

        let busy = try shop.session("tencho", "owner password 1", now: start)
        for minutes in [20, 40, 59] {
            #expect(try shop.request("GET", "/", cookies: [StaffShop.sessionCookie: busy], now: start + Int64(minutes) * 60).status == 200)
        }
        #expect(try shop.request("GET", "/", cookies: [StaffShop.sessionCookie: busy], now: start + 61 * 60).status == 303)
        #expect(try shop.request("POST", "/logout", cookies: [StaffShop.sessionCookie: busy], form: [], now: start + 62 * 60).status == 303)
    }

    @Test func aDisabledAccountsSessionIsRefusedAtOnce() throws {
        let shop = try shop()
        let session = try shop.session("sato", Self.password)
        let other = try shop.session("sato", Self.password)
        #expect(try shop.request("GET", "/", cookies: [StaffShop.sessionCookie: session]).status == 200)
        let disable = try shop.kaitori(["staff", "disable", "sato"])
        #expect(disable.status == 0)
        for cookie in [session, other] {
            #expect(try shop.request("GET", "/", cookies: [StaffShop.sessionCookie: cookie]).status == 303)
        }
        #expect(try shop.login("sato", Self.password).status == 403)
        // Enabled again, the account logs in afresh; the old sessions stay ended.
        #expect(try shop.kaitori(["staff", "enable", "sato"]).status == 0)
        #expect(try shop.request("GET", "/", cookies: [StaffShop.sessionCookie: session]).status == 303)
        #expect(try shop.login("sato", Self.password).status == 303)
    }

    @Test func ownersWithoutTOTPAreRefusedWhenTheSettingsRequireIt() throws {
        let shop = try shop(settings: "console:\n  owner_totp_required: true")
        let refused = try shop.login("tencho", "owner password 1")
        #expect(refused.status == 403)
        #expect(Self.alert(refused.body).contains("2段階認証"))
        #expect(try shop.login("sato", Self.password).status == 303)

        let enable = try shop.kaitori(["staff", "totp", "tencho"])
        #expect(enable.status == 0)
        let secretLine = try #require(enable.output.split(separator: "\n").first { $0.hasPrefix("secret (base32): ") })
        #expect(enable.output.contains("otpauth://totp/"))
        let secret = try #require(StaffCrypto.base32Decode(String(secretLine.dropFirst("secret (base32): ".count))))
        let now: Int64 = 1_900_000_000
        #expect(try shop.login("tencho", "owner password 1", otp: "000000", now: now).status == 403)
        #expect(try shop.login("tencho", "owner password 1", otp: TOTP.code(secret: secret, at: now), now: now).status == 303)
        // The TOTP seed is not in shop.yml.
        let yaml = try String(contentsOfFile: shop.dir + "/shop.yml", encoding: .utf8)
        #expect(!yaml.contains(StaffCrypto.base32(secret)))
    }

    @Test func unknownPathsAre404AndWrongMethods405WithASession() throws {
        let shop = try shop()
        let cookies = [StaffShop.sessionCookie: try shop.session("sato", Self.password)]
        let missing = try shop.request("GET", "/no/such/page", cookies: cookies)
        #expect(missing.status == 404)
        #expect(missing.body.contains("ページが見つかりません"))
        let wrong = try shop.request("POST", "/", cookies: cookies, form: [])
        #expect(wrong.status == 405)
        #expect(wrong.header("Allow")?.contains("GET") == true)
        let delete = try shop.request("DELETE", "/", cookies: cookies)
        #expect(delete.status == 405)
    }

    @Test func aStaffAccountOnTheRealOwnerRoutesIs403AndChangesNothing() throws {
        let shop = try shop()
        let staff = try shop.session("sato", Self.password)
        let token = try shop.csrfToken(session: staff)
        let cookies = [StaffShop.sessionCookie: staff]
        let before = try shop.scalar("SELECT COUNT(*) AS n FROM payout_batches")
        #expect(try shop.request("GET", "/payments", cookies: cookies).status == 403)
        for path in ["/payments/zengin", "/payments/pay"] {
            let reply = try shop.request("POST", path, cookies: cookies, form: [("csrf_token", token), ("codes", "K7QX-3M9A")])
            #expect(reply.status == 403, "\(path)")
            expectSecurityHeaders(reply)
        }
        #expect(try shop.scalar("SELECT COUNT(*) AS n FROM payout_batches") == before)
        // The same page is the owner's.
        let owner = try shop.session("tencho", "owner password 1")
        #expect(try shop.request("GET", "/payments", cookies: [StaffShop.sessionCookie: owner]).status == 200)
    }

    @Test func cliRefusesShortAndEmptyPasswords() throws {
        let shop = try StaffShop()
        for password in ["", "short", "123456789"] {
            let result = try shop.kaitori(["staff", "add", "sato", "--role", "staff", "--password-stdin"], stdin: password + "\n")
            #expect(result.status == 1)
        }
        let missingFlag = try shop.kaitori(["staff", "add", "sato", "--role", "staff"], stdin: "long enough 1\n")
        #expect(missingFlag.status != 0)
        #expect(try shop.kaitori(["staff", "add", "sato", "--role", "staff", "--password-stdin"], stdin: "long enough 1\n").status == 0)
        let list = try shop.kaitori(["staff", "list", "--json"])
        #expect(list.output.contains("\"name\" : \"sato\""))
        #expect(!list.output.contains("argon2"))
    }

    /// The refusal text of the login page.
    static func alert(_ body: String) -> String {
        guard let start = body.range(of: "role=\"alert\">"), let end = body[start.upperBound...].range(of: "</p>") else { return "" }
        return String(body[start.upperBound..<end.lowerBound])
    }
}
