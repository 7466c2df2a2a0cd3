import CGI
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct CGIResponseTests {
    private let policy = "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'self'"

    @Test func serializesStatusHeadersAndBody() {
        let response = CGIResponse(status: 404, headers: [("Content-Type", "text/plain"), ("X-A", "1"), ("X-A", "2")], body: Array("gone".utf8))
        #expect(String(decoding: response.serialize(), as: UTF8.self)
            == "Status: 404 Not Found\r\nContent-Type: text/plain\r\nX-A: 1\r\nX-A: 2\r\n\r\ngone")
    }

    @Test(arguments: [
        (200, "OK"), (303, "See Other"), (400, "Bad Request"), (404, "Not Found"), (405, "Method Not Allowed"),
        (409, "Conflict"), (410, "Gone"), (413, "Content Too Large"), (415, "Unsupported Media Type"),
        (422, "Unprocessable Content"), (500, "Internal Server Error"), (503, "Service Unavailable"),
    ])
    func statusLineHasTheReasonPhrase(status: Int, reason: String) {
        let bytes = CGIResponse(status: status).serialize()
        #expect(String(decoding: bytes, as: UTF8.self) == "Status: \(status) \(reason)\r\n\r\n")
    }

    @Test func unknownStatusHasNoReasonPhrase() {
        #expect(String(decoding: CGIResponse(status: 299).serialize(), as: UTF8.self) == "Status: 299\r\n\r\n")
    }

    @Test func htmlCarriesTheSecurityHeaders() {
        let response = CGIResponse.html(status: 422, body: "<p>入力を確認してください</p>")
        #expect(response.status == 422)
        #expect(response.headers.map(\.0) == [
            "Content-Type", "Cache-Control", "X-Content-Type-Options", "Referrer-Policy", "Content-Security-Policy",
        ])
        #expect(response.header("content-type") == "text/html; charset=utf-8")
        #expect(response.header("Cache-Control") == "no-store")
        #expect(response.header("X-Content-Type-Options") == "nosniff")
        #expect(response.header("Referrer-Policy") == "no-referrer")
        #expect(response.header("Content-Security-Policy") == policy)
        #expect(response.body == Array("<p>入力を確認してください</p>".utf8))
        let text = String(decoding: response.serialize(), as: UTF8.self)
        #expect(text.hasPrefix("Status: 422 Unprocessable Content\r\nContent-Type: text/html; charset=utf-8\r\n"))
        #expect(text.hasSuffix("\r\n\r\n<p>入力を確認してください</p>"))
    }

    @Test func redirectIsA303WithLocationAndEscapedLink() {
        let response = CGIResponse.redirect(location: "/cgi-bin/kaitori/done?code=A&b=\"<x>\"")
        #expect(response.status == 303)
        #expect(response.header("Location") == "/cgi-bin/kaitori/done?code=A&b=\"<x>\"")
        #expect(response.header("Content-Security-Policy") == policy)
        #expect(response.header("Cache-Control") == "no-store")
        let body = String(decoding: response.body, as: UTF8.self)
        #expect(body.contains("<a href=\"/cgi-bin/kaitori/done?code=A&amp;b=&quot;&lt;x&gt;&quot;\">"))
        #expect(!body.contains("<x>"))
        #expect(String(decoding: response.serialize(), as: UTF8.self).hasPrefix("Status: 303 See Other\r\n"))
        // Escaped by bytes: an "&" with a combining mark after it is still an "&", and text
        // beyond ASCII passes through.
        let marked = String(decoding: CGIResponse.redirect(location: "/a?b=&\u{301}'c'&d=東京").body, as: UTF8.self)
        #expect(marked.contains("<a href=\"/a?b=&amp;\u{301}&#39;c&#39;&amp;d=東京\">"))
    }

    @Test func lineBreaksInHeadersCannotSplitTheResponse() {
        let response = CGIResponse(status: 303, headers: [("Location", "/x\r\nSet-Cookie: a=b\r\n\r\n<script>"), ("X\nY", "z\u{0}")])
        #expect(String(decoding: response.serialize(), as: UTF8.self)
            == "Status: 303 See Other\r\nLocation: /x  Set-Cookie: a=b    <script>\r\nX Y: z \r\n\r\n")
    }

    @Test func writeSendsEveryByteThroughAPipe() throws {
        var ends: [Int32] = [0, 0]
        #expect(pipe(&ends) == 0)
        defer { close(ends[0]) }
        // Larger than a pipe's buffer, so the writer is forced into partial writes while the
        // reader drains it.
        let body = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let response = CGIResponse(status: 200, headers: [("Content-Type", "application/octet-stream")], body: body)
        let expected = response.serialize()

        let reader = Reader(fd: ends[0])
        var thread = pthread_t()
        let context = Unmanaged.passRetained(reader).toOpaque()
        #expect(pthread_create(&thread, nil, { raw in
            Unmanaged<Reader>.fromOpaque(raw!).takeRetainedValue().run()
            return nil
        }, context) == 0)
        try response.write(to: ends[1])
        close(ends[1])
        pthread_join(thread, nil)
        #expect(reader.received == expected)
    }

    @Test func writeToAnInvalidDescriptorThrows() {
        // -1 rather than a closed descriptor: tests run in parallel and could reuse the number.
        #expect(throws: CGIError.io("writing the response to file descriptor -1: Bad file descriptor (errno 9)")) {
            try CGIResponse(status: 200).write(to: -1)
        }
    }
}

/// Drains a pipe on its own thread.
private final class Reader: @unchecked Sendable {
    let fd: Int32
    private(set) var received: [UInt8] = []

    init(fd: Int32) {
        self.fd = fd
    }

    func run() {
        var source = FileDescriptorSource(fd: fd)
        var chunk = [UInt8](repeating: 0, count: 8192)
        while let count = try? chunk.withUnsafeMutableBytes({ try source.read(into: $0) }), count > 0 {
            received += chunk[0..<count]
        }
    }
}
