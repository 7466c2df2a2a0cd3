@testable import KaitoriCore
import Testing

/// `TextNormalizer.halfWidthKanaToFull` holds each scalar back until the next one shows whether a
/// voiced mark replaces it (taking it back off a `String.UnicodeScalarView` was most of a post's
/// kana normalizing); here it is held to the former version, kept below, on chosen and random text.
@Suite struct TextNormalizerTests {
    /// The former `halfWidthKanaToFull`, as it was: the reference.
    static func reference(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: { (0xFF61...0xFF9F).contains($0.value) }) else { return text }
        let halfKana = Array("ヲァィゥェォャュョッーアイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワン".unicodeScalars)
        func combine(_ base: Unicode.Scalar, voiced: Bool) -> Unicode.Scalar? {
            let v = base.value
            if voiced {
                if v == 0x30A6 { return "\u{30F4}" }
                if (0x30AB...0x30C8).contains(v) { return Unicode.Scalar(v + 1) }
                if (0x30CF...0x30DD).contains(v), (v - 0x30CF) % 3 == 0 { return Unicode.Scalar(v + 1) }
            } else if (0x30CF...0x30DD).contains(v), (v - 0x30CF) % 3 == 0 {
                return Unicode.Scalar(v + 2)
            }
            return nil
        }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if s.value == 0xFF9E || s.value == 0xFF9F, let last = out.last {
                let voiced = s.value == 0xFF9E
                if let combined = combine(last, voiced: voiced) {
                    out.removeLast(); out.append(combined); continue
                }
                out.append(voiced ? "\u{309B}" : "\u{309C}")
                continue
            }
            if (0xFF66...0xFF9D).contains(s.value) { out.append(halfKana[Int(s.value - 0xFF66)]) } else { out.append(s) }
        }
        return String(out)
    }

    @Test(arguments: [
        "ﾔﾏﾀﾞ ﾀﾛｳ", "ｶﾞｯｺｳ", "ﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ", "ﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞ", "ｳﾞｧｲｵﾘﾝ", "ﾜﾞ", "ﾞｱ", "ﾟ", "ｱﾟ", "ｶﾞﾞ", "ｦ",
        "ｰ", "｡｢｣､･", "ﾔﾏﾀﾞ　ﾀﾛｳ（ｶﾌﾞ）", "山田ﾀﾛｳ", "ABCｱｲｳ123", "", "ヤマダ", "ｶ\u{3099}", "👨‍👩‍👧ｶﾞ",
    ])
    func chosenTextIsConvertedAsBefore(_ text: String) {
        #expect(TextNormalizer.halfWidthKanaToFull(text) == Self.reference(text))
    }

    @Test func randomTextIsConvertedAsBefore() {
        // Half-width kana and marks (the whole block), full-width kana, ASCII and a few others.
        let pool: [Unicode.Scalar] = (0xFF61...0xFF9F).compactMap(Unicode.Scalar.init)
            + (0x30A1...0x30F6).compactMap(Unicode.Scalar.init)
            + ["a", "Z", "1", " ", "\u{3000}", "山", "\u{3099}", "\u{309A}", "\u{1F600}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                text.append(pool.randomElement(using: &generator)!)
            }
            let string = String(text)
            #expect(TextNormalizer.halfWidthKanaToFull(string) == Self.reference(string), "\(string.unicodeScalars.map { String($0.value, radix: 16) })")
        }
    }

    /// `digits` keeps the scalars it does not drop, as a string, as it did through `Character`s.
    @Test func digitsAreTheFormerVersions() {
        func reference(_ text: String) -> String {
            String(TextNormalizer.halfWidth(text).unicodeScalars.filter { $0 != "-" && $0 != " " && $0 != "(" && $0 != ")" }.map(Character.init))
        }
        let pool: [Unicode.Scalar] = ["0", "7", "９", "-", "ー", "－", " ", "\u{3000}", "(", "（", ")", "a", "\u{301}", "\u{1F468}", "\u{200D}"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5_000 {
            var text = String.UnicodeScalarView()
            for _ in 0..<Int.random(in: 0...10, using: &generator) { text.append(pool.randomElement(using: &generator)!) }
            let string = String(text)
            #expect(TextNormalizer.digits(string) == reference(string), "\(string.unicodeScalars.map { String($0.value, radix: 16) })")
        }
        #expect(TextNormalizer.digits("０９０－１２３４－５６７８") == "09012345678")
    }
}
