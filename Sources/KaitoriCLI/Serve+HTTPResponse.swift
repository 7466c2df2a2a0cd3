import Foundation
import KaitoriCore

extension Kaitori.Serve {
    /// A response `kaitori serve` writes back: always `Connection: close`, with the length set
    /// unless the body is still coming from a CGI program (`rest`).
    struct HTTPResponse {
        var status: Int
        var reason: String
        var headers: [(String, String)]
        /// The body, or with `rest` its first bytes.
        var body: [UInt8]
        /// The rest of the body, still to be read from the program that answers
        /// (`ProgramOutput.send`); nil when `body` is all of it.
        var rest: ProgramOutput? = nil

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
        /// character (a tab aside), "Status" for such a reason phrase, or nil when the status line
        /// and every header are one clean line each.
        var unsafeHeader: String? {
            func hasControl(_ text: String) -> Bool {
                text.unicodeScalars.contains { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }
            }
            if hasControl(reason) { return "Status" }
            for (name, value) in headers {
                let bad = name.unicodeScalars.contains { $0.value < 0x21 || $0.value == 0x7F || $0 == ":" } || hasControl(value)
                if bad { return TerminalText.escape(name) }
            }
            return nil
        }

        /// The bytes on the wire; `HEAD` gets the headers of the full response and no body.
        func serialized(headOnly: Bool) -> [UInt8] {
            head(.length(body.count)) + (headOnly ? [] : body)
        }

        /// How the client learns where the body ends.
        enum Framing {
            case length(Int)
            /// HTTP/1.1 chunks, for a body of unknown length.
            case chunked
            /// The end of the connection (HTTP/1.0, unknown length).
            case close
        }

        /// The status line and headers: the body's framing is serve's own (any `Content-Length`,
        /// `Transfer-Encoding` or `Connection` of the program's is replaced).
        func head(_ framing: Framing) -> [UInt8] {
            var text = "HTTP/1.1 \(status) \(reason)\r\n"
            for (name, value) in headers where !["content-length", "connection", "transfer-encoding"].contains(name.lowercased()) {
                text += "\(name): \(value)\r\n"
            }
            switch framing {
            case .length(let length): text += "Content-Length: \(length)\r\n"
            case .chunked: text += "Transfer-Encoding: chunked\r\n"
            case .close: break
            }
            return Array((text + "Connection: close\r\n\r\n").utf8)
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
