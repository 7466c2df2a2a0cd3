import Foundation

extension Kaitori.Serve {
    /// Runs a CGI program once per request under its path, as a web server does (RFC 3875): the
    /// request in the environment, the body on stdin, the response on stdout. `kaitori-cgi` runs
    /// under the handler's path, `kaitori-staff` under `/staff`.
    struct Gateway {
        /// The built `kaitori-cgi` or `kaitori-staff`.
        let executable: String
        let site: String
        /// The program's path (`/cgi-bin/kaitori`, `/staff`), which becomes `SCRIPT_NAME`.
        let scriptName: String
        let port: Int

        /// `kaitori-cgi` or `kaitori-staff`, for messages.
        var program: String { URL(fileURLWithPath: executable).lastPathComponent }

        func handles(_ path: String) -> Bool {
            path == scriptName || path.hasPrefix(scriptName + "/")
        }

        func response(for request: HTTPRequest, body: [UInt8], remoteAddress: String, remotePort: Int) -> HTTPResponse {
            let path = request.path
            let pathInfo = String(path.dropFirst(scriptName.count)).removingPercentEncoding ?? ""
            var environment: [String: String] = [
                "GATEWAY_INTERFACE": "CGI/1.1",
                "SERVER_SOFTWARE": "kaitori-serve",
                "SERVER_NAME": "127.0.0.1",
                "SERVER_PORT": String(port),
                "SERVER_PROTOCOL": "HTTP/1.1",
                "REQUEST_METHOD": request.method,
                "REQUEST_URI": request.target,
                "SCRIPT_NAME": scriptName,
                "PATH_INFO": pathInfo,
                "QUERY_STRING": request.query,
                "REMOTE_ADDR": remoteAddress,
                "REMOTE_PORT": String(remotePort),
                "KAITORI_SITE": site,
            ]
            if !body.isEmpty || request.header("content-length") != nil { environment["CONTENT_LENGTH"] = String(body.count) }
            if let type = request.header("content-type") { environment["CONTENT_TYPE"] = type }
            for (name, value) in request.headers where name != "content-type" && name != "content-length" && name != "proxy" {
                // `Proxy:` is left out (httpoxy): as HTTP_PROXY it would redirect the child's outgoing requests.
                let variable = "HTTP_" + name.uppercased().replacingOccurrences(of: "-", with: "_")
                environment[variable] = environment[variable].map { $0 + ", " + value } ?? value
            }
            // The search path, and the shop's own variables (KAITORI_NOW in tests) pass through.
            for (name, value) in ProcessInfo.processInfo.environment
            where name == "PATH" || (name.hasPrefix("KAITORI_") && environment[name] == nil) {
                environment[name] = value
            }

            do {
                let (status, output) = try run(environment: environment, body: body)
                if let response = Self.parse(output) { return response }
                FileHandle.standardError.write(Data("kaitori serve: \(program) exited with \(status) and no valid response\n".utf8))
                return .page(502, "処理プログラム（\(program)）が応答しませんでした。")
            } catch {
                FileHandle.standardError.write(Data("kaitori serve: cannot run \(executable): \(error)\n".utf8))
                return .page(502, "処理プログラム（\(program)）を起動できませんでした。")
            }
        }

        /// Runs the handler and collects its stdout; its stderr goes to ours, as a web server's
        /// error log would show it.
        private func run(environment: [String: String], body: [UInt8]) throws -> (Int32, [UInt8]) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.environment = environment
            process.currentDirectoryURL = URL(fileURLWithPath: site)
            // The body goes through a file rather than a pipe: the handler may answer (a 413, say)
            // without reading it, and nothing then waits on a full pipe.
            var bodyFile: URL?
            if body.isEmpty {
                process.standardInput = FileHandle.nullDevice
            } else {
                let url = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-serve-\(UUID().uuidString)")
                try Data(body).write(to: url)
                bodyFile = url
                process.standardInput = try FileHandle(forReadingFrom: url)
            }
            defer { if let bodyFile { try? FileManager.default.removeItem(at: bodyFile) } }
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            let bytes = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, Array(bytes))
        }

        /// A CGI response (RFC 3875 §6) as an HTTP response: `Status:` gives the status, a
        /// `Location:` without it a 302, otherwise 200.
        static func parse(_ output: [UInt8]) -> HTTPResponse? {
            var headerEnd: Int?
            var bodyStart = 0
            for index in output.indices where output[index] == UInt8(ascii: "\n") {
                if index + 1 < output.count, output[index + 1] == UInt8(ascii: "\n") {
                    headerEnd = index; bodyStart = index + 2; break
                }
                if index + 2 < output.count, output[index + 1] == UInt8(ascii: "\r"), output[index + 2] == UInt8(ascii: "\n") {
                    headerEnd = index; bodyStart = index + 3; break
                }
            }
            guard let headerEnd, let head = String(validating: output[..<headerEnd], as: UTF8.self) else { return nil }
            var status: Int?
            var reason: String?
            var headers: [(String, String)] = []
            for rawLine in head.split(separator: "\n") {
                let line = rawLine.hasSuffix("\r") ? rawLine.dropLast() : rawLine
                guard let colon = line.firstIndex(of: ":") else { return nil }
                let name = String(line[..<colon])
                let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name.lowercased() == "status" {
                    guard let code = Int(value.prefix(3)), (100...599).contains(code) else { return nil }
                    status = code
                    let rest = value.dropFirst(3).trimmingCharacters(in: .whitespaces)
                    reason = rest.isEmpty ? nil : rest
                } else {
                    headers.append((name, value))
                }
            }
            let hasLocation = headers.contains { $0.0.lowercased() == "location" }
            return HTTPResponse(status: status ?? (hasLocation ? 302 : 200), reason: reason, headers: headers,
                                body: Array(output[bodyStart...]))
        }
    }
}
