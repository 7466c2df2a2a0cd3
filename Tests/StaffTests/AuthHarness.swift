import Foundation
import KaitoriCore

/// A throwaway shop for console tests, and `kaitori-staff` run the way a web server runs it: the
/// request in a CGI/1.1 environment, the body on stdin, the response read back from stdout.
/// (console-auth's harness; the page tests may use it too.)
final class StaffShop {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The built products: `KAITORI_BIN_DIR`, else the folder holding the test bundle.
    static let binDirectory: String = {
        if let dir = ProcessInfo.processInfo.environment["KAITORI_BIN_DIR"] { return dir }
        var url = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                      ?? CommandLine.arguments[0])
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("kaitori-staff").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    let dir: String

    /// A copy of the sample shop's settings and templates; `settings` is appended to shop.yml.
    init(settings extra: String = "") throws {
        for tool in ["kaitori", "kaitori-staff"] where !FileManager.default.isExecutableFile(atPath: Self.binDirectory + "/" + tool) {
            throw StaffTestFailure("\(tool) is not built in \(Self.binDirectory): run `swift build` first (or set KAITORI_BIN_DIR)")
        }
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-staff-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for name in ["shop.yml", "site-templates", "content"] {
            try FileManager.default.copyItem(atPath: Self.repoRoot + "/" + name, toPath: dir + "/" + name)
        }
        if !extra.isEmpty {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: dir + "/shop.yml"))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(("\n" + extra + "\n").utf8))
            try handle.close()
        }
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    var database: String { dir + "/var/kaitori.sqlite3" }

    /// `kaitori ARGS --site DIR` with `stdin`; the exit status and stdout + stderr.
    @discardableResult
    func kaitori(_ arguments: [String], stdin: String = "") throws -> (status: Int32, output: String) {
        let result = try Self.launch(Self.binDirectory + "/kaitori", arguments: arguments + ["--site", dir],
                                     environment: ProcessInfo.processInfo.environment, stdin: Array(stdin.utf8))
        return (result.status, String(decoding: result.stdout + result.stderr, as: UTF8.self))
    }

    /// Adds an account through the CLI, failing the test if it is refused.
    func addAccount(_ name: String, role: StaffRole, password: String) throws {
        let result = try kaitori(["staff", "add", name, "--role", role.rawValue, "--password-stdin"], stdin: password + "\n")
        guard result.status == 0 else { throw StaffTestFailure("kaitori staff add \(name): \(result.output)") }
    }

    /// One request to `kaitori-staff`.
    func request(_ method: String, _ path: String, cookies: [String: String] = [:], form: [(String, String)]? = nil,
                 now: Int64? = nil, environment extra: [String: String] = [:]) throws -> StaffReply {
        var environment = [
            "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "shop.example",
            "SERVER_PORT": "443", "REQUEST_METHOD": method, "SCRIPT_NAME": "/staff", "PATH_INFO": path,
            "QUERY_STRING": "", "REMOTE_ADDR": "203.0.113.9", "HTTP_HOST": "shop.example", "KAITORI_SITE": dir,
            "PATH": "/usr/bin:/bin",
        ]
        var body: [UInt8] = []
        if let form {
            body = Array(Self.urlencoded(form).utf8)
            environment["CONTENT_TYPE"] = "application/x-www-form-urlencoded"
            environment["CONTENT_LENGTH"] = String(body.count)
        }
        if !cookies.isEmpty {
            environment["HTTP_COOKIE"] = cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")
        }
        if let now { environment["KAITORI_NOW"] = String(now) }
        for (name, value) in extra { environment[name] = value }
        let result = try Self.launch(Self.binDirectory + "/kaitori-staff", arguments: [], environment: environment, stdin: body)
        guard result.status == 0 else {
            throw StaffTestFailure("kaitori-staff exited \(result.status): \(String(decoding: result.stderr, as: UTF8.self))")
        }
        return try StaffReply(result.stdout, log: String(decoding: result.stderr, as: UTF8.self))
    }

    /// Logs in through the login page as a browser does (GET for the form's token, then POST);
    /// returns the reply, whose `session` is set on success.
    func login(_ name: String, _ password: String, otp: String = "", now: Int64? = nil,
               address: String = "203.0.113.9", environment: [String: String] = [:]) throws -> StaffReply {
        var environment = environment
        environment["REMOTE_ADDR"] = address
        let page = try request("GET", "/login", now: now, environment: environment)
        guard let token = page.cookie(StaffShop.loginCookie) else { throw StaffTestFailure("GET /login set no login cookie") }
        return try request("POST", "/login", cookies: [StaffShop.loginCookie: token],
                           form: [("csrf_token", token), ("user", name), ("password", password), ("otp", otp)],
                           now: now, environment: environment)
    }

    /// A session for an account, failing the test if the login is refused.
    func session(_ name: String, _ password: String, now: Int64? = nil) throws -> String {
        let reply = try login(name, password, now: now)
        guard reply.status == 303, let session = reply.cookie(StaffShop.sessionCookie), !session.isEmpty else {
            throw StaffTestFailure("login as \(name) failed: \(reply.status) \(reply.body.prefix(400))")
        }
        return session
    }

    /// The CSRF token of a session, as the pages put it into forms (read from a page's logout form).
    func csrfToken(session: String, now: Int64? = nil) throws -> String {
        let page = try request("GET", "/", cookies: [StaffShop.sessionCookie: session], now: now)
        guard let range = page.body.range(of: "name=\"csrf_token\" value=\"") else {
            throw StaffTestFailure("no csrf_token on the dashboard (\(page.status))")
        }
        return String(page.body[range.upperBound...].prefix(64))
    }

    /// A value read straight from the store (for checks no page shows).
    func scalar(_ sql: String) throws -> Int64 {
        let db = try Database(path: database)
        return try db.query(sql).first.map { $0.int($0.values.keys.first!) } ?? -1
    }

    static let sessionCookie = "kaitori_staff"
    static let loginCookie = "kaitori_staff_login"

    static func urlencoded(_ pairs: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return pairs.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    static func launch(_ executable: String, arguments: [String], environment: [String: String],
                       stdin: [UInt8]) throws -> (status: Int32, stdout: [UInt8], stderr: [UInt8]) {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("staff-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("stdin"), output = scratch.appendingPathComponent("stdout")
        let errors = scratch.appendingPathComponent("stderr")
        try Data(stdin).write(to: input)
        try Data().write(to: output)
        try Data().write(to: errors)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        return (process.terminationStatus, Array(try Data(contentsOf: output)), Array(try Data(contentsOf: errors)))
    }
}

/// A parsed CGI response.
struct StaffReply {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String
    var log: String

    init(_ bytes: [UInt8], log: String) throws {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { throw StaffTestFailure("no header block in: \(text.prefix(300))") }
        headers = []
        for line in text[..<end.lowerBound].components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { throw StaffTestFailure("bad header line \"\(line)\"") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        guard let status = headers.first(where: { $0.name == "Status" }).flatMap({ Int($0.value.prefix(3)) }) else {
            throw StaffTestFailure("no Status header in \(headers)")
        }
        self.status = status
        body = String(text[end.upperBound...])
        self.log = log
    }

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Every `Set-Cookie` line for a cookie name.
    func setCookie(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == "set-cookie" && $0.value.hasPrefix(name + "=") }?.value
    }

    /// The value a `Set-Cookie` gives a cookie.
    func cookie(_ name: String) -> String? {
        setCookie(name).map { String($0.dropFirst(name.count + 1).prefix { $0 != ";" }) }
    }
}

struct StaffTestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
