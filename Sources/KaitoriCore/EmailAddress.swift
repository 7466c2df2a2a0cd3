/// The one rule for an email address (addr-spec, RFC 5321/5322 dot-atom, ASCII only), shared by
/// the application form and the mailer (`MailAddress` in Messaging): an address the form accepts
/// is one the mailer can send to. `a..b@example.com`, `a<b>@x`, quoted or non-ASCII local parts
/// are refused.
public enum EmailAddress {
    /// RFC 5322 atext: the characters an unquoted local part or phrase word may hold.
    public static func isAtext(_ s: Unicode.Scalar) -> Bool {
        switch s {
        case "a"..."z", "A"..."Z", "0"..."9": true
        default: "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(s)
        }
    }

    /// Why `spec` is not a usable address (in English, for the mailer's errors), or nil.
    public static func problem(in spec: String) -> String? {
        if spec.isEmpty { return "empty" }
        if spec.utf8.count > 254 { return "longer than 254 characters" }
        if !spec.unicodeScalars.allSatisfy(\.isASCII) {
            return "non-ASCII addresses need SMTPUTF8, which is not supported"
        }
        guard let at = spec.lastIndex(of: "@") else { return "no @" }
        let local = spec[..<at]
        let domain = spec[spec.index(after: at)...]
        if local.isEmpty { return "nothing before the @" }
        if domain.isEmpty { return "no domain after the @" }
        let dotAtom: (Substring, (Unicode.Scalar) -> Bool) -> Bool = { part, allowed in
            !part.hasPrefix(".") && !part.hasSuffix(".") && !part.contains("..") &&
                part.unicodeScalars.allSatisfy { $0 == "." || allowed($0) }
        }
        if !dotAtom(local, isAtext) { return "the part before the @ has a character that needs quoting" }
        let hostScalar: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        if !dotAtom(domain, hostScalar) { return "the domain is not a host name" }
        if !domain.contains(".") { return "the domain has no dot" }
        return nil
    }

    public static func isValid(_ spec: String) -> Bool { problem(in: spec) == nil }
}
