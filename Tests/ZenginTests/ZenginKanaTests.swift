import Testing
import Zengin

@Suite("Kana conversion")
struct ZenginKanaTests {
    private func convert(_ text: String, kind: ZenginKana.Kind = .name, abbreviate: Bool = false, max: Int = 30) throws -> String {
        try ZenginKana.convert(text, field: "payee name", maxLength: max, kind: kind, abbreviateLegalEntities: abbreviate)
    }

    @Test("customer input becomes bank kana", arguments: [
        ("ガ", "ｶﾞ"), ("パ", "ﾊﾟ"), ("ヴ", "ｳﾞ"), ("ゔ", "ｳﾞ"),
        ("キャノン", "ｷﾔﾉﾝ"), ("ニッポン", "ﾆﾂﾎﾟﾝ"), ("ファミリー", "ﾌｱﾐﾘ-"), ("ヶ", "ｹ"), ("ヮ", "ﾜ"),
        ("ヤマダ　タロウ", "ﾔﾏﾀﾞ ﾀﾛｳ"), ("やまだ たろう", "ﾔﾏﾀﾞ ﾀﾛｳ"), ("じゅんいちろう", "ｼﾞﾕﾝｲﾁﾛｳ"),
        ("カ\u{3099}", "ｶﾞ"), ("ｶﾞｯｺｳ", "ｶﾞﾂｺｳ"), ("ｰ", "-"), ("スーパー", "ｽ-ﾊﾟ-"), ("A‐B—C−D", "A-B-C-D"),
        ("suzuki", "SUZUKI"), ("Ｓｕｚｕｋｉ", "SUZUKI"), ("１２３ＡＢＣ", "123ABC"), ("abc123", "ABC123"),
        ("（ヤマダ）．－", "(ﾔﾏﾀﾞ).-"), ("  ヤマダ   \t タロウ  ", "ﾔﾏﾀﾞ ﾀﾛｳ"), ("スミス・ジョン", "ｽﾐｽ ｼﾞﾖﾝ"),
        ("ヲ", "ｵ"), ("ヰヱ", "ｲｴ"), ("", ""),
    ])
    func conversions(input: String, expected: String) throws {
        #expect(try convert(input) == expected)
    }

    @Test("the whole kana table converts and every result is one byte per character")
    func wholeTable() throws {
        let hiragana = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわをん"
        let katakana = "アイウエオカキクケコサシスセソタチツテトナニヌネノハヒフヘホマミムメモヤユヨラリルレロワヲン"
        let expected = "ｱｲｳｴｵｶｷｸｹｺｻｼｽｾｿﾀﾁﾂﾃﾄﾅﾆﾇﾈﾉﾊﾋﾌﾍﾎﾏﾐﾑﾒﾓﾔﾕﾖﾗﾘﾙﾚﾛﾜｵﾝ"
        #expect(try convert(hiragana, max: 46) == expected)
        #expect(try convert(katakana, max: 46) == expected)
        #expect(try convert("ガギグゲゴザジズゼゾダヂヅデドバビブベボパピプペポ", max: 50)
            == "ｶﾞｷﾞｸﾞｹﾞｺﾞｻﾞｼﾞｽﾞｾﾞｿﾞﾀﾞﾁﾞﾂﾞﾃﾞﾄﾞﾊﾞﾋﾞﾌﾞﾍﾞﾎﾞﾊﾟﾋﾟﾌﾟﾍﾟﾎﾟ")
        #expect(try convert("ァィゥェォッャュョ") == "ｱｲｳｴｵﾂﾔﾕﾖ")
        #expect(try convert("ｧｨｩｪｫｯｬｭｮ") == "ｱｲｳｴｵﾂﾔﾕﾖ")
    }

    @Test("the result encodes as a payee name of the right byte length")
    func resultEncodes() throws {
        let name = try convert("ガッコウホウジン ヴィーナス", max: 30)
        #expect(name == "ｶﾞﾂｺｳﾎｳｼﾞﾝ ｳﾞｲ-ﾅｽ")
        #expect(name.unicodeScalars.count == 17)
        var transfer = Sample.transfers[0]
        transfer.payeeName = name
        let file = TransferFile(header: Sample.header, transfers: [transfer])
        #expect(try TransferFile.decode(file.encode()) == file)
    }

    @Test("legal-entity words become bank abbreviations", arguments: [
        ("株式会社ヤマダ", "ｶ)ﾔﾏﾀﾞ"), ("株式会社 ヤマダ", "ｶ)ﾔﾏﾀﾞ"), ("ヤマダ株式会社", "ﾔﾏﾀﾞ(ｶ"),
        ("ヤマダ 株式会社 トウキョウシテン", "ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳｼﾃﾝ"), ("カブシキガイシャ ヤマダ", "ｶ)ﾔﾏﾀﾞ"),
        ("かぶしきがいしゃやまだ", "ｶ)ﾔﾏﾀﾞ"), ("ｶﾌﾞｼｷｶﾞｲｼﾔ ﾔﾏﾀﾞ", "ｶ)ﾔﾏﾀﾞ"), ("㈱ヤマダ", "ｶ)ﾔﾏﾀﾞ"),
        ("（株）ヤマダ", "ｶ)ﾔﾏﾀﾞ"), ("ヤマダ(有)", "ﾔﾏﾀﾞ(ﾕ"), ("有限会社ヤマダ", "ﾕ)ﾔﾏﾀﾞ"),
        ("ユウゲンガイシャ ヤマダ", "ﾕ)ﾔﾏﾀﾞ"), ("合同会社カイトリ", "ﾄﾞ)ｶｲﾄﾘ"), ("ゴウドウガイシャ カイトリ", "ﾄﾞ)ｶｲﾄﾘ"),
        ("医療法人社団ヤマダカイ", "ｲ)ﾔﾏﾀﾞｶｲ"), ("医療法人ヤマダ", "ｲ)ﾔﾏﾀﾞ"), ("一般社団法人ヤマダ", "ｼﾔ)ﾔﾏﾀﾞ"),
        ("イッパンシャダンホウジン ヤマダ", "ｼﾔ)ﾔﾏﾀﾞ"), ("公益財団法人ヤマダ", "ｻﾞｲ)ﾔﾏﾀﾞ"),
        ("特定非営利活動法人ヤマダ", "ﾄｸﾋ)ﾔﾏﾀﾞ"), ("社会福祉法人ヤマダ", "ﾌｸ)ﾔﾏﾀﾞ"), ("学校法人ヤマダ", "ｶﾞｸ)ﾔﾏﾀﾞ"),
        ("ヤマダ株式会社 トウキョウ営業所", "ﾔﾏﾀﾞ(ｶ)ﾄｳｷﾖｳ(ｴｲ"),
    ])
    func abbreviations(input: String, expected: String) throws {
        #expect(try convert(input, abbreviate: true) == expected)
    }

    @Test("without the option legal-entity words stay as they are")
    func noAbbreviation() throws {
        #expect(try convert("カブシキガイシャ ヤマダ") == "ｶﾌﾞｼｷｶﾞｲｼﾔ ﾔﾏﾀﾞ")
        #expect(throws: ZenginError.characterNotAllowed(field: "payee name", character: "株")) {
            try convert("株式会社ヤマダ")
        }
    }

    @Test("characters without bank kana are refused by name", arguments: [
        ("山田太郎", "山"), ("ヤマダ😀", "😀"), ("ヤマダ、タロウ", "、"), ("ヤマダ,タロウ", ","), ("ＡＢＣ＃", "＃"),
        ("ゝ", "ゝ"), ("Café", "é"), ("ヤマダ株式会社", "株"),
    ])
    func refusals(input: String, character: String) {
        #expect(throws: ZenginError.characterNotAllowed(field: "payee name", character: character)) {
            try convert(input)
        }
    }

    @Test("bank names take only `-` as a symbol, EDI also takes \\ ｢ ｣ / and ｦ")
    func kinds() throws {
        #expect(try convert("ミツビシ－ユーエフジェー", kind: .bankName) == "ﾐﾂﾋﾞｼ-ﾕ-ｴﾌｼﾞｴ-")
        #expect(throws: ZenginError.characterNotAllowed(field: "payee name", character: "（")) {
            try convert("ミズホ（シテン）", kind: .bankName)
        }
        #expect(throws: ZenginError.characterNotAllowed(field: "payee name", character: ".")) {
            try convert("A.B", kind: .bankName)
        }
        #expect(try convert("「ヲ」￥１／２", kind: .edi) == "｢ｦ｣\\1/2")
        #expect(throws: ZenginError.characterNotAllowed(field: "payee name", character: "「")) {
            try convert("「ヤマダ」")
        }
        #expect(throws: ZenginError.characterNotAllowed(field: "payee name", character: "/")) {
            try convert("A/B")
        }
    }

    @Test("too long is an error, never a cut that splits ｶﾞ")
    func tooLong() throws {
        // 14 × ｶﾞ (28 bytes) + ｶﾞ would be 30; one more kana makes 31.
        let fits = String(repeating: "ガ", count: 15)
        #expect(try convert(fits) == String(repeating: "ｶﾞ", count: 15))
        #expect(throws: ZenginError.tooLong(field: "payee name", length: 31, maxLength: 30)) {
            try convert("ア" + fits)
        }
        // Cutting at 5 bytes would leave ｶﾞｶﾞｶ with its mark torn off.
        #expect(throws: ZenginError.tooLong(field: "payee name", length: 6, maxLength: 5)) {
            try convert("ガガガ", max: 5)
        }
        #expect(ZenginError.tooLong(field: "payee name", length: 6, maxLength: 5).description
            == "payee name: 6 characters in bank kana, but at most 5 fit (voiced marks count as characters)")
    }
}
