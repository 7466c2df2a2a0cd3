#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGI
import KaitoriCore
import StaffAccounts
import SettingsFile
import SitePages

/// The staff console (`kaitori-staff`): one process per request, started by the web server with
/// the request in its environment and the body on stdin (RFC 3875), like the customer handler.
///
/// Before any page runs, this enforces for every request: the session (none: pages 303 to the
/// login page, posts and files 403), the route's role (403), the CSRF token of every post (403,
/// nothing changed), 404/405 for unknown paths and methods, and the security headers.
public enum StaffConsole {
    /// The session cookie's name.
    static let sessionCookie = "kaitori_staff"

    /// Answers the request this process was started for and writes the response to stdout.
    ///
    /// - Returns: the exit status: 0 once a response is written, 1 when stdout failed.
    public static func runProcess() -> Int32 {
        let environment = CGIRequest.processEnvironment()
        let response = answer(environment: environment, body: FileDescriptorSource(fd: 0), clock: EnvironmentClock(),
                              routes: StaffRoutes.all)
        drainBody(environment: environment)
        do {
            try response.write(to: 1)
            return 0
        } catch {
            StaffLog.write("writing the response failed: \(error)")
            return 1
        }
    }

    /// Reads whatever of the body a refusal left unread (a post without a session, say): Apache's
    /// mod_cgid resets the connection, and the browser sees no answer, when a CGI program exits
    /// before taking the body it was sent. Bodies over the upload limit are left alone.
    static func drainBody(environment: [String: String]) {
        guard let length = environment["CONTENT_LENGTH"].flatMap(Int.init), length > 0, length <= 64 << 20 else { return }
        var left = length
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while left > 0 {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, min($0.count, left)) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { return }
            left -= count
        }
    }

    /// Answers one request with its body from `body` (tests pass the bytes), whole, as a CGI
    /// response: a spooled body is read into it (tests; the process sends it in chunks).
    static func respond(environment: [String: String], body: any ByteSource, clock: any Clock,
                        routes: [StaffRoute]) -> CGIResponse {
        let response = answer(environment: environment, body: body, clock: clock, routes: routes)
        var cgi = response.cgiResponse
        if let spool = response.spool, let size = try? spool.size(), let bytes = try? spool.read(at: 0, count: Int(size)) {
            cgi.body = bytes
        }
        return cgi
    }

    /// Answers one request with its body from `body`: the response to write (`StaffResponse.write`).
    static func answer(environment: [String: String], body: any ByteSource, clock: any Clock,
                       routes: [StaffRoute]) -> StaffResponse {
        let line = "\(environment["REQUEST_METHOD"] ?? "-") \(environment["SCRIPT_NAME"] ?? "")\(environment["PATH_INFO"] ?? "")"
        let scriptName = environment["SCRIPT_NAME"] ?? ""
        var session: StaffSession?
        var response: StaffResponse
        do {
            response = try dispatch(environment: environment, body: body, clock: clock, routes: routes, session: &session)
        } catch let failure as StaffFailure {
            StaffLog.write("\(line): \(failure.status): \(failure.detail)")
            response = StaffErrorPage.response(status: failure.status, session: session, scriptName: scriptName)
            if let allow = failure.allow { response.headers.append(("Allow", allow)) }
        } catch let error as StoreError {
            let (status, message) = StaffErrorPage.status(for: error)
            StaffLog.write("\(line): \(status): \(error)")
            response = StaffErrorPage.response(status: status, session: session, scriptName: scriptName, message: message)
        } catch {
            StaffLog.write("\(line): 500: \(error)")
            response = StaffErrorPage.response(status: 500, session: session, scriptName: scriptName)
        }
        if environment["REQUEST_METHOD"] == "HEAD" {
            response.body = []
            response.spool = nil
        }
        return response
    }

    private static func dispatch(environment: [String: String], body: any ByteSource, clock: any Clock,
                                 routes: [StaffRoute], session: inout StaffSession?) throws -> StaffResponse {
        guard let site = environment["KAITORI_SITE"], !site.isEmpty else {
            throw StaffFailure(status: 503, detail: "KAITORI_SITE is not set; the web server must pass the shop folder")
        }
        let settings: Settings
        do {
            settings = try SettingsFile.require(site: site)
        } catch {
            throw StaffFailure(status: 503, detail: "shop.yml in \(site) has problems (run `kaitori check`): \(error)")
        }
        let request = try StaffRequest(environment: environment, body: body)
        // The console's stylesheet and script hold nothing private: served before the session check,
        // so the login page is styled too (console-pages: Views/StaffAssets.swift).
        if request.method == .get, request.path.hasPrefix("/assets/"),
           let asset = StaffAssets.response(name: String(request.path.dropFirst("/assets/".count))) {
            return asset
        }
        let store = try openStore(site: site, store: settings.store, clock: clock)
        let scriptName = request.cgi.scriptName

        // The login and logout pages come before the session check.
        if let answer = try StaffLogin.respond(request: request, site: site, settings: settings, store: store) {
            return answer
        }

        session = try request.cookies[sessionCookie].flatMap { try store.staffSession(token: $0, settings: settings.console) }
        let match = StaffRoute.find(request.method, request.path, in: routes)
        guard let session else {
            // Pages send the browser to the login page (and back afterwards); posts and files,
            // which a browser does not navigate to, are simply refused.
            if request.method == .get, !StaffRoute.segments(request.path).contains("files") {
                var next: String?
                if case .found = match { next = request.path }
                return .redirect(StaffLogin.loginLink(scriptName: scriptName, next: next, query: request.cgi.queryString))
            }
            throw StaffFailure(status: 403, detail: "no valid session (\(request.cookies[sessionCookie] == nil ? "no cookie" : "expired or unknown"))")
        }

        switch match {
        case .notFound:
            throw StaffFailure(status: 404, detail: "no route for \(request.path)")
        case .wrongMethod(let allowed):
            var names = allowed.map(\.rawValue)
            if allowed.contains(.get) { names.append("HEAD") }
            throw StaffFailure(status: 405, detail: "\(request.cgi.method) not allowed on \(request.path)",
                               allow: names.joined(separator: ", "))
        case .found(let route, let params):
            guard session.user.role.allows(route.role) else {
                throw StaffFailure(status: 403, detail: "\(session.user.name) (\(session.user.role.rawValue)) may not use \(route.pattern), which needs \(route.role.rawValue)")
            }
            var form: [String: [String]] = [:]
            var files: [String: UploadedFormFile] = [:]
            if route.method == .post {
                (form, files) = try request.readForm(site: site, settings: settings)
                try StaffCSRF.check(request: request, form: form, session: session)
            }
            let context = StaffContext(site: site, settings: settings, store: store, user: session.user,
                                       csrfToken: session.csrfToken, now: clock.now(), params: params,
                                       query: request.query, form: form, files: files, scriptName: scriptName)
            return try route.handle(context)
        }
    }

    /// The case store for console requests. Every change made through it regenerates the
    /// customer pages of the cases it touched (the store's page publisher).
    static func openStore(site: String, store: Settings.Store, clock: any Clock) throws -> CaseStore {
        try CaseStore.open(site: site, store: store, clock: clock,
                           pages: SitePagePublisher(site: site, clock: clock, warn: { StaffLog.write($0) }))
    }
}

/// The CSRF rule: every post carries the session's token as `csrf_token`.
enum StaffCSRF {
    static let field = "csrf_token"

    /// - Throws: `StaffFailure` 403 when the token is missing or wrong, or the browser says the
    ///   post came from another site.
    static func check(request: StaffRequest, form: [String: [String]], session: StaffSession) throws {
        guard !request.isCrossSite else { throw StaffFailure(status: 403, detail: "cross-site post (Sec-Fetch-Site)") }
        guard let sent = form[field]?.first, StaffCrypto.constantTimeEqual(sent, session.csrfToken) else {
            throw StaffFailure(status: 403, detail: "post without a valid csrf_token")
        }
    }
}

/// The console's error log: stderr, which web servers put in their error log.
enum StaffLog {
    /// One line: control characters in what a client sent (a login name) cannot forge more.
    static func write(_ message: String) {
        let line = String(message.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
        let text = "kaitori-staff: " + line + "\n"
        _ = text.utf8CString.withUnsafeBufferPointer { fputs($0.baseAddress!, stderr) }
    }
}
