import CGI
import KaitoriCore

/// What a console page answers. The framework adds the security headers to every response
/// (`StaffResponse.securityHeaders`), keeping any a page set itself.
struct StaffResponse {
    var status: Int
    var headers: [(String, String)]
    var body: [UInt8]
    /// A body too large to hold in memory (the bank file), sent from this owner-only spool file in
    /// the shop's var/ in chunks after the head (`write(to:)`) instead of `body`. The file has no
    /// name: it is gone once the response is released, sent or not.
    var spool: SpoolFile? = nil

    /// Every answer of the console: never cached (pages and files hold personal data), no type
    /// sniffing, no referrer, no framing, and only our own scripts and styles (no inline ones).
    static let securityHeaders: [(String, String)] = [
        ("Content-Type", "text/html; charset=utf-8"),
        ("Cache-Control", "no-store"),
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "no-referrer"),
        ("X-Frame-Options", "DENY"),
        ("Content-Security-Policy",
         "default-src 'self'; img-src 'self' data: blob:; style-src 'self'; script-src 'self'; "
            + "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"),
    ]

    /// An HTML page.
    static func html(_ html: String, status: Int = 200) -> StaffResponse {
        StaffResponse(status: status, headers: [("Content-Type", "text/html; charset=utf-8")], body: Array(html.utf8))
    }

    /// A `303 See Other` (the answer to every successful post). `location` is a full path, as
    /// `StaffContext.link` makes it.
    static func redirect(_ location: String) -> StaffResponse {
        let cgi = CGIResponse.redirect(location: location)
        return StaffResponse(status: 303, headers: [("Location", location)], body: cgi.body)
    }

    /// A stored file (an ID image, a signature): its own content type, shown in the browser
    /// (`inline`) or saved, never cached, and sandboxed so that a file that is really HTML or
    /// SVG cannot run script in the console's origin.
    static func file(_ bytes: [UInt8], contentType: String, filename: String?, inline: Bool) -> StaffResponse {
        var disposition = inline ? "inline" : "attachment"
        if let filename, !filename.isEmpty { disposition += "; " + contentDispositionFilename(filename) }
        return StaffResponse(status: 200, headers: [
            ("Content-Type", contentType),
            ("Content-Disposition", disposition),
            ("Content-Security-Policy", "default-src 'none'; img-src 'self'; sandbox"),
        ], body: bytes)
    }

    /// A file to save (a CSV export).
    static func download(_ bytes: [UInt8], contentType: String, filename: String) -> StaffResponse {
        file(bytes, contentType: contentType, filename: filename, inline: false)
    }

    /// A file to save that was written to a spool file (the bank file): the headers of
    /// `download`, with the length, and the body sent from the spool in chunks.
    static func download(_ spool: SpoolFile, contentType: String, filename: String) throws -> StaffResponse {
        var response = download([], contentType: contentType, filename: filename)
        response.headers.append(("Content-Length", String(try spool.size())))
        response.spool = spool
        return response
    }

    /// `filename="ascii"; filename*=UTF-8''percent-encoded` (RFC 6266), so Japanese names survive
    /// and no quote or control character reaches the header.
    static func contentDispositionFilename(_ name: String) -> String {
        var ascii = "", encoded = ""
        for scalar in name.unicodeScalars {
            let safe = scalar.isASCII && scalar.value >= 0x20 && scalar != "\"" && scalar != "\\" && scalar.value != 0x7F
            ascii.append(safe ? Character(scalar) : "_")
        }
        let hex = Array("0123456789ABCDEF")
        for byte in name.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                encoded.append(Character(Unicode.Scalar(byte)))
            default:
                encoded += "%" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
            }
        }
        return "filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }

    /// Writes the response to `fd` (the CGI program's stdout): the head and body, then the spooled
    /// body in chunks.
    func write(to fd: Int32) throws {
        try cgiResponse.write(to: fd)
        try spool?.copy(to: fd, targetLabel: "the response")
    }

    /// The CGI response: this response's headers, then each security header it did not set. A
    /// spooled body is not in it (`write(to:)` sends it).
    var cgiResponse: CGIResponse {
        var all = headers
        let set = Set(headers.map { $0.0.lowercased() })
        for header in Self.securityHeaders where !set.contains(header.0.lowercased()) {
            all.append(header)
        }
        return CGIResponse(status: status, headers: all, body: body)
    }

    /// The value of a header, by case-insensitive name.
    func header(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
