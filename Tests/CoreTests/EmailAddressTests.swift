import Testing
@testable import KaitoriCore

/// `EmailAddress.problem(in:)` checks an address over its bytes; these tests hold it to the rule as
/// first written over `String`, `Character`s and substring search (kept here as `reference`), on
/// hand-picked addresses and on many random ones built from the characters that matter.
struct EmailAddressTests {
    /// The rule as it was written before the byte loops, word for word.
    static func reference(_ spec: String) -> String? {
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
        let atext: (Unicode.Scalar) -> Bool = { s in
            switch s {
            case "a"..."z", "A"..."Z", "0"..."9": true
            default: "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(s)
            }
        }
        let dotAtom: (Substring, (Unicode.Scalar) -> Bool) -> Bool = { part, allowed in
            !part.hasPrefix(".") && !part.hasSuffix(".") && !part.contains("..") &&
                part.unicodeScalars.allSatisfy { $0 == "." || allowed($0) }
        }
        if !dotAtom(local, atext) { return "the part before the @ has a character that needs quoting" }
        let hostScalar: (Unicode.Scalar) -> Bool = { ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
        if !dotAtom(domain, hostScalar) { return "the domain is not a host name" }
        if !domain.contains(".") { return "the domain has no dot" }
        return nil
    }

    @Test(arguments: [
        "taro@example.jp", "taro.yamada+kaitori@mail.example.co.jp", "a..b@example.com", "a<b>@x.jp", "a@b",
        ".a@example.jp", "a.@example.jp", "a b@example.jp", "山田@example.jp", "taro@例え.jp", "", "@", "a@", "@b.jp",
        "a@b@c.jp", "a@.b.jp", "a@b..jp", "a@b.jp.", "a@-b.jp", "a@b_c.jp", "!#$%&'*+-/=?^_`{|}~@example.jp",
        "a\r\n@example.jp", "a@example.jp\r\n", "\"quoted\"@example.jp", "a(b)@example.jp", "a\u{301}@example.jp",
        String(repeating: "a", count: 243) + "@example.jp", String(repeating: "a", count: 244) + "@example.jp",
        "taro@ｅｘａｍｐｌｅ.jp", "tarō@example.jp", "a@b.c",
    ])
    func agreesWithTheRuleOnChosenAddresses(_ spec: String) {
        #expect(EmailAddress.problem(in: spec) == Self.reference(spec), "\(spec.debugDescription)")
    }

    @Test func agreesWithTheRuleOnRandomAddresses() {
        // Letters, digits, the dot, the @, atext specials, characters that need quoting, spaces,
        // CR/LF, a combining mark and Japanese: short strings so that dots, ats and ends meet often.
        let pieces: [String] = ["a", "Z", "7", ".", ".", "@", "@", "-", "_", "+", "~", "'", "<", ">", "\"", "(",
                                " ", "\r\n", "\n", "\u{301}", "山", "ｅ", "é", ",", ";", ":", "\\", "[", "]"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            let length = Int.random(in: 0...9, using: &generator)
            let spec = (0..<length).map { _ in pieces.randomElement(using: &generator)! }.joined()
            #expect(EmailAddress.problem(in: spec) == Self.reference(spec), "\(spec.debugDescription)")
        }
    }

    @Test func atextIsTheRFCSet() {
        for value in 0..<0x300 {
            guard let scalar = Unicode.Scalar(value) else { continue }
            let expected = ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar)
                || ("0"..."9").contains(scalar) || "!#$%&'*+-/=?^_`{|}~".unicodeScalars.contains(scalar)
            #expect(EmailAddress.isAtext(scalar) == expected, "U+\(String(value, radix: 16))")
        }
    }
}
