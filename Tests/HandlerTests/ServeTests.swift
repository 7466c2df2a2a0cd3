import Foundation
import Testing

/// `kaitori serve` as a customer's browser would meet it, driven by curl.
@Suite struct ServeTests {
    @Test func answersARealFormPostFromCurl() throws {
        let shop = try TestShop()
        let (server, output) = try Self.start(site: shop.dir, port: 0)
        defer { Self.stop(server) }

        let base = try #require(try Self.announcedURL(output))
        let form = Form.application()
        let bodyFolder = try TestShop.temporaryFolder("serve-body")
        defer { try? FileManager.default.removeItem(atPath: bodyFolder) }
        let bodyFile = bodyFolder + "/body"
        try Data(form.body).write(to: URL(fileURLWithPath: bodyFile))

        let (posted, postOutput) = try TestShop.runTool("/usr/bin/curl", [
            "-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
            "-H", "Content-Type: \(form.contentType)", "--data-binary", "@\(bodyFile)", base + "cgi-bin/kaitori/apply",
        ])
        #expect(posted == 0, "\(postOutput)")
        let parts = postOutput.split(separator: " ")
        #expect(parts.first == "303")
        let location = try #require(parts.last.map(String.init))
        #expect(location.hasPrefix(base + "cgi-bin/kaitori/applied/"))
        #expect(try shop.count("cases") == 1)

        let (fetched, page) = try TestShop.runTool("/usr/bin/curl", ["-sS", "-i", location])
        #expect(fetched == 0)
        #expect(page.hasPrefix("HTTP/1.1 200"))
        #expect(page.contains(String(location.suffix(9))))
        #expect(page.lowercased().contains("cache-control: no-store"))

        // The new case's status page (the first message links it) has no file yet: the server
        // hands the link to the handler, which renders it from the store.
        let record = try shop.store().load(code: String(location.suffix(9)))
        let statusToken = try #require(record.statusToken)
        #expect(!shop.exists("/status/\(statusToken)/index.html"))
        let (_, status) = try TestShop.runTool("/usr/bin/curl", ["-sS", "-i", base + "status/\(statusToken)/"])
        #expect(status.hasPrefix("HTTP/1.1 200") && status.contains(record.code), "\(status)")
        #expect(status.lowercased().contains("referrer-policy: no-referrer"))
        let (_, unknown) = try TestShop.runTool("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}",
                                                                  base + "status/" + String(repeating: "a", count: 32) + "/"])
        #expect(unknown == "404")

        // The static side: the form itself, a folder without its slash, and what must never be served.
        let (_, form200) = try TestShop.runTool("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{content_type}", base + "apply/"])
        #expect(form200 == "200 text/html; charset=utf-8")
        let (_, moved) = try TestShop.runTool("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", base + "apply"])
        #expect(moved == "301 \(base)apply/")
        let (_, escape) = try TestShop.runTool("/usr/bin/curl", ["-sS", "--path-as-is", "-o", "/dev/null", "-w", "%{http_code}", base + "../var/site.json"])
        #expect(escape == "400")
        let (_, missing) = try TestShop.runTool("/usr/bin/curl", ["-sS", "-o", "/dev/null", "-w", "%{http_code}", base + "no-such-page/"])
        #expect(missing == "404")
    }

    /// A slowloris client (one byte a second, never finishing its head) is answered 408 and
    /// dropped at the request deadline; while it holds a connection others are served, and past
    /// the connection cap a client gets a 503 at once rather than waiting.
    @Test func aSlowClientIsDroppedAtTheDeadlineAndTheCapKeepsOthersServed() throws {
        let shop = try TestShop()
        let (server, output) = try Self.start(site: shop.dir, port: 0, extra: ["--request-timeout", "3", "--max-connections", "2"])
        defer { Self.stop(server) }
        let base = try #require(try Self.announcedURL(output))
        let port = try #require(UInt16(base.split(separator: ":").last?.filter(\.isNumber) ?? ""))

        func status(_ url: String) throws -> String {
            try TestShop.runTool("/usr/bin/curl", ["-sS", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}", url]).1
        }
        let slow = try SlowClient(port: port)
        let started = Date()
        var closedAfter: TimeInterval? = nil
        var answer = ""
        for byte in Array("GET / HTTP/1.1\r\nHost: x\r\n".utf8) {
            if !slow.send(byte) { closedAfter = Date().timeIntervalSince(started); break }
            if let reply = slow.readIfClosed() { answer = reply; closedAfter = Date().timeIntervalSince(started); break }
            // One slow client below the cap: everybody else is served meanwhile.
            if Date().timeIntervalSince(started) < 1.2 { #expect(try status(base + "apply/") == "200") }
            sleep(1)
        }
        let after = try #require(closedAfter, "the slow client was never dropped")
        #expect(after >= 2.5 && after < 8, "dropped after \(after) s")
        #expect(answer.isEmpty || answer.hasPrefix("HTTP/1.1 408"), "\(answer)")

        // Two idle clients fill the cap: a third is answered 503 at once, not queued.
        let idle = [try SlowClient(port: port), try SlowClient(port: port)]
        usleep(300_000)
        let t = Date()
        #expect(try status(base + "apply/") == "503")
        #expect(Date().timeIntervalSince(t) < 2)
        // At their deadline the idle ones are dropped and the server serves again.
        sleep(4)
        #expect(try status(base + "apply/") == "200")
        _ = idle
    }

    /// A response header with a line break is never sent as it is (a split header would inject
    /// another): the server answers 502 instead.
    @Test func aHeaderValueWithALineBreakIsNeverSent() throws {
        let shop = try TestShop()
        let (server, output) = try Self.start(site: shop.dir, port: 0)
        defer { Self.stop(server) }
        let base = try #require(try Self.announcedURL(output))
        // A folder path without its slash is redirected with the path in Location; a raw CR in
        // the request target would end up there.
        let port = try #require(UInt16(base.split(separator: ":").last?.filter(\.isNumber) ?? ""))
        let client = try SlowClient(port: port)
        for byte in Array("GET /apply?\rSet-Cookie:x=1 HTTP/1.1\r\nHost: x\r\n\r\n".utf8) { _ = client.send(byte, wait: false) }
        let reply = client.readAll()
        #expect(!reply.lowercased().contains("\r\nset-cookie"), "\(reply)")
        #expect(reply.hasPrefix("HTTP/1.1 502"), "\(reply)")
    }

    /// Starts `kaitori serve` for a shop, with `environment` over ours; returns the process and its stdout.
    static func start(site: String, port: Int, extra: [String] = [], environment: [String: String] = [:]) throws -> (Process, FileHandle) {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Products.cli)
        server.arguments = ["serve", "--site", site, "--port", String(port)] + extra
        server.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let output = Pipe()
        server.standardOutput = output
        server.standardError = FileHandle.nullDevice
        try server.run()
        return (server, output.fileHandleForReading)
    }

    /// Stops the server as Ctrl-C or a service manager would; one that ignores SIGTERM fails the
    /// test instead of hanging the run.
    static func stop(_ server: Process) {
        server.terminate()
        let deadline = Date().addingTimeInterval(5)
        while server.isRunning, Date() < deadline { usleep(50_000) }
        if server.isRunning {
            kill(server.processIdentifier, SIGKILL)
            Issue.record("kaitori serve did not stop on SIGTERM")
        }
        server.waitUntilExit()
    }

    /// Reads the server's stdout up to the line announcing its address.
    static func announcedURL(_ handle: FileHandle) throws -> String? {
        var text = ""
        let deadline = Date().addingTimeInterval(120)
        while Date() < deadline {
            let chunk = handle.availableData
            if chunk.isEmpty { return nil }
            text += String(decoding: chunk, as: UTF8.self)
            // The build prints the shop's own base URL first; the server's line starts with "Serving".
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("Serving ") }),
               let range = line.range(of: #"http://127\.0\.0\.1:[0-9]+/"#, options: .regularExpression) {
                return String(line[range])
            }
        }
        return nil
    }
}

/// A raw TCP client for the slow-client tests.
final class SlowClient {
    let fd: Int32

    init(port: UInt16) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let rc = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard rc == 0 else { throw CGIRun.Failure("connect failed: \(errno)") }
    }

    deinit { close(fd) }

    /// Sends one byte; false once the server has closed the connection.
    func send(_ byte: UInt8, wait: Bool = true) -> Bool {
        var b = byte
        return Glibc.send(fd, &b, 1, Int32(MSG_NOSIGNAL)) == 1
    }

    /// Sends all of `bytes`; false once the server has closed the connection.
    func send(_ bytes: [UInt8]) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n <= 0 { return false }
            offset += n
        }
        return true
    }

    /// What the server sent, if it has closed the connection (nil while it is still open).
    func readIfClosed() -> String? {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 0) > 0 else { return out.isEmpty ? nil : String(decoding: out, as: UTF8.self) }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { return String(decoding: out, as: UTF8.self) }
            out += buffer[..<n]
        }
    }

    /// Everything until the server closes (at most 10 s).
    func readAll() -> String {
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            out += buffer[..<n]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
