import Foundation
import KaitoriCore

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

        /// The program's response to `request`: its head parsed, and its body whole when short, or
        /// else its first bytes with the rest still to read from the program (`HTTPResponse.rest`).
        ///
        /// - Parameter body: the request body, spooled to the shop's var/ (nil when empty).
        func response(for request: HTTPRequest, body: RequestBody?, remoteAddress: String, remotePort: Int) -> HTTPResponse {
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
            if body != nil || request.header("content-length") != nil { environment["CONTENT_LENGTH"] = String(body?.length ?? 0) }
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

            let output: ProgramOutput
            do {
                output = try start(environment: environment, body: body)
            } catch {
                FileHandle.standardError.write(Data("kaitori serve: cannot run \(executable): \(error)\n".utf8))
                return .page(502, "処理プログラム（\(program)）を起動できませんでした。")
            }
            if let response = output.response() { return response }
            let status = output.finish().status
            FileHandle.standardError.write(Data("kaitori serve: \(program) exited with \(status) and no valid response\n".utf8))
            return .page(502, "処理プログラム（\(program)）が応答しませんでした。")
        }

        /// Starts the handler with its stdout on a pipe (read as the response goes out); its stderr
        /// goes to ours, as a web server's error log would show it.
        private func start(environment: [String: String], body: RequestBody?) throws -> ProgramOutput {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.environment = environment
            process.currentDirectoryURL = URL(fileURLWithPath: site)
            // The body goes through a file rather than a pipe: the handler may answer (a 413, say)
            // without reading it, and nothing then waits on a full pipe. The file is the spool in
            // var/ (owner-only, without a name); the child reads it through a descriptor of its own.
            var input: Int32 = -1
            defer { if input >= 0 { close(input) } }
            if let body {
                input = try body.spool.descriptorAtStart()
                process.standardInput = FileHandle(fileDescriptor: input, closeOnDealloc: false)
            } else {
                process.standardInput = FileHandle.nullDevice
            }
            let output = Pipe()
            process.standardOutput = output
            try process.run()
            return ProgramOutput(process: process, output: output.fileHandleForReading, program: program)
        }

        /// Where a CGI response's head ends in `output`: the index of the newline before the blank
        /// line, and where the body starts; nil while no blank line has come.
        static func headEnd(in output: [UInt8], from start: Int = 0) -> (head: Int, body: Int)? {
            var index = start
            while index < output.count {
                defer { index += 1 }
                guard output[index] == UInt8(ascii: "\n") else { continue }
                if index + 1 < output.count, output[index + 1] == UInt8(ascii: "\n") { return (index, index + 2) }
                if index + 2 < output.count, output[index + 1] == UInt8(ascii: "\r"), output[index + 2] == UInt8(ascii: "\n") {
                    return (index, index + 3)
                }
            }
            return nil
        }

        /// A CGI response head (RFC 3875 §6) as an HTTP response without its body: `Status:` gives
        /// the status, a `Location:` without it a 302, otherwise 200. Nil when it is not one.
        static func parseHead(_ bytes: ArraySlice<UInt8>) -> HTTPResponse? {
            var status: Int?
            var reason: String?
            var headers: [(String, String)] = []
            // Split as bytes: in a String, CR LF is one Character, which a split at "\n" never meets.
            for rawLine in bytes.split(separator: UInt8(ascii: "\n")) {
                let lineBytes = rawLine.last == UInt8(ascii: "\r") ? rawLine.dropLast() : rawLine
                guard let line = String(validating: lineBytes, as: UTF8.self) else { return nil }
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
            return HTTPResponse(status: status ?? (hasLocation ? 302 : 200), reason: reason, headers: headers)
        }
    }
}
