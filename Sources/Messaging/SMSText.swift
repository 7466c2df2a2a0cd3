/// What every SMS transport does to a rendered message before sending it.
enum SMSText {
    /// Digits only: gateways want `09012345678`, customers type `090-1234-5678`.
    static func number(_ recipient: String) throws(DeliveryError) -> String {
        let digits = String(recipient.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
        guard !digits.isEmpty else { throw .invalidPhoneNumber(recipient) }
        return digits
    }

    /// The template's trailing line break (YAML `|` keeps one) would count as a character.
    static func body(_ text: String) -> String {
        var s = Substring(text)
        while let last = s.last, last.isWhitespace { s.removeLast() }
        return String(s)
    }
}
