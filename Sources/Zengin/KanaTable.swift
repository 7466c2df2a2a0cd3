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
    /// plain kana followed by ﾞ or ﾟ, ヰ ヱ become ｲ ｴ. Each entry as `MappedKana(packed:)` reads it:
    /// the half-width kana's scalar in the low 21 bits, its ﾞ (U+FF9E) or ﾟ (U+FF9F), if any, above
    /// them (0x1FF3C0FF76 is ｶﾞ). Written out as numbers: built from the kana as strings, the table
    /// cost every handler process 32 K instructions on its first account holder; `KanaTableTests`
    /// holds it to the kana it stands for.
    static let katakana: [UInt64] = [
        0xFF71, 0xFF71, 0xFF72, 0xFF72, 0xFF73, 0xFF73, 0xFF74, 0xFF74, 0xFF75, 0xFF75,  // ァアィイゥウェエォオ
        0xFF76, 0x1FF3C0FF76, 0xFF77, 0x1FF3C0FF77, 0xFF78, 0x1FF3C0FF78, 0xFF79, 0x1FF3C0FF79, 0xFF7A, 0x1FF3C0FF7A,  // カガキギクグケゲコゴ
        0xFF7B, 0x1FF3C0FF7B, 0xFF7C, 0x1FF3C0FF7C, 0xFF7D, 0x1FF3C0FF7D, 0xFF7E, 0x1FF3C0FF7E, 0xFF7F, 0x1FF3C0FF7F,  // サザシジスズセゼソゾ
        0xFF80, 0x1FF3C0FF80, 0xFF81, 0x1FF3C0FF81, 0xFF82, 0xFF82, 0x1FF3C0FF82, 0xFF83, 0x1FF3C0FF83, 0xFF84, 0x1FF3C0FF84,  // タダチヂッツヅテデトド
        0xFF85, 0xFF86, 0xFF87, 0xFF88, 0xFF89,  // ナニヌネノ
        0xFF8A, 0x1FF3C0FF8A, 0x1FF3E0FF8A, 0xFF8B, 0x1FF3C0FF8B, 0x1FF3E0FF8B, 0xFF8C, 0x1FF3C0FF8C, 0x1FF3E0FF8C,  // ハバパヒビピフブプ
        0xFF8D, 0x1FF3C0FF8D, 0x1FF3E0FF8D, 0xFF8E, 0x1FF3C0FF8E, 0x1FF3E0FF8E,  // ヘベペホボポ
        0xFF8F, 0xFF90, 0xFF91, 0xFF92, 0xFF93,  // マミムメモ
        0xFF94, 0xFF94, 0xFF95, 0xFF95, 0xFF96, 0xFF96,  // ャヤュユョヨ
        0xFF97, 0xFF98, 0xFF99, 0xFF9A, 0xFF9B,  // ラリルレロ
        0xFF9C, 0xFF9C, 0xFF72, 0xFF74, 0xFF66, 0xFF9D, 0x1FF3C0FF73, 0xFF76, 0xFF79,  // ヮワヰヱヲンヴヵヶ
    ]
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
