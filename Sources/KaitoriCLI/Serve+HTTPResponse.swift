import Foundation
import KaitoriCore

extension Kaitori.Serve {
    /// A response `kaitori serve` writes back: always `Connection: close`, with the length set.
    struct HTTPResponse {
        var status: Int
        var reason: String
        var headers: [(String, String)]
        var body: [UInt8]

        init(status: Int, reason: String? = nil, headers: [(String, String)] = [], body: [UInt8] = []) {
            self.status = status
            self.reason = reason ?? HTTPResponse.reasons[status] ?? "Status"
            self.headers = headers
            self.body = body
        }

        /// A short Japanese page for the server's own errors (the shop's pages come from `public/`
        /// and from the handler).
        static func page(_ status: Int, _ message: String) -> HTTPResponse {
            let reason = reasons[status] ?? "Error"
            let html = """
                <!DOCTYPE html>
                <html lang="ja"><head><meta charset="utf-8"><title>\(status) \(reason)</title></head>
                <body><h1>\(status) \(reason)</h1><p>\(message)</p><p><a href="/">トップページへ戻る</a></p></body></html>

                """
            return HTTPResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")],
                                body: Array(html.utf8))
        }

        /// The name of the first header whose name or value holds CR, LF, NUL or another control
        /// character (a tab aside), or nil when every header is one clean line.
        var unsafeHeader: String? {
            for (name, value) in headers {
                let bad = name.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F || $0 == ":" }
                    || value.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }
                if bad { return TerminalText.escape(name) }
            }
            return nil
        }

        /// The bytes on the wire; `HEAD` gets the headers of the full response and no body.
        func serialized(headOnly: Bool) -> [UInt8] {
            var text = "HTTP/1.1 \(status) \(reason)\r\n"
            for (name, value) in headers where name.lowercased() != "content-length" && name.lowercased() != "connection" {
                text += "\(name): \(value)\r\n"
            }
            text += "Content-Length: \(body.count)\r\nConnection: close\r\n\r\n"
            return Array(text.utf8) + (headOnly ? [] : body)
        }

        static let reasons: [Int: String] = [
            100: "Continue", 200: "OK", 301: "Moved Permanently", 302: "Found", 303: "See Other",
            304: "Not Modified", 400: "Bad Request", 403: "Forbidden", 404: "Not Found",
            405: "Method Not Allowed", 408: "Request Timeout", 409: "Conflict", 410: "Gone", 411: "Length Required",
            413: "Content Too Large", 415: "Unsupported Media Type", 422: "Unprocessable Content",
            431: "Request Header Fields Too Large", 500: "Internal Server Error", 502: "Bad Gateway",
            503: "Service Unavailable", 505: "HTTP Version Not Supported",
        ]
    }
}
