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

    /// Starts `kaitori serve` for a shop; returns the process and its stdout.
    static func start(site: String, port: Int) throws -> (Process, FileHandle) {
        let server = Process()
        server.executableURL = URL(fileURLWithPath: Products.cli)
        server.arguments = ["serve", "--site", site, "--port", String(port)]
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
