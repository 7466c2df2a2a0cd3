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

    /// The first (at most three) units of every spelling, mapped from its first scalars only, in
    /// one flat list of three scalars a spelling (a shorter head padded with NUL, which no unit
    /// is): built on every post, and an array per spelling cost twice as much.
    static let heads: [Unicode.Scalar] = {
        var heads: [Unicode.Scalar] = []
        heads.reserveCapacity(3 * 128)
        for entity in all {
            for spelling in entity.spellings {
                let end = heads.count + 3
                appendUnits(of: spelling, limit: 3, to: &heads)
                while heads.count < end { heads.append("\u{0}") }
            }
        }
        return heads
    }()

    /// `heads` as one list a spelling, for tests.
    static var headList: [[Unicode.Scalar]] {
        stride(from: 0, to: heads.count, by: 3).map { Array(heads[$0..<$0 + 3].prefix { $0 != "\u{0}" }) }
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

    /// Whether some spelling's head starts at `index`.
    private static func headStarts(in units: [KanaUnit], at index: Int) -> Bool {
        var head = 0
        while head < heads.count {
            var offset = 0
            while offset < 3, heads[head + offset] != "\u{0}", index + offset < units.count,
                  units[index + offset].scalar == heads[head + offset] {
                offset += 1
            }
            if offset == 3 || heads[head + offset] == "\u{0}" { return true }
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
