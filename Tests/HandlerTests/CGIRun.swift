import Foundation

/// `kaitori-cgi` run once, the way a web server runs it: the request in a CGI/1.1 environment,
/// the body on stdin, the response read back from stdout.
struct CGIRun {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: String
    /// What the handler logged (the web server's error log).
    var log: String

    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Runs the handler.
    ///
    /// - Parameters:
    ///   - contentLength: overrides `CONTENT_LENGTH` (a lying or oversized length); by default the
    ///     body's size.
    ///   - environment: more variables, or `nil` values to leave one out.
    static func run(site: String?, method: String, path: String, body: [UInt8] = [], contentType: String? = nil,
                    contentLength: Int? = nil, environment extra: [String: String?] = [:]) throws -> CGIRun {
        var environment = [
            "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "shop.example",
            "SERVER_PORT": "443", "REQUEST_METHOD": method, "SCRIPT_NAME": "/cgi-bin/kaitori", "PATH_INFO": path,
            "QUERY_STRING": "", "REMOTE_ADDR": "203.0.113.7", "HTTP_HOST": "shop.example",
            "HTTP_USER_AGENT": "Mozilla/5.0 (HandlerTests)", "PATH": "/usr/bin:/bin",
        ]
        if let site { environment["KAITORI_SITE"] = site }
        if let contentType { environment["CONTENT_TYPE"] = contentType }
        if !body.isEmpty || contentLength != nil { environment["CONTENT_LENGTH"] = String(contentLength ?? body.count) }
        for (name, value) in extra { environment[name] = value }

        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("cgi-run-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let input = scratch.appendingPathComponent("stdin"), output = scratch.appendingPathComponent("stdout")
        let errors = scratch.appendingPathComponent("stderr")
        try Data(body).write(to: input)
        try Data().write(to: output)
        try Data().write(to: errors)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: Products.handler)
        process.environment = environment
        process.standardInput = try FileHandle(forReadingFrom: input)
        process.standardOutput = try FileHandle(forWritingTo: output)
        process.standardError = try FileHandle(forWritingTo: errors)
        try process.run()
        process.waitUntilExit()
        let log = String(decoding: try Data(contentsOf: errors), as: UTF8.self)
        guard process.terminationStatus == 0 else { throw Failure("kaitori-cgi exited with \(process.terminationStatus): \(log)") }
        return try parse(Array(try Data(contentsOf: output)), log: log)
    }

    /// Splits a CGI response (RFC 3875 §6) into its status, headers and body.
    static func parse(_ bytes: [UInt8], log: String) throws -> CGIRun {
        let text = String(decoding: bytes, as: UTF8.self)
        guard let end = text.range(of: "\r\n\r\n") else { throw Failure("no header block in: \(text.prefix(300))") }
        var headers: [(name: String, value: String)] = []
        for line in text[..<end.lowerBound].components(separatedBy: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { throw Failure("bad header line \"\(line)\"") }
            headers.append((String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
        }
        guard let status = headers.first(where: { $0.name == "Status" }).flatMap({ Int($0.value.prefix(3)) }) else {
            throw Failure("no Status header in \(headers)")
        }
        return CGIRun(status: status, headers: headers, body: String(text[end.upperBound...]), log: log)
    }

    struct Failure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }
}
