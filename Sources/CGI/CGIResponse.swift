/// A CGI response (RFC 3875 §6): a `Status` line, header fields, a blank line and the body.
public struct CGIResponse: Sendable {
    /// What every HTML page and redirect carries: never cached (pages hold personal data), no
    /// type sniffing, no referrer leaking a tokenised URL, and a policy allowing only our own
    /// resources (plus `data:`/`blob:` images for the signature canvas and ID previews).
    public static let securityHeaders: [(String, String)] = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("Content-Security-Policy",
         "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"),
    ]

    public var status: Int
    /// Header fields in order; a name may repeat.
    public var headers: [(String, String)]
    public var body: [UInt8]

    public init(status: Int = 200, headers: [(String, String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// An HTML page with `securityHeaders`.
    public static func html(status: Int = 200, body: String) -> CGIResponse {
        CGIResponse(status: status, headers: securityHeaders, body: Array(body.utf8))
    }

    /// A `303 See Other` to `location`, the answer to every successful form post (so that reload
    /// does not post again), with a link in the body for clients that do not follow it.
    ///
    /// An absolute path (`/cgi-bin/kaitori/done`) is fine: with an explicit `Status`, web
    /// servers pass it to the client instead of treating it as a CGI local redirect.
    public static func redirect(location: String) -> CGIResponse {
        let target = escapedForHTML(location)
        let page = "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>303 See Other</title></head>"
            + "<body><p><a href=\"\(target)\">\(target)</a></p></body></html>\n"
        var response = html(status: 303, body: page)
        response.headers.append(("Location", location))
        return response
    }

    /// The first value of a header, by case-insensitive name.
    public func header(_ name: String) -> String? {
        let wanted = asciiLowercased(name)
        return headers.first { asciiLowercased($0.0) == wanted }?.1
    }

    /// The bytes to write to standard output.
    ///
    /// CR, LF and NUL in a header name or value become spaces: a value built from request data
    /// must never be able to end the header block early and inject a header or a body.
    public func serialize() -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512 + body.count)
        var statusLine = "Status: \(status)"
        if let reason = Self.reasonPhrase(status) { statusLine += " \(reason)" }
        bytes.append(contentsOf: statusLine.utf8)
        bytes.append(contentsOf: [ASCII.carriageReturn, ASCII.lineFeed])
        for (name, value) in headers {
            appendHeaderText(name, to: &bytes)
            bytes.append(contentsOf: ": ".utf8)
            appendHeaderText(value, to: &bytes)
            bytes.append(contentsOf: [ASCII.carriageReturn, ASCII.lineFeed])
        }
        bytes.append(contentsOf: [ASCII.carriageReturn, ASCII.lineFeed])
        bytes.append(contentsOf: body)
        return bytes
    }

    /// The RFC 9110 reason phrase of a status code.
    public static func reasonPhrase(_ status: Int) -> String? {
        switch status {
        case 100: "Continue"
        case 101: "Switching Protocols"
        case 200: "OK"
        case 201: "Created"
        case 202: "Accepted"
        case 204: "No Content"
        case 301: "Moved Permanently"
        case 302: "Found"
        case 303: "See Other"
        case 304: "Not Modified"
        case 307: "Temporary Redirect"
        case 308: "Permanent Redirect"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 406: "Not Acceptable"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 410: "Gone"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 414: "URI Too Long"
        case 415: "Unsupported Media Type"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 500: "Internal Server Error"
        case 501: "Not Implemented"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: nil
        }
    }

    private func appendHeaderText(_ text: String, to bytes: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            func breaks(_ byte: UInt8) -> Bool { byte == ASCII.carriageReturn || byte == ASCII.lineFeed || byte == 0 }
            // The usual case, nothing to replace, copied at once rather than byte by byte.
            guard utf8.contains(where: breaks) else { return bytes.append(contentsOf: utf8) }
            for byte in utf8 { bytes.append(breaks(byte) ? ASCII.space : byte) }
        }
    }

    /// Over the bytes (the five are ASCII, and UTF-8 never uses their bytes inside a longer
    /// character): walking `Character`s cost every redirect 20 K instructions, and left an `&`
    /// followed by a combining mark unescaped, as one character that is not "&".
    private static func escapedForHTML(_ text: String) -> String {
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case ASCII.ampersand: escaped.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): escaped.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): escaped.append(contentsOf: "&gt;".utf8)
            case ASCII.quote: escaped.append(contentsOf: "&quot;".utf8)
            case ASCII.apostrophe: escaped.append(contentsOf: "&#39;".utf8)
            default: escaped.append(byte)
            }
        }
        return String(decoding: escaped, as: UTF8.self)
    }
}
