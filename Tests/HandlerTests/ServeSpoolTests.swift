import Foundation
import KaitoriCore
import Testing

/// What `kaitori serve` keeps of a request and of an answer: a body (a customer's ID images) only
/// in an owner-only spool without a name in the shop's var/, never in /tmp, nothing left after; an
/// answer (the console's bank file) passed on as it comes, whole.
@Suite struct ServeSpoolTests {
    @Test func anIDUploadIsSpooledOwnerOnlyInVarWithoutANameAndNothingIsLeft() throws {
        let shop = try TestShop()
        let (record, token) = try shop.caseAwaitingID()
        let tmp = try TestShop.temporaryFolder("serve-tmpdir")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let (server, output) = try ServeTests.start(site: shop.dir, port: 0, environment: ["TMPDIR": tmp])
        defer { ServeTests.stop(server) }
        let base = try #require(try ServeTests.announcedURL(output))
        let port = try #require(UInt16(base.split(separator: ":").last?.filter(\.isNumber) ?? ""))
        let varBefore = try Self.entries(shop.dir + "/var")

        // 2 MB of ID image: sent in two halves, the spool is looked at in between.
        let form = Form.multipart(Form.kycFields(), files: Form.idFiles(frontSize: 2 << 20))
        let client = try SlowClient(port: port)
        let head = "POST /cgi-bin/kaitori/kyc/\(token) HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: \(form.contentType)\r\n"
            + "Content-Length: \(form.body.count)\r\n\r\n"
        #expect(client.send(Array(head.utf8) + form.body[..<(form.body.count / 2)]))
        let spool = try #require(Self.spools(of: server.processIdentifier, in: shop.dir + "/var", waiting: 10).first,
                                 "no spool in var/ while the body arrives")
        #expect(spool.target.hasSuffix(" (deleted)"), "the spool has a name: \(spool.target)")
        #expect(spool.mode & 0o777 == 0o600, "spool mode \(String(spool.mode & 0o777, radix: 8))")
        #expect(spool.links == 0)
        #expect(client.send(Array(form.body[(form.body.count / 2)...])))
        let reply = client.readAll()
        #expect(reply.hasPrefix("HTTP/1.1 303"), "\(reply.prefix(300))")

        // The body reached the handler whole: the stored front is the bytes sent.
        let checks = try shop.store().idChecks(caseID: record.id)
        let front = try #require(checks.first?.files.first)
        #expect(FileManager.default.contents(atPath: front.path).map(Array.init) == Form.fileBytes("jpeg", size: 2 << 20))
        // Nothing left: no descriptor, nothing in TMPDIR, no new file in var/ (the upload is in var/uploads).
        #expect(try Self.spools(of: server.processIdentifier, in: shop.dir + "/var", waiting: 0).isEmpty)
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
        let added = try Self.entries(shop.dir + "/var").subtracting(varBefore)
        #expect(added.filter { !$0.hasPrefix("kaitori.sqlite3") && $0 != "uploads" }.isEmpty, "new in var/: \(added.sorted())")
    }

    /// The bank file of 1,000 cases (about 120 KB, several chunks) downloaded from the console
    /// through serve is the CLI's file byte for byte, with kaitori-staff's length; an answer
    /// without a length (the case list as CSV) goes chunked to HTTP/1.1 and to the connection's
    /// end for HTTP/1.0, the same bytes both ways.
    @Test func aLargeAnswerArrivesWholeWithOrWithoutItsLength() throws {
        let shop = try TestShop()
        try Self.addDueCases(shop, count: 1000)
        let password = "serve-test-" + UUID().uuidString
        let (added, addOutput) = try Self.run(Products.cli, ["staff", "add", "owner1", "--role", "owner", "--password-stdin", "--site", shop.dir],
                                              stdin: password + "\n")
        try #require(added == 0, "\(addOutput)")
        let tmp = try TestShop.temporaryFolder("serve-tmpdir")
        defer { try? FileManager.default.removeItem(atPath: tmp) }
        let (server, output) = try ServeTests.start(site: shop.dir, port: 0, environment: ["TMPDIR": tmp])
        defer { ServeTests.stop(server) }
        let base = try #require(try ServeTests.announcedURL(output))
        let session = try Self.logIn(base, "owner1", password)
        let payments = try Self.curl(["-H", "Cookie: \(session)", base + "staff/payments"])
        let csrf = try #require(try Self.capture(#"name="csrf_token" value="([0-9a-f]{64})""#, in: payments))

        let folder = try TestShop.temporaryFolder("serve-download")
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try Self.curl(["-D", folder + "/head", "-o", folder + "/body", "-H", "Cookie: \(session)",
                           "-d", "csrf_token=\(csrf)", "-d", "date=1225", "-d", "include_exported=1", base + "staff/payments/zengin"])
        let headers = try Self.headers(folder + "/head")
        #expect(headers["status"] == "HTTP/1.1 200 OK")
        #expect(headers["content-type"] == "application/octet-stream")
        let (exported, exportOutput) = try TestShop.runTool(Products.cli, ["zengin", "export", "--date", "1225", "--include-exported",
                                                                            "-o", folder + "/cli.txt", "--site", shop.dir])
        #expect(exported == 0, "\(exportOutput)")
        let downloaded = try Data(contentsOf: URL(fileURLWithPath: folder + "/body"))
        let written = try Data(contentsOf: URL(fileURLWithPath: folder + "/cli.txt"))
        #expect(downloaded.count > 64 << 10 && downloaded == written, "\(downloaded.count) bytes downloaded, \(written.count) written")
        #expect(headers["content-length"] == String(downloaded.count) && headers["transfer-encoding"] == nil)
        // kaitori-staff's own Content-Length is parsed as a header, not passed on as a second one.
        let head = try String(contentsOfFile: folder + "/head", encoding: .utf8).lowercased()
        #expect(head.components(separatedBy: "\r\ncontent-length:").count == 2, "\(head)")

        _ = try Self.curl(["-D", folder + "/csv-head", "-o", folder + "/csv", "-H", "Cookie: \(session)", base + "staff/cases.csv"])
        _ = try Self.curl(["-0", "-D", folder + "/csv10-head", "-o", folder + "/csv10", "-H", "Cookie: \(session)", base + "staff/cases.csv"])
        let chunked = try Self.headers(folder + "/csv-head"), closed = try Self.headers(folder + "/csv10-head")
        #expect(chunked["status"] == "HTTP/1.1 200 OK" && chunked["transfer-encoding"] == "chunked" && chunked["content-length"] == nil)
        #expect(closed["status"] == "HTTP/1.1 200 OK" && closed["transfer-encoding"] == nil && closed["content-length"] == nil)
        let csv = try Data(contentsOf: URL(fileURLWithPath: folder + "/csv"))
        let csv10 = try Data(contentsOf: URL(fileURLWithPath: folder + "/csv10"))
        #expect(csv.count > 64 << 10 && csv == csv10, "\(csv.count) bytes chunked, \(csv10.count) to the end of the connection")
        #expect(String(decoding: csv, as: UTF8.self).split(whereSeparator: \.isNewline).count == 1001)

        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp).isEmpty)
        #expect(try Self.entries(shop.dir + "/var").filter { $0.contains("spool") }.isEmpty)
    }

    /// An open descriptor of a process on a file in `folder` (its name, or its old name and
    /// " (deleted)"), with the file's mode and link count.
    struct OpenFile {
        var target: String
        var mode: UInt32
        var links: UInt
    }

    /// The files in `folder` that `pid` holds open, looked for up to `waiting` seconds until one is.
    static func spools(of pid: Int32, in folder: String, waiting: Double) throws -> [OpenFile] {
        let until = Date().addingTimeInterval(waiting)
        while true {
            var found: [OpenFile] = []
            for fd in (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd")) ?? [] {
                let link = "/proc/\(pid)/fd/\(fd)"
                guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: link),
                      target.hasPrefix(folder + "/"), !target.hasPrefix(folder + "/uploads") else { continue }
                var info = stat()
                guard stat(link, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { continue }
                found.append(OpenFile(target: target, mode: info.st_mode, links: UInt(info.st_nlink)))
            }
            if !found.isEmpty || Date() >= until { return found }
            usleep(20_000)
        }
    }

    static func entries(_ folder: String) throws -> Set<String> {
        Set(try FileManager.default.contentsOfDirectory(atPath: folder))
    }

    /// `count` purchased, unpaid bank-transfer cases with valid accounts (the bench's SQL).
    static func addDueCases(_ shop: TestShop, count: Int) throws {
        _ = try shop.store()
        let sql = try String(contentsOfFile: Products.repoRoot + "/bench/sql/purchased-cases.sql", encoding: .utf8)
            .replacingOccurrences(of: "@count", with: String(count)).replacingOccurrences(of: "@first", with: "0")
            .replacingOccurrences(of: "@now", with: String(Int(Date().timeIntervalSince1970)))
        try Database(path: shop.database).execute(sql)
    }

    /// Logs in to the console through serve as a browser does; the session's `Cookie:` value.
    static func logIn(_ base: String, _ user: String, _ password: String) throws -> String {
        let page = try curl(["-i", base + "staff/login"])
        let token = try #require(try capture(#"(?i)set-cookie: kaitori_staff_login=([^;\r\n]+)"#, in: page))
        let login = try curl(["-i", "-H", "Cookie: kaitori_staff_login=\(token)", "-d", "csrf_token=\(token)", "-d", "user=\(user)",
                              "--data-urlencode", "password=\(password)", "-d", "otp=", base + "staff/login"])
        #expect(login.hasPrefix("HTTP/1.1 303"), "\(login.prefix(400))")
        let session = try #require(try capture(#"(?i)set-cookie: (kaitori_staff=[^;\r\n]+)"#, in: login))
        return session
    }

    /// The first group of `pattern`'s first match in `text`.
    static func capture(_ pattern: String, in text: String) throws -> String? {
        try Regex(pattern).firstMatch(in: text).flatMap { $0.output[1].substring.map(String.init) }
    }

    /// curl -sS with `arguments`; its output, failing the test when curl fails.
    static func curl(_ arguments: [String]) throws -> String {
        let (status, output) = try TestShop.runTool("/usr/bin/curl", ["-sS", "-m", "60"] + arguments)
        try #require(status == 0, "curl \(arguments): \(output)")
        return output
    }

    /// A header file curl wrote (`-D`): names lowercased, the status line as "status".
    static func headers(_ path: String) throws -> [String: String] {
        var headers: [String: String] = [:]
        let lines = try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\r\n")
        headers["status"] = lines.first
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        return headers
    }

    /// Runs a tool with `stdin`; its exit status and its stdout and stderr together.
    static func run(_ path: String, _ arguments: [String], stdin: String) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = output
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let text = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
    }
}
