/// The one rule for an email address (addr-spec, RFC 5321/5322 dot-atom, ASCII only), shared by
/// the application form and the mailer (`MailAddress` in Messaging): an address the form accepts
/// is one the mailer can send to. `a..b@example.com`, `a<b>@x`, quoted or non-ASCII local parts
/// are refused.
///
/// Checked over the address's UTF-8 bytes (every byte of an accepted address is ASCII): the
/// standard library's substring search (`contains("..")`) and `Character` walks cost the
/// application post 34 K instructions for this check, the byte loops about 2 K.
public enum EmailAddress {
    /// RFC 5322 atext: the characters an unquoted local part or phrase word may hold.
    public static func isAtext(_ s: Unicode.Scalar) -> Bool {
        s.isASCII && isAtext(byte: UInt8(s.value))
    }

    static func isAtext(byte: UInt8) -> Bool {
        if isLetterOrDigit(byte) { return true }
        switch byte {
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
             UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
             UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// A host name's characters between dots: letters, digits and hyphens.
    static func isHost(byte: UInt8) -> Bool {
        isLetterOrDigit(byte) || byte == UInt8(ascii: "-")
    }

    private static func isLetterOrDigit(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        default:
            return false
        }
    }

    /// Why `spec` is not a usable address (in English, for the mailer's errors), or nil.
    public static func problem(in spec: String) -> String? {
        if spec.isEmpty { return "empty" }
        let bytes = Array(spec.utf8)
        if bytes.count > 254 { return "longer than 254 characters" }
        if bytes.contains(where: { $0 >= 0x80 }) {
            return "non-ASCII addresses need SMTPUTF8, which is not supported"
        }
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")) else { return "no @" }
        let local = bytes[..<at]
        let domain = bytes[(at + 1)...]
        if local.isEmpty { return "nothing before the @" }
        if domain.isEmpty { return "no domain after the @" }
        if !isDotAtom(local, allowing: isAtext(byte:)) {
            return "the part before the @ has a character that needs quoting"
        }
        if !isDotAtom(domain, allowing: isHost(byte:)) { return "the domain is not a host name" }
        if !domain.contains(UInt8(ascii: ".")) { return "the domain has no dot" }
        return nil
    }

    /// Words of allowed characters joined by single dots, with no dot at either end.
    private static func isDotAtom(_ part: ArraySlice<UInt8>, allowing allowed: (UInt8) -> Bool) -> Bool {
        let dot = UInt8(ascii: ".")
        guard part.first != dot, part.last != dot else { return false }
        var previous: UInt8 = 0
        for byte in part {
            if byte == dot {
                if previous == dot { return false }
            } else if !allowed(byte) {
                return false
            }
            previous = byte
        }
        return true
    }

    public static func isValid(_ spec: String) -> Bool { problem(in: spec) == nil }
}
