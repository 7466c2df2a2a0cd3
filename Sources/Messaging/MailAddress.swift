import KaitoriCore
/// An email address with an optional display name, as written in `delivery.email_from`
/// (`まる福 宅配買取センター <kaitori@example.jp>`) or stored as a customer's email.
public struct MailAddress: Equatable, Sendable {
    public let displayName: String
    /// The addr-spec, `local@domain`: what goes into `MAIL FROM`/`RCPT TO`.
    public let address: String

    /// Parses `address`, `<address>` or `Display Name <address>` (the name may be quoted).
    /// - Parameter field: `From` or `To`, named in the error.
    /// - Throws: `DeliveryError.invalidAddress` when the address is not a plain ASCII addr-spec.
    public init(parsing text: String, field: String) throws {
        let trimmed = text.trimmed(of: " \t")
        var name = ""
        var spec = trimmed
        if trimmed.hasSuffix(">"), let open = trimmed.lastIndex(of: "<") {
            name = String(trimmed[..<open]).trimmed(of: " \t")
            spec = String(trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)])
            if name.count >= 2, name.hasPrefix("\""), name.hasSuffix("\"") {
                name = MailAddress.unquote(name.dropFirst().dropLast())
            }
        }
        if let reason = MailAddress.problem(in: spec) {
            throw DeliveryError.invalidAddress(field: field, value: text, reason: reason)
        }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            throw DeliveryError.invalidAddress(field: field, value: text, reason: "the display name contains a control character")
        }
        displayName = name
        address = spec
    }

    public var domain: Substring { address[address.index(after: address.lastIndex(of: "@")!)...] }

    /// The header value's pieces for `HeaderField`: the display name (quoted or encoded as the
    /// text needs) and the address in angle brackets, or the bare address when there is no name.
    func append(to field: inout HeaderField) {
        guard !displayName.isEmpty else { field.append(token: address); return }
        if displayName.unicodeScalars.allSatisfy(\.isASCII), !displayName.contains("=?") {
            if displayName.unicodeScalars.allSatisfy({ MailAddress.isAtext($0) || $0 == " " }), !displayName.contains("  ") {
                field.append(words: displayName)
            } else {
                field.append(token: MailAddress.quote(displayName))
            }
        } else {
            field.append(encoded: displayName)
        }
        field.append(token: "<\(address)>")
    }

    static func isAtext(_ s: Unicode.Scalar) -> Bool { EmailAddress.isAtext(s) }

    static func problem(in spec: String) -> String? { EmailAddress.problem(in: spec) }

    static func quote(_ text: String) -> String {
        var out = "\""
        for c in text {
            if c == "\"" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "\""
    }

    static func unquote(_ text: Substring) -> String {
        var out = ""
        var escaped = false
        for c in text {
            if !escaped, c == "\\" { escaped = true; continue }
            escaped = false
            out.append(c)
        }
        return out
    }
}

extension String {
    func trimmed(of set: String) -> String {
        var s = Substring(self)
        while let f = s.first, set.contains(f) { s.removeFirst() }
        while let l = s.last, set.contains(l) { s.removeLast() }
        return String(s)
    }
}
