import Foundation

/// Runs the built `kaitori` and `kaitori-cgi` as a shop's staff and a web server would.
enum Binaries {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// The folder holding the built products: $KAITORI_BIN, else next to the test bundle, else .build/debug.
    static let directory: String = {
        if let dir = ProcessInfo.processInfo.environment["KAITORI_BIN"] { return dir }
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        for _ in 0..<4 {
            url.deleteLastPathComponent()
            if FileManager.default.isExecutableFile(atPath: url.appendingPathComponent("kaitori-cgi").path) { return url.path }
        }
        return repoRoot + "/.build/debug"
    }()

    struct Result {
        var status: Int32
        var stdout: Data
        var stderr: String
        var text: String { String(decoding: stdout, as: UTF8.self) }
    }

    static func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], stdin: Data = Data()) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: directory + "/" + executable)
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let input = Pipe(), output = Pipe(), errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        input.fileHandleForWriting.write(stdin)
        try input.fileHandleForWriting.close()
        // Read both pipes fully before waiting, so a large output never blocks the child.
        var out = Data(), err = Data()
        let group = DispatchGroup()
        group.enter()
        DispatchQueue.global().async { err = errors.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        out = output.fileHandleForReading.readDataToEndOfFile()
        group.wait()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, stdout: out, stderr: String(decoding: err, as: UTF8.self))
    }

    /// `kaitori ARGS --site SITE`, expecting success.
    @discardableResult
    static func kaitori(_ site: String, _ arguments: [String], stdin: Data = Data()) throws -> Result {
        let result = try run("kaitori", arguments + ["--site", site], environment: ["KAITORI_STAFF": "鈴木"], stdin: stdin)
        if result.status != 0 {
            throw Failure("kaitori \(arguments.joined(separator: " ")) exited \(result.status): \(result.stderr)")
        }
        return result
    }

    /// One CGI request to kaitori-cgi, as a web server makes it.
    static func cgi(_ site: String, method: String = "POST", path: String, contentType: String? = nil, body: Data = Data(),
                    extra: [String: String] = [:]) throws -> CGIReply {
        var env = ["GATEWAY_INTERFACE": "CGI/1.1", "REQUEST_METHOD": method, "PATH_INFO": path,
                   "SCRIPT_NAME": "/cgi-bin/kaitori", "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "8080",
                   "SERVER_PROTOCOL": "HTTP/1.1", "REMOTE_ADDR": "127.0.0.1", "KAITORI_SITE": site,
                   "CONTENT_LENGTH": String(body.count)]
        if let contentType { env["CONTENT_TYPE"] = contentType }
        for (k, v) in extra { env[k] = v }
        let result = try run("kaitori-cgi", [], environment: env, stdin: body)
        return try CGIReply(result.stdout)
    }

    static func makeShop() throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-e2e-\(UUID().uuidString)").path
        let result = try run("kaitori", ["init", dir, "--sample", repoRoot])
        if result.status != 0 { throw Failure("kaitori init: \(result.stderr)") }
        try kaitori(dir, ["build"])
        return dir
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}

/// A parsed CGI response: `Status:` line, headers, body.
struct CGIReply {
    var status: Int
    var headers: [String: String]
    var body: String

    init(_ data: Data) throws {
        let bytes = [UInt8](data)
        guard let split = (0..<max(0, bytes.count - 3)).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }) else {
            throw Failure("no header/body separator in CGI output: \(String(decoding: data, as: UTF8.self).prefix(300))")
        }
        let head = String(decoding: bytes[..<split], as: UTF8.self)
        body = String(decoding: bytes[(split + 4)...], as: UTF8.self)
        headers = [:]
        status = 200
        for line in head.components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = line[..<colon].lowercased()
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers[name] = value
            if name == "status" { status = Int(value.prefix(3)) ?? 0 }
        }
    }
}

enum Forms {
    static func urlencoded(_ pairs: [(String, String)]) -> Data {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let text = pairs.map { k, v in
            "\(k.addingPercentEncoding(withAllowedCharacters: allowed)!)=\(v.addingPercentEncoding(withAllowedCharacters: allowed)!)"
        }.joined(separator: "&")
        return Data(text.utf8)
    }

    static func multipart(_ fields: [(String, String)], files: [(name: String, filename: String, type: String, data: Data)], boundary: String) -> Data {
        var body = Data()
        for (k, v) in fields {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8))
        }
        for f in files {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(f.name)\"; filename=\"\(f.filename)\"\r\nContent-Type: \(f.type)\r\n\r\n".utf8))
            body.append(f.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        return body
    }

    /// A tiny but real PNG (1×1 pixel) standing in for a photographed ID.
    static let png = Data(base64Encoded: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==")!

    static let application: [(String, String)] = [
        ("name", "佐藤 花子"), ("kana", "さとう はなこ"), ("birth_date", "1990-07-15"), ("occupation", "会社員"),
        ("postal_code", "１１２-０００１"), ("prefecture", "東京都"), ("address", "文京区白山1-2-3"), ("building", "白山ハイツ201"),
        ("phone", "080-1111-2222"), ("email", "hanako@example.jp"), ("contact", "email"),
        ("payout", "bank_transfer"), ("bank_code", "0001"), ("branch_code", "001"), ("account_type", "1"),
        ("account_number", "7654321"), ("account_holder", "サトウ　ハナコ"),
        ("item_category", "camera"), ("item_description", "Nikon Z6 ボディ"), ("item_quantity", "1"),
        ("item_category", "game"), ("item_description", "PS5 コントローラー"), ("item_quantity", "2"),
        ("boxes", "1"), ("kit", "no"), ("notes", "平日の夕方以降に連絡希望"), ("agree", "on"), ("submission_id", "e2e-\(UUID().uuidString)"),
    ]
}
