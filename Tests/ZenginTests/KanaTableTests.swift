@testable import Zengin
import Testing

/// `KanaTable.katakana` is written out as numbers; here it is held to the kana it stands for,
/// written as strings (as the table itself once was), through `KanaTable.map` for every katakana
/// and hiragana it covers.
@Suite struct KanaTableTests {
    /// U+30A1 ァ … U+30F6 ヶ in code point order, as bank kana.
    static let written: [String] = [
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
    ]

    @Test func everyKatakanaAndHiraganaMapsToItsWrittenKana() {
        #expect(Self.written.count == 0x30F6 - 0x30A1 + 1)
        for (offset, kana) in Self.written.enumerated() {
            let expected = Array(kana.unicodeScalars)
            let katakana = Unicode.Scalar(UInt32(0x30A1 + offset))!
            // `.edi`: other kinds then write ｦ as ｵ (aVoicedKanaIsItsPlainKanaAndAMark).
            #expect(KanaTable.map(katakana, kind: .edi).map(Array.init) == expected, "U+\(String(katakana.value, radix: 16, uppercase: true))")
            // Hiragana ぁ (U+3041) … ゖ (U+3096) are the katakana 0x60 lower.
            if katakana.value - 0x60 <= 0x3096 {
                let hiragana = Unicode.Scalar(katakana.value - 0x60)!
                #expect(KanaTable.map(hiragana, kind: .edi).map(Array.init) == expected, "U+\(String(hiragana.value, radix: 16, uppercase: true))")
            }
        }
    }

    @Test func aVoicedKanaIsItsPlainKanaAndAMark() {
        #expect(KanaTable.map("ガ", kind: .name).map(Array.init) == ["ｶ", "ﾞ"])
        #expect(KanaTable.map("ポ", kind: .name).map(Array.init) == ["ﾎ", "ﾟ"])
        #expect(KanaTable.map("ヲ", kind: .name).map(Array.init) == ["ｵ"])
        #expect(KanaTable.map("ヲ", kind: .edi).map(Array.init) == ["ｦ"])
    }
}
