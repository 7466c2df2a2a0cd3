/// A kind of legal entity and the short form banks use for it in account names (法人略語).
///
/// Banks write the short form as `ｶ)ﾔﾏﾀﾞ` when the entity word starts the name, `ﾔﾏﾀﾞ(ｶ` when it ends
/// it and `ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳ` in the middle, with no spaces around it.
struct LegalEntityAbbreviation {
    let abbreviation: String
    /// Kanji, parenthesized and katakana spellings; hiragana and half-width input reach these
    /// through the same conversion.
    let spellings: [String]

    static let all: [LegalEntityAbbreviation] = [
        .init(abbreviation: "ｶ", spellings: ["株式会社", "カブシキガイシャ", "カブシキカイシャ", "(株)", "㈱", "㍿"]),
        .init(abbreviation: "ﾕ", spellings: ["有限会社", "ユウゲンガイシャ", "ユウゲンカイシャ", "(有)", "㈲"]),
        .init(abbreviation: "ﾒ", spellings: ["合名会社", "ゴウメイガイシャ", "(名)", "㈴"]),
        .init(abbreviation: "ｼ", spellings: ["合資会社", "ゴウシガイシャ", "(資)", "㈾"]),
        .init(abbreviation: "ﾄﾞ", spellings: ["合同会社", "ゴウドウガイシャ", "(同)"]),
        .init(abbreviation: "ｿ", spellings: ["相互会社", "ソウゴガイシャ", "(相)"]),
        .init(abbreviation: "ｲ", spellings: [
            "医療法人社団", "医療法人財団", "社会医療法人", "医療法人",
            "イリョウホウジンシャダン", "イリョウホウジンザイダン", "シャカイイリョウホウジン", "イリョウホウジン", "(医)",
        ]),
        .init(abbreviation: "ｻﾞｲ", spellings: [
            "一般財団法人", "公益財団法人", "財団法人",
            "イッパンザイダンホウジン", "コウエキザイダンホウジン", "ザイダンホウジン", "(一財)", "(公財)", "(財)", "㈶",
        ]),
        .init(abbreviation: "ｼﾔ", spellings: [
            "一般社団法人", "公益社団法人", "社団法人",
            "イッパンシャダンホウジン", "コウエキシャダンホウジン", "シャダンホウジン", "(一社)", "(公社)", "(社)", "㈳",
        ]),
        .init(abbreviation: "ｼﾕｳ", spellings: ["宗教法人", "シュウキョウホウジン", "(宗)"]),
        .init(abbreviation: "ｶﾞｸ", spellings: ["学校法人", "ガッコウホウジン", "(学)", "㈻"]),
        .init(abbreviation: "ﾌｸ", spellings: ["社会福祉法人", "シャカイフクシホウジン", "(福)"]),
        .init(abbreviation: "ﾎｺﾞ", spellings: ["更生保護法人", "コウセイホゴホウジン"]),
        .init(abbreviation: "ﾄｸﾋ", spellings: ["特定非営利活動法人", "トクテイヒエイリカツドウホウジン", "(特非)"]),
        .init(abbreviation: "ﾁﾄﾞｸ", spellings: ["地方独立行政法人", "チホウドクリツギョウセイホウジン", "(地独)"]),
        .init(abbreviation: "ﾄﾞｸ", spellings: ["独立行政法人", "ドクリツギョウセイホウジン", "(独)"]),
        .init(abbreviation: "ﾀﾞｲ", spellings: [
            "国立大学法人", "公立大学法人", "コクリツダイガクホウジン", "コウリツダイガクホウジン", "(大)",
        ]),
        .init(abbreviation: "ﾍﾞﾝ", spellings: ["弁護士法人", "ベンゴシホウジン", "(弁)"]),
        .init(abbreviation: "ｾﾞｲ", spellings: ["税理士法人", "ゼイリシホウジン", "(税)"]),
        .init(abbreviation: "ｼﾎｳ", spellings: ["司法書士法人", "シホウショシホウジン", "(司)"]),
        .init(abbreviation: "ｶﾝｻ", spellings: ["監査法人", "カンサホウジン", "㈼"]),
        .init(abbreviation: "ﾛｳﾑ", spellings: ["社会保険労務士法人", "シャカイホケンロウムシホウジン"]),
        .init(abbreviation: "ﾉｳｷﾖｳ", spellings: ["農業協同組合", "ノウギョウキョウドウクミアイ"]),
        .init(abbreviation: "ｾｲｷﾖｳ", spellings: ["生活協同組合", "セイカツキョウドウクミアイ"]),
        .init(abbreviation: "ｷﾖｳｸﾐ", spellings: ["協同組合", "キョウドウクミアイ", "㈿"]),
        .init(abbreviation: "ｴｲ", spellings: ["営業所", "エイギョウショ"]),
        .init(abbreviation: "ｼﾕﾂ", spellings: ["出張所", "シュッチョウショ"]),
    ]

    /// One spelling as converted units and the short form it becomes.
    struct Pattern {
        let units: [Unicode.Scalar]
        let abbreviation: String
    }

    /// Every spelling as converted units, longest first, so that 一般社団法人 wins over 社団法人.
    /// Built on first use in every process that checks an account holder (each application post),
    /// so it is built cheaply: the spellings hold no spaces or separators, so they are mapped
    /// scalar by scalar (`MappedKana`, no allocation per scalar) into one flat list. Going through
    /// `ZenginKana.units` character by character cost 2.2 M instructions (14 % of an application
    /// post), and a dictionary grouped by first scalar with an array per mapped scalar still 1.0 M.
    static let patterns: [Pattern] = {
        var flat: [Pattern] = []
        flat.reserveCapacity(128)
        for entity in all {
            for spelling in entity.spellings {
                flat.append(Pattern(units: units(of: spelling), abbreviation: entity.abbreviation))
            }
        }
        // Longest first; among spellings of the same length, the table's order.
        var byLength: [Pattern] = []
        byLength.reserveCapacity(flat.count)
        var length = flat.reduce(0) { max($0, $1.units.count) }
        while length > 0 {
            for pattern in flat where pattern.units.count == length { byLength.append(pattern) }
            length -= 1
        }
        return byLength
    }()

    /// The first (at most three) units of every spelling, in one flat list of three scalar values
    /// a spelling (a shorter head padded with 0, which no unit is). Written out rather than built
    /// from `all`: building it cost 90 K instructions on every application post, 1.6 % of it
    /// (docs/performance.md). `LegalEntityPatternTests` checks it equals `computedHeads()`.
    static let heads: [UInt32] = [
        0x682A, 0x5F0F, 0x4F1A, 0xFF76, 0xFF8C, 0xFF9E, 0xFF76, 0xFF8C, 0xFF9E, 0x0028, 0x682A, 0x0029,
        0x3231, 0x0000, 0x0000, 0x337F, 0x0000, 0x0000, 0x6709, 0x9650, 0x4F1A, 0xFF95, 0xFF73, 0xFF79,
        0xFF95, 0xFF73, 0xFF79, 0x0028, 0x6709, 0x0029, 0x3232, 0x0000, 0x0000, 0x5408, 0x540D, 0x4F1A,
        0xFF7A, 0xFF9E, 0xFF73, 0x0028, 0x540D, 0x0029, 0x3234, 0x0000, 0x0000, 0x5408, 0x8CC7, 0x4F1A,
        0xFF7A, 0xFF9E, 0xFF73, 0x0028, 0x8CC7, 0x0029, 0x323E, 0x0000, 0x0000, 0x5408, 0x540C, 0x4F1A,
        0xFF7A, 0xFF9E, 0xFF73, 0x0028, 0x540C, 0x0029, 0x76F8, 0x4E92, 0x4F1A, 0xFF7F, 0xFF73, 0xFF7A,
        0x0028, 0x76F8, 0x0029, 0x533B, 0x7642, 0x6CD5, 0x533B, 0x7642, 0x6CD5, 0x793E, 0x4F1A, 0x533B,
        0x533B, 0x7642, 0x6CD5, 0xFF72, 0xFF98, 0xFF96, 0xFF72, 0xFF98, 0xFF96, 0xFF7C, 0xFF94, 0xFF76,
        0xFF72, 0xFF98, 0xFF96, 0x0028, 0x533B, 0x0029, 0x4E00, 0x822C, 0x8CA1, 0x516C, 0x76CA, 0x8CA1,
        0x8CA1, 0x56E3, 0x6CD5, 0xFF72, 0xFF82, 0xFF8A, 0xFF7A, 0xFF73, 0xFF74, 0xFF7B, 0xFF9E, 0xFF72,
        0x0028, 0x4E00, 0x8CA1, 0x0028, 0x516C, 0x8CA1, 0x0028, 0x8CA1, 0x0029, 0x3236, 0x0000, 0x0000,
        0x4E00, 0x822C, 0x793E, 0x516C, 0x76CA, 0x793E, 0x793E, 0x56E3, 0x6CD5, 0xFF72, 0xFF82, 0xFF8A,
        0xFF7A, 0xFF73, 0xFF74, 0xFF7C, 0xFF94, 0xFF80, 0x0028, 0x4E00, 0x793E, 0x0028, 0x516C, 0x793E,
        0x0028, 0x793E, 0x0029, 0x3233, 0x0000, 0x0000, 0x5B97, 0x6559, 0x6CD5, 0xFF7C, 0xFF95, 0xFF73,
        0x0028, 0x5B97, 0x0029, 0x5B66, 0x6821, 0x6CD5, 0xFF76, 0xFF9E, 0xFF82, 0x0028, 0x5B66, 0x0029,
        0x323B, 0x0000, 0x0000, 0x793E, 0x4F1A, 0x798F, 0xFF7C, 0xFF94, 0xFF76, 0x0028, 0x798F, 0x0029,
        0x66F4, 0x751F, 0x4FDD, 0xFF7A, 0xFF73, 0xFF7E, 0x7279, 0x5B9A, 0x975E, 0xFF84, 0xFF78, 0xFF83,
        0x0028, 0x7279, 0x975E, 0x5730, 0x65B9, 0x72EC, 0xFF81, 0xFF8E, 0xFF73, 0x0028, 0x5730, 0x72EC,
        0x72EC, 0x7ACB, 0x884C, 0xFF84, 0xFF9E, 0xFF78, 0x0028, 0x72EC, 0x0029, 0x56FD, 0x7ACB, 0x5927,
        0x516C, 0x7ACB, 0x5927, 0xFF7A, 0xFF78, 0xFF98, 0xFF7A, 0xFF73, 0xFF98, 0x0028, 0x5927, 0x0029,
        0x5F01, 0x8B77, 0x58EB, 0xFF8D, 0xFF9E, 0xFF9D, 0x0028, 0x5F01, 0x0029, 0x7A0E, 0x7406, 0x58EB,
        0xFF7E, 0xFF9E, 0xFF72, 0x0028, 0x7A0E, 0x0029, 0x53F8, 0x6CD5, 0x66F8, 0xFF7C, 0xFF8E, 0xFF73,
        0x0028, 0x53F8, 0x0029, 0x76E3, 0x67FB, 0x6CD5, 0xFF76, 0xFF9D, 0xFF7B, 0x323C, 0x0000, 0x0000,
        0x793E, 0x4F1A, 0x4FDD, 0xFF7C, 0xFF94, 0xFF76, 0x8FB2, 0x696D, 0x5354, 0xFF89, 0xFF73, 0xFF77,
        0x751F, 0x6D3B, 0x5354, 0xFF7E, 0xFF72, 0xFF76, 0x5354, 0x540C, 0x7D44, 0xFF77, 0xFF96, 0xFF73,
        0x323F, 0x0000, 0x0000, 0x55B6, 0x696D, 0x6240, 0xFF74, 0xFF72, 0xFF77, 0x51FA, 0x5F35, 0x6240,
        0xFF7C, 0xFF95, 0xFF82,
    ]

    /// `heads` as built from the table.
    static func computedHeads() -> [UInt32] {
        var heads: [Unicode.Scalar] = []
        heads.reserveCapacity(3 * 128)
        for entity in all {
            for spelling in entity.spellings {
                let end = heads.count + 3
                appendUnits(of: spelling, limit: 3, to: &heads)
                while heads.count < end { heads.append("\u{0}") }
            }
        }
        return heads.map(\.value)
    }

    /// `heads` as one list a spelling, for tests.
    static var headList: [[Unicode.Scalar]] {
        stride(from: 0, to: heads.count, by: 3).map { Array(heads[$0..<$0 + 3].prefix { $0 != 0 }.map { Unicode.Scalar($0)! }) }
    }

    /// A spelling's units, mapped scalar by scalar (the spellings hold no spaces or separators,
    /// so this equals `ZenginKana.units`; `LegalEntityPatternTests` checks it).
    private static func units(of spelling: String) -> [Unicode.Scalar] {
        var units: [Unicode.Scalar] = []
        units.reserveCapacity(spelling.utf8.count)
        appendUnits(of: spelling, limit: .max, to: &units)
        return units
    }

    /// Appends a spelling's first `limit` units to `units`.
    private static func appendUnits(of spelling: String, limit: Int, to units: inout [Unicode.Scalar]) {
        var count = 0
        for scalar in spelling.unicodeScalars where count < limit {
            for mapped in KanaTable.map(scalar, kind: .name) ?? MappedKana(scalar) where count < limit {
                units.append(mapped)
                count += 1
            }
        }
    }

    /// Bit n set when some head starts with U+FF60 + n: the half-width kana a converted holder is
    /// made of. A person's name is mostly letters no head starts with, and each of its letters
    /// was compared with all 128 heads (15 K instructions for an eight-letter name).
    static let halfWidthHeadFirsts: UInt64 = {
        var mask: UInt64 = 0
        for head in stride(from: 0, to: heads.count, by: 3) where (0xFF60..<0xFFA0).contains(heads[head]) {
            mask |= 1 << (heads[head] - 0xFF60)
        }
        return mask
    }()

    /// Whether some spelling's head starts at `index`.
    private static func headStarts(in units: [KanaUnit], at index: Int) -> Bool {
        let first = units[index].scalar.value
        if (0xFF60..<0xFFA0).contains(first), halfWidthHeadFirsts & (1 << (first - 0xFF60)) == 0 { return false }
        var head = 0
        while head < heads.count {
            var offset = 0
            while offset < 3, heads[head + offset] != 0, index + offset < units.count,
                  units[index + offset].scalar.value == heads[head + offset] {
                offset += 1
            }
            if offset == 3 || heads[head + offset] == 0 { return true }
            head += 3
        }
        return false
    }

    /// Replaces every legal-entity word in already converted units with its short form.
    static func apply(to units: [KanaUnit]) -> [KanaUnit] {
        // Most holders are people: when no spelling's first units occur anywhere, nothing can
        // match and the table is never built (it cost a quarter of the account-holder check).
        guard units.indices.contains(where: { headStarts(in: units, at: $0) }) else { return units }
        var output: [KanaUnit] = []
        var index = 0
        while index < units.count {
            let first = units[index].scalar
            guard let pattern = patterns.first(where: { $0.units[0] == first && matches($0.units, in: units, at: index) })
            else {
                output.append(units[index])
                index += 1
                continue
            }
            let end = index + pattern.units.count
            let atStart = output.allSatisfy(\.isSpace)
            let atEnd = units[end...].allSatisfy(\.isSpace)
            let form = atStart ? pattern.abbreviation + ")" : atEnd ? "(" + pattern.abbreviation : "(" + pattern.abbreviation + ")"
            while output.last?.isSpace == true {
                output.removeLast()
            }
            output += form.unicodeScalars.map { KanaUnit(scalar: $0, source: Character($0)) }
            index = end
            while index < units.count, units[index].isSpace {
                index += 1
            }
        }
        return output
    }

    private static func matches(_ pattern: [Unicode.Scalar], in units: [KanaUnit], at index: Int) -> Bool {
        guard units.count - index >= pattern.count else { return false }
        return pattern.indices.allSatisfy { units[index + $0].scalar == pattern[$0] }
    }
}
