import Foundation

/// A built copy of the sample shop and `kaitori-fcgi` serving it on its own Unix socket, started
/// the way `spawn-fcgi` or a systemd unit starts it (one process, `KAITORI_SITE` in its environment).
final class FastCGIApp {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Where SwiftPM put the products (the folder holding the test bundle), or `KAITORI_BIN_DIR`.
    static let binaries: String = {
        if let dir = ProcessInfo.processInfo.environment["KAITORI_BIN_DIR"] { return dir }
        var url = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                      ?? CommandLine.arguments[0])
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("kaitori-fcgi").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    let site: String
    let socketPath: String
    let process: Process
    let log: URL
    var client: FastCGIClient { FastCGIClient(socketPath: socketPath) }
    var database: String { site + "/var/kaitori.sqlite3" }

    /// - Parameter threads: `--threads` (nil: the default).
    init(threads: Int? = nil) throws {
        for tool in ["kaitori", "kaitori-fcgi"] where !FileManager.default.isExecutableFile(atPath: Self.binaries + "/" + tool) {
            throw Failure("\(Self.binaries)/\(tool) is not built: run `swift build` first (or set KAITORI_BIN_DIR)")
        }
        let id = UUID().uuidString.prefix(8)
        site = NSTemporaryDirectory() + "kaitori-fcgi-shop-\(id)"
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        for name in ["shop.yml", "site-templates", "content"] {
            try FileManager.default.copyItem(atPath: Self.repoRoot + "/" + name, toPath: site + "/" + name)
        }
        try Self.kaitori(["build", "--site", site])
        // Unix socket paths are limited to 108 bytes: keep it short.
        socketPath = "/tmp/kfcgi-\(id).sock"
        log = URL(fileURLWithPath: site + "-stderr.log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binaries + "/kaitori-fcgi")
        process.arguments = ["--socket", socketPath] + (threads.map { ["--threads", String($0)] } ?? [])
        process.environment = ["KAITORI_SITE": site, "PATH": "/usr/bin:/bin"]
        process.standardError = try FileHandle(forWritingTo: log)
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(20)
        while (try? FastCGIClient.Connection(path: socketPath)) == nil {
            guard process.isRunning, Date() < deadline else { throw Failure("kaitori-fcgi did not start listening: \(stderr)") }
            usleep(20_000)
        }
    }

    deinit {
        if process.isRunning { process.terminate(); process.waitUntilExit() }
        try? FileManager.default.removeItem(atPath: site)
        try? FileManager.default.removeItem(atPath: socketPath)
        try? FileManager.default.removeItem(at: log)
    }

    var stderr: String { (try? String(contentsOf: log, encoding: .utf8)) ?? "" }

    /// The process's resident set size, in kB (`VmRSS` in /proc).
    var residentKB: Int {
        let status = (try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }

    /// The request variables a web server sends for a path under `/kaitori.fcgi`.
    func params(_ method: String, _ path: String, contentType: String? = nil, contentLength: Int? = nil) -> [String: String] {
        var params = ["GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "shop.example",
                      "SERVER_PORT": "443", "REQUEST_METHOD": method, "SCRIPT_NAME": "/kaitori.fcgi", "PATH_INFO": path,
                      "QUERY_STRING": "", "REMOTE_ADDR": "203.0.113.7", "HTTP_HOST": "shop.example"]
        if let contentType { params["CONTENT_TYPE"] = contentType }
        if let contentLength { params["CONTENT_LENGTH"] = String(contentLength) }
        return params
    }

    func get(_ path: String) throws -> FastCGIClient.Reply {
        try client.request(params("GET", path))
    }

    func post(_ path: String, _ body: [UInt8], contentType: String = "application/x-www-form-urlencoded") throws -> FastCGIClient.Reply {
        try client.request(params("POST", path, contentType: contentType, contentLength: body.count), body: body)
    }

    /// Rows in a table; 0 while the store was never created (not created here either).
    func count(_ table: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: database) else { return 0 }
        let result = try Self.run("/usr/bin/sqlite3", [database, "SELECT COUNT(*) FROM \(table)"])
        return Int(result.trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
    }

    @discardableResult
    static func kaitori(_ arguments: [String]) throws -> String {
        try run(binaries + "/kaitori", arguments)
    }

    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard process.terminationStatus == 0 else { throw Failure("\(executable) \(arguments.joined(separator: " ")): \(text)") }
        return text
    }

    /// A valid application form body, urlencoded, with its own submission id.
    static func application(name: String = "山田 太郎") -> [UInt8] {
        let fields: [(String, String)] = [
            ("name", name), ("kana", "やまだ たろう"), ("birth_date", "1985-04-12"), ("occupation", "会社員"),
            ("postal_code", "330-0063"), ("prefecture", "埼玉県"), ("address", "さいたま市浦和区高砂1-2-3"),
            ("building", ""), ("phone", "090-1234-5678"), ("email", "taro@example.jp"), ("contact", "email"),
            ("payout", "bank_transfer"), ("bank_code", "0005"), ("branch_code", "123"), ("account_type", "1"),
            ("account_number", "1234567"), ("account_holder", "ﾔﾏﾀﾞ ﾀﾛｳ"),
            ("item_category", "game"), ("item_description", "Nintendo Switch 本体"), ("item_quantity", "1"),
            ("boxes", "1"), ("kit", "no"), ("notes", ""), ("agree", "on"),
            ("submission_id", UUID().uuidString), ("website", ""),
        ]
        var allowed = CharacterSet.alphanumerics.intersection(CharacterSet(charactersIn: Unicode.Scalar(0)...Unicode.Scalar(127)))
        allowed.insert(charactersIn: "-._*")
        return Array(fields.map { "\($0.0)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
            .joined(separator: "&").utf8)
    }
}
