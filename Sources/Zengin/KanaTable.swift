/// Maps single Unicode scalars onto bank kana, the way banks expect customer input to be rewritten.
enum KanaTable {
    /// Bank kana for one scalar, or nil when there is none (kanji, most symbols, emoji).
    ///
    /// The answer is a value of at most two scalars rather than an array: this runs for every
    /// character of an account holder on every application post, and for every spelling of the
    /// legal-entity table, where an array per scalar was most of the cost.
    static func map(_ scalar: Unicode.Scalar, kind: ZenginKana.Kind) -> MappedKana? {
        let value = scalar.value
        var mapped: MappedKana
        switch value {
        case 0x21...0x7E:
            mapped = MappedKana(ascii(value))
        case 0xFF01...0xFF5E:
            mapped = MappedKana(ascii(value - 0xFEE0))
        case 0xA5, 0xFFE5:
            // The yen sign is byte 0x5C in JIS X 0201, which this module spells `\`.
            mapped = MappedKana("\\")
        case 0x2010...0x2015, 0x2212, 0x30FC, 0xFF70:
            // Bank names use `-` wherever Japanese uses the long-vowel mark or a dash.
            mapped = MappedKana("-")
        case 0x3099, 0x309B, 0xFF9E:
            mapped = MappedKana(voicedMark)
        case 0x309A, 0x309C, 0xFF9F:
            mapped = MappedKana(semiVoicedMark)
        case 0x300C, 0xFF62:
            mapped = MappedKana("\u{FF62}")
        case 0x300D, 0xFF63:
            mapped = MappedKana("\u{FF63}")
        case 0x3041...0x3096:
            mapped = MappedKana(packed: katakana[Int(value + 0x60 - 0x30A1)])
        case 0x30A1...0x30F6:
            mapped = MappedKana(packed: katakana[Int(value - 0x30A1)])
        case 0xFF66...0xFF6F:
            mapped = MappedKana(halfWidthSmall[Int(value - 0xFF66)])
        case 0xFF71...0xFF9D:
            mapped = MappedKana(scalar)
        default:
            return nil
        }
        // ｦ is an EDI-only character; elsewhere banks write ヲ as it sounds. (It is only ever the
        // first of the two.)
        if kind != .edi, mapped.first == "\u{FF66}" {
            mapped.first = "\u{FF75}"
        }
        return mapped
    }

    static let voicedMark: Unicode.Scalar = "\u{FF9E}"
    static let semiVoicedMark: Unicode.Scalar = "\u{FF9F}"

    private static func ascii(_ value: UInt32) -> Unicode.Scalar {
        let isLowercase = value >= 0x61 && value <= 0x7A
        return Unicode.Scalar(UInt8(isLowercase ? value - 0x20 : value))
    }

    /// ｦ, then the small kana ｧ–ｯ written large, as banks do not take small kana.
    private static let halfWidthSmall: [Unicode.Scalar] = Array("ｦｱｲｳｴｵﾔﾕﾖﾂ".unicodeScalars)

    /// U+30A1 ァ … U+30F6 ヶ in code point order: small kana become large, voiced kana become the
    /// plain kana followed by ﾞ or ﾟ, ヰ ヱ become ｲ ｴ.
    /// Each entry packed as `MappedKana(packed:)` reads it: the kana's scalar in the low 21 bits,
    /// its ﾞ or ﾟ (if any) above them.
    private static let katakana: [UInt64] = [
        "ｱ", "ｱ", "ｲ", "ｲ", "ｳ", "ｳ", "ｴ", "ｴ", "ｵ", "ｵ",  // ァアィイゥウェエォオ
        "ｶ", "ｶﾞ", "ｷ", "ｷﾞ", "ｸ", "ｸﾞ", "ｹ", "ｹﾞ", "ｺ", "ｺﾞ",  // カガキギクグケゲコゴ
        "ｻ", "ｻﾞ", "ｼ", "ｼﾞ", "ｽ", "ｽﾞ", "ｾ", "ｾﾞ", "ｿ", "ｿﾞ",  // サザシジスズセゼソゾ
        "ﾀ", "ﾀﾞ", "ﾁ", "ﾁﾞ", "ﾂ", "ﾂ", "ﾂﾞ", "ﾃ", "ﾃﾞ", "ﾄ", "ﾄﾞ",  // タダチヂッツヅテデトド
        "ﾅ", "ﾆ", "ﾇ", "ﾈ", "ﾉ",  // ナニヌネノ
        "ﾊ", "ﾊﾞ", "ﾊﾟ", "ﾋ", "ﾋﾞ", "ﾋﾟ", "ﾌ", "ﾌﾞ", "ﾌﾟ",  // ハバパヒビピフブプ
        "ﾍ", "ﾍﾞ", "ﾍﾟ", "ﾎ", "ﾎﾞ", "ﾎﾟ",  // ヘベペホボポ
        "ﾏ", "ﾐ", "ﾑ", "ﾒ", "ﾓ",  // マミムメモ
        "ﾔ", "ﾔ", "ﾕ", "ﾕ", "ﾖ", "ﾖ",  // ャヤュユョヨ
        "ﾗ", "ﾘ", "ﾙ", "ﾚ", "ﾛ",  // ラリルレロ
        "ﾜ", "ﾜ", "ｲ", "ｴ", "ｦ", "ﾝ", "ｳﾞ", "ｶ", "ｹ",  // ヮワヰヱヲンヴヵヶ
    ].map { (kana: String) -> UInt64 in
        var packed: UInt64 = 0
        for (index, scalar) in kana.unicodeScalars.enumerated() { packed |= UInt64(scalar.value) << (21 * UInt64(index)) }
        return packed
    }
}

/// One or two bank-kana scalars (a voiced kana is the plain kana followed by ﾞ or ﾟ), as a
/// sequence that needs no allocation.
struct MappedKana: Sequence, IteratorProtocol, Equatable {
    var first: Unicode.Scalar?
    var second: Unicode.Scalar?

    init(_ scalar: Unicode.Scalar) { first = scalar }

    init(packed: UInt64) {
        first = Unicode.Scalar(UInt32(packed & 0x1F_FFFF))
        let mark = UInt32(packed >> 21)
        second = mark == 0 ? nil : Unicode.Scalar(mark)
    }

    mutating func next() -> Unicode.Scalar? {
        defer { first = second; second = nil }
        return first
    }
}
