import CGI
import Foundation
@testable import KaitoriCore
@testable import KaitoriStaff
import Testing

/// The framework's router and checks through its own API, with routes registered by the test
/// (the real owner routes are console-pages'; their process tests cover them too).
@Suite struct AuthRouterTests {
    final class Calls: @unchecked Sendable { var handled: [String] = [] }

    @Test func patternsBindBracedSegments() {
        let route = StaffRoute(method: .post, pattern: "/cases/{code}/{action}", role: .staff) { _ in .html("") }
        #expect(route.match("/cases/K7QX-3M9A/confirm") == ["code": "K7QX-3M9A", "action": "confirm"])
        #expect(route.match("/cases/K7QX-3M9A/confirm/") == ["code": "K7QX-3M9A", "action": "confirm"])
        #expect(route.match("/cases/K7QX-3M9A") == nil)
        #expect(route.match("/cases//confirm") == nil)
        #expect(route.match("/case/K7QX-3M9A/confirm") == nil)
        let root = StaffRoute(method: .get, pattern: "/", role: .staff) { _ in .html("") }
        #expect(root.match("/") == [:])
        #expect(root.match("") == [:])
        #expect(root.match("/x") == nil)
    }

    @Test func responsesCarryTheSecurityHeadersAndFilesAreSandboxed() {
        let page = StaffResponse.html("<p>x</p>").cgiResponse
        #expect(page.header("Cache-Control") == "no-store")
        #expect(page.header("Content-Security-Policy")?.contains("frame-ancestors 'none'") == true)
        let file = StaffResponse.file([0x89, 0x50], contentType: "image/png", filename: "表.png", inline: true).cgiResponse
        #expect(file.header("Content-Type") == "image/png")
        #expect(file.header("Cache-Control") == "no-store")
        #expect(file.header("X-Content-Type-Options") == "nosniff")
        #expect(file.header("Content-Disposition") == "inline; filename=\"_.png\"; filename*=UTF-8''%E8%A1%A8.png")
        #expect(file.header("Content-Security-Policy")?.contains("sandbox") == true)
        let download = StaffResponse.download([], contentType: "text/csv", filename: "a\"b.csv").cgiResponse
        #expect(download.header("Content-Disposition")?.hasPrefix("attachment; filename=\"a_b.csv\"") == true)
    }

    @Test func roleCSRFAndMethodAreCheckedBeforeTheHandlerRuns() throws {
        let shop = try StaffShop()
        let clock = FixedClock(1_900_000_000)
        let store = try CaseStore.open(site: shop.dir, clock: clock, pages: nil)
        try store.addStaffAccount(name: "tencho", role: .owner, password: "owner password 1")
        try store.addStaffAccount(name: "sato", role: .staff, password: "staff password 1")
        func session(_ name: String, _ password: String) throws -> String {
            guard case .success(let token, _) = try store.staffLogin(name: name, password: password, otp: "", address: "a",
                                                                     settings: Settings.Console()) else {
                throw StaffTestFailure("login \(name) refused")
            }
            return token
        }
        let owner = try session("tencho", "owner password 1"), staff = try session("sato", "staff password 1")

        let calls = Calls()
        let routes = [
            StaffRoute(method: .get, pattern: "/owner/{thing}", role: .owner) { context in
                calls.handled.append("get \(context.params["thing"] ?? "") by \(context.user.name)")
                return .html("<p>owner page</p>")
            },
            StaffRoute(method: .post, pattern: "/owner/{thing}", role: .owner) { context in
                calls.handled.append("post by \(context.user.name)")
                return .redirect(context.link("/"))
            },
            StaffRoute(method: .get, pattern: "/work", role: .staff) { context in
                calls.handled.append("work by \(context.user.name) as \(context.actor)")
                return .html("<p>\(context.csrfField)</p>")
            },
        ]
        func respond(_ method: String, _ path: String, _ token: String) -> Int {
            let environment = ["REQUEST_METHOD": method, "PATH_INFO": path, "SCRIPT_NAME": "/staff",
                               "KAITORI_SITE": shop.dir, "HTTP_COOKIE": "kaitori_staff=\(token)", "REMOTE_ADDR": "a"]
            return StaffConsole.respond(environment: environment, body: ByteArraySource([]), clock: clock, routes: routes).status
        }

        #expect(respond("GET", "/owner/bank", staff) == 403)
        #expect(respond("POST", "/owner/bank", staff) == 403)
        #expect(calls.handled.isEmpty)
        #expect(respond("GET", "/owner/bank", owner) == 200)
        #expect(calls.handled == ["get bank by tencho"])
        // A post without a csrf_token never reaches the handler, even the owner's.
        #expect(respond("POST", "/owner/bank", owner) == 403)
        #expect(calls.handled.count == 1)
        // Staff pages are open to owners too; the actor is the logged-in name.
        #expect(respond("GET", "/work", owner) == 200)
        #expect(respond("GET", "/work", staff) == 200)
        #expect(calls.handled.last == "work by sato as staff:sato")
        #expect(respond("POST", "/work", staff) == 405)
        #expect(respond("GET", "/nothing", staff) == 404)
        #expect(respond("GET", "/work", "") == 303)
    }
}

/// Posted forms as the framework hands them to pages: urlencoded and multipart, files read into
/// memory with their temporary copies deleted, limits enforced, and nothing kept on a refusal.
@Suite struct AuthFormTests {
    final class Seen: @unchecked Sendable { var form: [String: [String]] = [:]; var files: [String: UploadedFormFile] = [:]; var calls = 0 }

    @Test func multipartFilesReachThePageAndLeaveNoCopy() throws {
        let shop = try StaffShop()
        // The sample shop's uploads.max_file_mb.
        let maxFileBytes = 10 << 20
        let clock = FixedClock(1_900_000_000)
        let store = try CaseStore.open(site: shop.dir, clock: clock, pages: nil)
        try store.addStaffAccount(name: "sato", role: .staff, password: "staff password 1")
        guard case .success(let token, let session) = try store.staffLogin(name: "sato", password: "staff password 1", otp: "",
                                                                           address: "a", settings: Settings.Console()) else {
            throw StaffTestFailure("login refused")
        }
        let seen = Seen()
        let routes = [StaffRoute(method: .post, pattern: "/import/{code}", role: .staff) { context in
            seen.calls += 1
            seen.form = context.form
            seen.files = context.files
            return .redirect(context.link("/cases/\(context.params["code"] ?? "")"))
        }]
        func post(_ fields: [(String, String)], file: [UInt8]) -> CGIResponse {
            let boundary = "----staff\(UUID().uuidString)"
            var body: [UInt8] = []
            for (name, value) in fields {
                body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
            }
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"sheet\"; filename=\"査定.csv\"\r\nContent-Type: text/csv\r\n\r\n".utf8)
            body += file + Array("\r\n--\(boundary)--\r\n".utf8)
            let environment = ["REQUEST_METHOD": "POST", "PATH_INFO": "/import/K7QX-3M9A", "SCRIPT_NAME": "/staff",
                               "KAITORI_SITE": shop.dir, "HTTP_COOKIE": "kaitori_staff=\(token)", "REMOTE_ADDR": "a",
                               "CONTENT_TYPE": "multipart/form-data; boundary=\(boundary)", "CONTENT_LENGTH": String(body.count)]
            return StaffConsole.respond(environment: environment, body: ByteArraySource(body), clock: clock, routes: routes)
        }
        func leftovers() -> [String] {
            (try? FileManager.default.contentsOfDirectory(atPath: shop.dir + "/var/staff-uploads")) ?? []
        }

        let sheet = Array("品名,数量\nカメラ,1\n".utf8)
        let ok = post([("csrf_token", session.csrfToken), ("memo", "一括"), ("memo", "二行目")], file: sheet)
        #expect(ok.status == 303)
        #expect(ok.header("Location") == "/staff/cases/K7QX-3M9A")
        #expect(seen.form["memo"] == ["一括", "二行目"])
        #expect(seen.files["sheet"] == UploadedFormFile(name: "査定.csv", contentType: "text/csv", bytes: sheet))
        #expect(leftovers().isEmpty)

        let forged = post([("csrf_token", "nope")], file: sheet)
        #expect(forged.status == 403)
        let tooBig = post([("csrf_token", session.csrfToken)], file: [UInt8](repeating: 65, count: maxFileBytes + 1))
        #expect(tooBig.status == 413)
        #expect(seen.calls == 1)
        #expect(leftovers().isEmpty)
    }
}
