import KaitoriCore
/// A plain-text email in Japanese as RFC 5322 and MIME (RFC 2045–2047) want it: UTF-8 text,
/// headers folded to 78 characters with encoded-words, the body in base64 so no server on the
/// way can break the Japanese text or a long line.
public struct EmailMessage: Equatable, Sendable {
    public var from: MailAddress
    public var to: MailAddress
    public var subject: String
    public var body: String
    /// Unix seconds, written in Japan time.
    public var date: Int64
    /// Without the angle brackets: `random@domain-of-from`.
    public var messageID: String

    public init(from: MailAddress, to: MailAddress, subject: String, body: String, date: Int64, messageID: String? = nil) {
        self.from = from; self.to = to; self.subject = subject; self.body = body; self.date = date
        self.messageID = messageID ?? EmailMessage.newMessageID(domain: from.domain)
    }

    public enum LineBreak: String, Sendable {
        /// What SMTP and RFC 5322 require.
        case crlf = "\r\n"
        /// What a local `sendmail` reads: it converts to CRLF itself, and some MTAs keep a CR
        /// they are handed as part of the line.
        case lf = "\n"
    }

    /// The complete message, ending with a line break.
    public func rendered(lineBreak: LineBreak = .crlf) -> String {
        var header: [String] = []
        header.append("Date: " + MailDate.format(date))
        var fromField = HeaderField(name: "From")
        from.append(to: &fromField)
        header += fromField.lines
        var toField = HeaderField(name: "To")
        to.append(to: &toField)
        header += toField.lines
        var subjectField = HeaderField(name: "Subject")
        subjectField.append(text: subject)
        header += subjectField.lines
        var idField = HeaderField(name: "Message-ID")
        idField.append(token: "<\(messageID)>")
        header += idField.lines
        header += [
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=UTF-8",
            "Content-Transfer-Encoding: base64",
        ]
        let body = Base64.lines(Array(EmailMessage.canonicalText(body).utf8))
        let newline = lineBreak.rawValue
        return (header + [""] + body).joined(separator: newline) + newline
    }

    /// MIME text is canonical with CRLF line breaks (RFC 2046 4.1.1) before it is encoded; the
    /// templates come with LF or CRLF depending on the editor.
    static func canonicalText(_ text: String) -> String {
        var out = ""
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar == "\n", previous != "\r" { out += "\r\n" }
            else if previous == "\r", scalar != "\n" { out += "\n"; out.unicodeScalars.append(scalar) }
            else { out.unicodeScalars.append(scalar) }
            previous = scalar
        }
        if previous == "\r" { out += "\n" }
        return out
    }

    /// 128 random bits in hex: unique without a counter shared between runs.
    static func newMessageID(domain: Substring) -> String {
        var rng = SystemRandomNumberGenerator()
        let hex = (0..<2).map { _ in
            let s = String(rng.next() as UInt64, radix: 16)
            return String(repeating: "0", count: 16 - s.count) + s
        }.joined()
        return "\(hex)@\(domain)"
    }
}
