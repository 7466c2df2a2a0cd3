import Foundation

extension Kaitori.Serve {
    /// One HTTP/1.1 request head as `kaitori serve` reads it: enough for a browser or curl posting
    /// forms to a local shop, not a general-purpose parser.
    struct HTTPRequest: Equatable {
        /// Why a request head was refused, with the status to answer.
        struct Refusal: Error, Equatable {
            var status: Int
            var reason: String
        }

        /// The most bytes of request line and headers accepted.
        static let maxHeadBytes = 65_536

        var method: String
        /// The request target as sent, query included (`/apply/?x=1`).
        var target: String
        /// Header names lowercased, in order; a name may repeat.
        var headers: [(name: String, value: String)]
        /// `HTTP/1.1` or `HTTP/1.0` (which cannot take a chunked response).
        var version = "HTTP/1.1"

        var path: String { String(target.prefix { $0 != "?" }) }
        var query: String {
            guard let mark = target.firstIndex(of: "?") else { return "" }
            return String(target[target.index(after: mark)...])
        }

        func header(_ name: String) -> String? {
            let wanted = name.lowercased()
            return headers.first { $0.name == wanted }?.value
        }

        /// The body length the head announces.
        ///
        /// - Throws: `Refusal` 411 for chunked bodies (not supported here), 400 for a bad length.
        func contentLength() throws -> Int {
            if header("transfer-encoding") != nil {
                throw Refusal(status: 411, reason: "chunked request bodies are not supported; send Content-Length")
            }
            guard let text = header("content-length") else { return 0 }
            guard let length = Int(text), length >= 0, text.allSatisfy(\.isASCII) else {
                throw Refusal(status: 400, reason: "Content-Length \"\(text)\" is not a byte count")
            }
            return length
        }

        static func == (a: HTTPRequest, b: HTTPRequest) -> Bool {
            a.method == b.method && a.target == b.target && a.version == b.version
                && a.headers.map { $0.name + ":" + $0.value } == b.headers.map { $0.name + ":" + $0.value }
        }

        /// Parses a head (everything before the blank line, without it).
        ///
        /// - Throws: `Refusal` 400 naming the line at fault, 505 for anything but HTTP/1.x.
        init(head: [UInt8]) throws {
            guard let text = String(validating: head, as: UTF8.self) else {
                throw Refusal(status: 400, reason: "the request head is not UTF-8")
            }
            var lines = text.components(separatedBy: "\r\n")
            let requestLine = lines.removeFirst().split(separator: " ", omittingEmptySubsequences: false)
            guard requestLine.count == 3, !requestLine[0].isEmpty, requestLine[1].hasPrefix("/") else {
                throw Refusal(status: 400, reason: "bad request line")
            }
            guard requestLine[2] == "HTTP/1.1" || requestLine[2] == "HTTP/1.0" else {
                throw Refusal(status: 505, reason: "\(requestLine[2]) is not supported")
            }
            method = String(requestLine[0])
            target = String(requestLine[1])
            version = String(requestLine[2])
            headers = []
            for (index, line) in lines.enumerated() {
                guard let colon = line.firstIndex(of: ":"), colon != line.startIndex,
                      !line[..<colon].contains(" ") else {
                    throw Refusal(status: 400, reason: "header line \(index + 2) is not `Name: value`")
                }
                headers.append((name: line[..<colon].lowercased(),
                                value: line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
    }
}
