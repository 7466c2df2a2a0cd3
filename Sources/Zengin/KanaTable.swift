/// Maps single Unicode scalars onto bank kana, the way banks expect customer input to be rewritten.
enum KanaTable {
    /// Bank kana for one scalar, or nil when there is none (kanji, most symbols, emoji).
    static func map(_ scalar: Unicode.Scalar, kind: ZenginKana.Kind) -> [Unicode.Scalar]? {
        let value = scalar.value
        let mapped: [Unicode.Scalar]
        switch value {
        case 0x21...0x7E:
            mapped = [ascii(value)]
        case 0xFF01...0xFF5E:
            mapped = [ascii(value - 0xFEE0)]
        case 0xA5, 0xFFE5:
            // The yen sign is byte 0x5C in JIS X 0201, which this module spells `\`.
            mapped = ["\\"]
        case 0x2010...0x2015, 0x2212, 0x30FC, 0xFF70:
            // Bank names use `-` wherever Japanese uses the long-vowel mark or a dash.
            mapped = ["-"]
        case 0x3099, 0x309B, 0xFF9E:
            mapped = [voicedMark]
        case 0x309A, 0x309C, 0xFF9F:
            mapped = [semiVoicedMark]
        case 0x300C, 0xFF62:
            mapped = ["\u{FF62}"]
        case 0x300D, 0xFF63:
            mapped = ["\u{FF63}"]
        case 0x3041...0x3096:
            mapped = katakana[Int(value + 0x60 - 0x30A1)]
        case 0x30A1...0x30F6:
            mapped = katakana[Int(value - 0x30A1)]
        case 0xFF66...0xFF6F:
            mapped = [halfWidthSmall[Int(value - 0xFF66)]]
        case 0xFF71...0xFF9D:
            mapped = [scalar]
        default:
            return nil
        }
        // ｦ is an EDI-only character; elsewhere banks write ヲ as it sounds.
        if kind != .edi {
            return mapped.map { $0 == "\u{FF66}" ? "\u{FF75}" : $0 }
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
    private static let katakana: [[Unicode.Scalar]] = [
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
    ].map { Array($0.unicodeScalars) }
}
