import KaitoriCore
/// One HTTP/1.1 POST of a urlencoded form over `TCPConnection` (TLS for https), reading back
/// the status: all an SMS gateway call needs, with the same timeouts as SMTP.
struct HTTPFormPost {
    struct Target: Equatable {
        var secure: Bool
        var host: String
        var port: Int
        /// Path and query, as sent in the request line.
        var path: String
        /// `user:password` from the URL, sent as Basic authorization.
        var userInfo: String?
    }

    var target: Target
    var timeout: Int
    var totalTimeout: Int
    var trustedCertificates: String?

    /// Parses an `http://` or `https://` URL.
    static func target(_ url: String) -> Target? {
        let secure: Bool
        let rest: Substring
        if url.hasPrefix("http://") { secure = false; rest = url.dropFirst(7) }
        else if url.hasPrefix("https://") { secure = true; rest = url.dropFirst(8) }
        else { return nil }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var path = String(rest[authorityEnd...])
        if path.isEmpty || path.hasPrefix("?") { path = "/" + path }
        var userInfo: String?
        if let at = authority.lastIndex(of: "@") {
            userInfo = String(authority[..<at])
            authority = authority[authority.index(after: at)...]
        }
        var host = authority
        var port = secure ? 443 : 80
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let p = Int(after.dropFirst()) else { return nil }
                port = p
            }
        } else if let colon = authority.lastIndex(of: ":") {
            guard let p = Int(authority[authority.index(after: colon)...]) else { return nil }
            host = authority[..<colon]
            port = p
        }
        guard !host.isEmpty, (1...65535).contains(port) else { return nil }
        return Target(secure: secure, host: String(host), port: port, path: path, userInfo: userInfo.map(percentDecoded))
    }

    /// `application/x-www-form-urlencoded` (WHATWG URL standard): UTF-8, space as `+`.
    static func encode(_ fields: [(String, String)]) -> String {
        func component(_ text: String) -> String {
            var out = ""
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                case UInt8(ascii: " "): out += "+"
                default:
                    let hex = String(byte, radix: 16, uppercase: true)
                    out += "%" + (hex.count == 1 ? "0" + hex : hex)
                }
            }
            return out
        }
        return fields.map { component($0.0) + "=" + component($0.1) }.joined(separator: "&")
    }

    /// Posts `form` and returns the status code and the start of the response body.
    func post(_ form: String) throws(DeliveryError) -> (status: Int, body: String) {
        let connection = try TCPConnection(host: target.host, port: target.port, timeout: timeout, totalTimeout: totalTimeout)
        defer { connection.close() }
        if target.secure { try connection.startTLS(trustedCertificates: trustedCertificates) }
        let hostHeader = (target.host.contains(":") ? "[\(target.host)]" : target.host)
            + (target.port == (target.secure ? 443 : 80) ? "" : ":\(target.port)")
        var request = "POST \(target.path) HTTP/1.1\r\nHost: \(hostHeader)\r\n"
        if let userInfo = target.userInfo { request += "Authorization: Basic \(Base64.encode(Array(userInfo.utf8)))\r\n" }
        request += "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(form.utf8.count)\r\n"
        request += "Connection: close\r\nUser-Agent: kaitori\r\n\r\n" + form
        do { try connection.write(Array(request.utf8)) } catch { throw fault(error, stage: "request") }

        // Read until the server closes, or as soon as the status and the start of the body (for
        // an error message) are in: a gateway that ignores `Connection: close` must not turn a
        // 200 into a timeout.
        let separator: [UInt8] = [13, 10, 13, 10]
        var response: [UInt8] = []
        var bodyStart: Int?
        while response.count < 8192 {
            do {
                response += try connection.read()
            } catch ConnectionError.closed {
                break
            } catch {
                if bodyStart != nil { break }
                throw fault(error, stage: "response")
            }
            if bodyStart == nil {
                bodyStart = response.indices.first { response[$0...].starts(with: separator) }.map { $0 + 4 }
            }
            if let start = bodyStart, response.count - start >= min(HTTPFormPost.contentLength(response[..<start]) ?? 200, 200) { break }
        }
        let text = String(decoding: response, as: UTF8.self)
        let statusLine = text.prefix { $0 != "\r" && $0 != "\n" }
        let parts = statusLine.split(separator: " ")
        guard parts.count >= 2, parts[0].hasPrefix("HTTP/"), let status = Int(parts[1]) else {
            throw .connectionLost(host: target.host, stage: "response", reason: "not an HTTP response: \(statusLine.prefix(80))")
        }
        let body = bodyStart.map { String(decoding: response[$0...].prefix(200), as: UTF8.self) } ?? ""
        return (status, body.split(whereSeparator: \.isNewline).joined(separator: " "))
    }

    /// The `Content-Length` of a response head, if it has one.
    static func contentLength(_ head: ArraySlice<UInt8>) -> Int? {
        for line in String(decoding: head, as: UTF8.self).split(separator: "\r\n") {
            let parts = line.split(separator: ":", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "content-length" {
                return Int(parts[1].filter { $0 != " " && $0 != "\t" })
            }
        }
        return nil
    }

    private func fault(_ error: ConnectionError, stage: String) -> DeliveryError {
        switch error {
        case .timedOut: .timedOut(host: target.host, stage: stage)
        case .closed: .connectionLost(host: target.host, stage: stage, reason: "closed by the server")
        case .failed(let reason): .connectionLost(host: target.host, stage: stage, reason: reason)
        }
    }

    private static func percentDecoded(_ text: String) -> String {
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if byte == UInt8(ascii: "%"), utf8.count >= 2,
               let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
