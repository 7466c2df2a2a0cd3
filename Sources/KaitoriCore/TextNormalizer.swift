/// Normalizes what customers type before validation (domain.md, "Application form"): full-width
/// digits, letters and hyphens to half-width, hiragana to katakana in kana fields, spaces trimmed.
public enum TextNormalizer {
    /// Trims ASCII and full-width spaces and line breaks at both ends. (Runs for every field of
    /// every post: a value with nothing to trim is returned as it is, without a copy.)
    public static func trim(_ text: String) -> String {
        let scalars = text.unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, isSpace(scalars[start]) { start = scalars.index(after: start) }
        while end > start {
            let last = scalars.index(before: end)
            guard isSpace(scalars[last]) else { break }
            end = last
        }
        if start == scalars.startIndex, end == scalars.endIndex { return text }
        return String(scalars[start..<end])
    }

    static func isSpace(_ s: Unicode.Scalar) -> Bool {
        s == " " || s == "\t" || s == "\n" || s == "\r" || s == "\u{3000}" || s == "\u{00A0}"
    }

    /// Full-width ASCII (digits, letters, symbols) to half-width, the many dash look-alikes to `-`,
    /// full-width space to a space, then trimmed. For codes, phones, postal codes, emails, dates.
    public static func halfWidth(_ text: String) -> String {
        // Most values are typed half-width already: then only the trim.
        guard text.utf8.contains(where: { $0 >= 0x80 }) else { return trim(text) }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            switch s.value {
            case 0xFF01...0xFF5E: out.append(Unicode.Scalar(s.value - 0xFEE0)!)
            case 0x3000: out.append(" ")
            case 0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0x30FC, 0xFF70, 0x2500, 0xFE63:
                out.append("-")
            default: out.append(s)
            }
        }
        return trim(String(out))
    }

    /// Hiragana to katakana, half-width katakana to full-width, runs of spaces to one full-width
    /// space, trimmed. For フリガナ and account-holder fields.
    public static func katakana(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var lastWasSpace = false
        for s in trim(halfWidthKanaToFull(text)).unicodeScalars {
            if isSpace(s) {
                if !lastWasSpace { out.append("\u{3000}") }
                lastWasSpace = true
                continue
            }
            lastWasSpace = false
            switch s.value {
            case 0x3041...0x3096: out.append(Unicode.Scalar(s.value + 0x60)!)
            case 0x309D, 0x309E: out.append(Unicode.Scalar(s.value + 0x60)!)
            case 0xFF10...0xFF19, 0xFF21...0xFF3A, 0xFF41...0xFF5A: out.append(Unicode.Scalar(s.value - 0xFEE0)!)
            default: out.append(s)
            }
        }
        return String(out)
    }

    /// Whether every character is full-width katakana, the long-vowel mark, a middle dot or a space.
    public static func isKatakana(_ text: String) -> Bool {
        !text.isEmpty && text.unicodeScalars.allSatisfy { s in
            (0x30A1...0x30FA).contains(s.value) || s.value == 0x30FC || s.value == 0x30FB || s.value == 0x3000 || s == " "
        }
    }

    /// A Japanese postal code as `NNN-NNNN`: 7 digits, full-width or half-width, with or without
    /// the hyphen (`3300063` → `330-0063`); nil for anything else (a wrong length, letters).
    public static func postalCode(_ text: String) -> String? {
        let d = digits(text)
        guard d.count == 7, d.allSatisfy(\.isASCIIDigit) else { return nil }
        return String(d.prefix(3)) + "-" + String(d.suffix(4))
    }

    /// The 12 digits of a 古物商許可番号, written with or without 第…号 (`第431010012345号` or
    /// `431010012345`, full-width digits too); nil when anything else is there or the count is off.
    public static func licenseNumberDigits(_ text: String) -> String? {
        var s = Substring(halfWidth(text))
        if s.hasPrefix("第") { s = s.dropFirst() }
        if s.hasSuffix("号") { s = s.dropLast() }
        guard s.count == 12, s.allSatisfy(\.isASCIIDigit) else { return nil }
        return String(s)
    }

    /// Digits only: `03-1234-5678` → `0312345678`, after half-width conversion.
    public static func digits(_ text: String) -> String {
        // Kept as scalars: mapped to an array of `Character`s, the digits cost each post the run-time
        // set-up of that array's type and a walk through every character to join them again.
        String(halfWidth(text).unicodeScalars.filter { $0 != "-" && $0 != " " && $0 != "(" && $0 != ")" })
    }

    /// Full-width katakana for half-width U+FF66 ｦ … U+FF9D ﾝ, in code point order.
    private static let halfKana: [Unicode.Scalar] = Array("ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン".unicodeScalars)

    /// ｶﾞ → ガ: half-width katakana (with separate voiced marks) to full-width.
    static func halfWidthKanaToFull(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xFF61...0xFF9F).contains($0.value) }) else { return text }
        var out = String.UnicodeScalarView()
        // The last scalar is held back until the next one shows whether a ﾞ or ﾟ replaces it:
        // taking it back off the view (`removeLast`) cost 40 K instructions for a four-letter name.
        var last: Unicode.Scalar?
        for s in text.unicodeScalars {
            if s.value == 0xFF9E || s.value == 0xFF9F, let base = last {
                let voiced = s.value == 0xFF9E
                if let combined = combine(base, voiced: voiced) {
                    last = combined
                    continue
                }
                out.append(base)
                last = voiced ? "\u{309B}" : "\u{309C}"
                continue
            }
            if let held = last { out.append(held) }
            last = (0xFF66...0xFF9D).contains(s.value) ? halfKana[Int(s.value - 0xFF66)] : s
        }
        if let held = last { out.append(held) }
        return String(out)
    }

    private static func combine(_ base: Unicode.Scalar, voiced: Bool) -> Unicode.Scalar? {
        let v = base.value
        if voiced {
            if v == 0x30A6 { return "\u{30F4}" } // ウ → ヴ
            // カ..ト (odd steps) and ハ..ホ (steps of 3) take the dakuten as +1.
            if (0x30AB...0x30C8).contains(v) { return Unicode.Scalar(v + 1) }
            if (0x30CF...0x30DD).contains(v), (v - 0x30CF) % 3 == 0 { return Unicode.Scalar(v + 1) }
        } else if (0x30CF...0x30DD).contains(v), (v - 0x30CF) % 3 == 0 {
            return Unicode.Scalar(v + 2)
        }
        return nil
    }
}
