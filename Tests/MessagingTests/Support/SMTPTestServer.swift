import Foundation

/// A real SMTP server for a test: `tests-support/smtp_server.py` (aiosmtpd) on 127.0.0.1,
/// recording each accepted message as JSON decoded by Python's email package.
final class SMTPTestServer {
    /// One accepted message, as the script recorded it.
    struct Received: Decodable {
        var mail_from: String
        var rcpt_tos: [String]
        var tls: Bool
        var auth_user: String?
        var headers: [String: String]
        var from_name: String?
        var from_address: String?
        var date_unix: Int64?
        var content_type: String
        var charset: String?
        var body: String
        var defects: [String]
        var raw: String
    }

    struct StartFailure: Error, CustomStringConvertible {
        let description: String
    }

    let port: Int
    let directory: String
    private let process: Process
    private let stdin: Pipe

    /// Starts the server and waits until it accepts connections.
    /// - Parameter port: 0 for any free port.
    init(port: Int = 0, tlsCertificate: TestCertificate? = nil, auth: String? = nil,
         rejecting rejected: [String] = [], injectAfterStarttls: Bool = false, implicitTLS: Bool = false) throws {
        directory = TestShop.tempDir()
        var arguments = ["python3", TestShop.repoRoot + "/tests-support/smtp_server.py", "--dir", directory, "--port", String(port)]
        if let tlsCertificate { arguments += ["--tls-cert", tlsCertificate.cert, "--tls-key", tlsCertificate.key] }
        if let auth { arguments += ["--auth", auth] }
        for address in rejected { arguments += ["--reject-rcpt", address] }
        if injectAfterStarttls { arguments.append("--inject-after-starttls") }
        if implicitTLS { arguments.append("--implicit-tls") }
        process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = arguments
        stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        // The first line is `READY <port>`; anything else means it did not start (no aiosmtpd?).
        var line = Data()
        while true {
            let byte = stdout.fileHandleForReading.readData(ofLength: 1)
            if byte.isEmpty || byte == Data("\n".utf8) { break }
            line += byte
        }
        let text = String(decoding: line, as: UTF8.self)
        guard text.hasPrefix("READY "), let chosen = Int(text.dropFirst(6)) else {
            process.waitUntilExit()
            let error = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw StartFailure(description: "smtp_server.py did not start (pip install aiosmtpd): \(text) \(error)")
        }
        self.port = chosen
    }

    deinit { stop() }

    func stop() {
        guard process.isRunning else { return }
        try? stdin.fileHandleForWriting.close()
        process.waitUntilExit()
    }

    /// The messages received so far, in order.
    func received() throws -> [Received] {
        let files = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".json") }.sorted()
        return try files.map {
            try JSONDecoder().decode(Received.self, from: Data(contentsOf: URL(fileURLWithPath: directory + "/" + $0)))
        }
    }

    /// A port nothing listens on (bound, then released).
    static func unusedPort() -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A server certificate and key for `names` (SAN entries such as `DNS:localhost`,
    /// `IP:127.0.0.1`), signed by a certificate authority made for this test, whose certificate
    /// (`ca`) the client trusts; all made with the openssl tool.
    struct TestCertificate {
        let ca: String
        let cert: String
        let key: String
    }

    static func makeCertificate(names: [String] = ["DNS:localhost", "IP:127.0.0.1"]) throws -> TestCertificate {
        let dir = TestShop.tempDir()
        func openssl(_ arguments: [String]) throws {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            p.arguments = ["openssl"] + arguments
            p.standardOutput = FileHandle.nullDevice
            p.standardError = FileHandle.nullDevice
            try p.run()
            p.waitUntilExit()
            guard p.terminationStatus == 0 else { throw StartFailure(description: "openssl \(arguments.first ?? "") failed") }
        }
        try openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=Kaitori Test CA",
                     "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                     "-keyout", dir + "/ca.key", "-out", dir + "/ca.pem"])
        try openssl(["req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=kaitori test server",
                     "-keyout", dir + "/key.pem", "-out", dir + "/server.csr"])
        try "subjectAltName=\(names.joined(separator: ","))\nextendedKeyUsage=serverAuth\n".write(toFile: dir + "/ext.cnf", atomically: true, encoding: .utf8)
        try openssl(["x509", "-req", "-in", dir + "/server.csr", "-CA", dir + "/ca.pem", "-CAkey", dir + "/ca.key", "-CAcreateserial",
                     "-days", "1", "-extfile", dir + "/ext.cnf", "-out", dir + "/cert.pem"])
        return TestCertificate(ca: dir + "/ca.pem", cert: dir + "/cert.pem", key: dir + "/key.pem")
    }
}
