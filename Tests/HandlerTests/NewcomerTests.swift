import Foundation
import Testing

/// The first run of a new shop, as the README tells a newcomer to do it: `kaitori init`, `kaitori
/// check`, `kaitori serve --port P`, one application from a browser, and the message the customer
/// gets, read as a file (the sample's `email_method: file`) with links to this machine's port.
@Suite struct NewcomerTests {
    @Test func initCheckServeApplyAndReadTheMessage() throws {
        try Products.require()
        let parent = try TestShop.temporaryFolder("newcomer")
        defer { try? FileManager.default.removeItem(atPath: parent) }
        let site = parent + "/myshop"

        let (created, initOutput) = try TestShop.runTool(Products.cli, ["init", site, "--sample", Products.repoRoot])
        #expect(created == 0, "\(initOutput)")
        let (checked, checkOutput) = try TestShop.runTool(Products.cli, ["check", "--site", site])
        #expect(checked == 0, "\(checkOutput)")
        #expect(checkOutput.contains("shop.yml: ok (0 warning(s))"), "\(checkOutput)")
        #expect(!checkOutput.contains("warning:"), "\(checkOutput)")
        // A placeholder the shop keeps in version control survives the build.
        try #require(FileManager.default.createFile(atPath: site + "/public/.gitkeep", contents: Data()))

        let port = try Self.freePort()
        let (server, output) = try ServeTests.start(site: site, port: port)
        defer { ServeTests.stop(server) }
        let base = try #require(try ServeTests.announcedURL(output))
        #expect(base == "http://127.0.0.1:\(port)/")
        #expect(FileManager.default.fileExists(atPath: site + "/public/.gitkeep"))
        // The published settings the handler reads carry the local address, not the production one.
        let published = try String(contentsOfFile: site + "/var/site.json", encoding: .utf8)
        #expect(published.contains("http://127.0.0.1:\(port)") && !published.contains("https://kaitori.marufuku-reuse.example.jp"), "\(published.prefix(400))")

        let bodyFile = parent + "/body"
        let form = Form.application()
        try Data(form.body).write(to: URL(fileURLWithPath: bodyFile))
        let (posted, postOutput) = try TestShop.runTool("/usr/bin/curl", [
            "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Type: \(form.contentType)",
            "--data-binary", "@\(bodyFile)", base + "cgi-bin/kaitori/apply",
        ])
        #expect(posted == 0 && postOutput == "303", "\(postOutput)")

        let (sent, sendOutput) = try TestShop.runTool(Products.cli, ["outbox", "send", "--site", site])
        #expect(sent == 0, "\(sendOutput)")
        let mail = site + "/var/mail"
        let files = try FileManager.default.contentsOfDirectory(atPath: mail).sorted()
        let eml = try #require(files.first { $0.hasSuffix("-email.eml") }, "no .eml in var/mail: \(files)")
        let attributes = try FileManager.default.attributesOfItem(atPath: mail + "/" + eml)
        #expect((attributes[.posixPermissions] as? NSNumber)?.intValue == 0o600)
        let message = try String(contentsOfFile: mail + "/" + eml, encoding: .utf8)
        #expect(message.contains("To: taro@example.jp"))
        let body = try #require(Self.decodedBody(message))
        #expect(body.contains("山田 太郎 様"))
        #expect(body.contains("http://127.0.0.1:\(port)/contact/"), "\(body)")

        let id = String(Int(eml.prefix { $0.isNumber }) ?? 0)
        let (shown, showOutput) = try TestShop.runTool(Products.cli, ["outbox", "show", id, "--site", site])
        #expect(shown == 0, "\(showOutput)")
        #expect(showOutput.contains("file: \(mail)/\(eml)"))
        #expect(showOutput.contains("http://127.0.0.1:\(port)/contact/"))
    }

    /// A port nobody listens on now (bound and released), so `--port P` is an explicit number.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        try #require(bound == 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// The text of a single-part base64 message.
    static func decodedBody(_ message: String) -> String? {
        guard let split = message.range(of: "\n\n") else { return nil }
        let encoded = message[split.upperBound...].replacingOccurrences(of: "\n", with: "")
        return Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) }
    }
}
