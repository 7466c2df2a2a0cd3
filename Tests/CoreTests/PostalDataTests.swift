import KaitoriCore
import Testing

@Suite struct PostalDataTests {
    /// Rows as Japan Post's utf_ken_all.csv writes them: a plain town, the placeholder of a
    /// city-wide code, a note in parentheses, a town continued on the next row, and one code
    /// shared by two towns.
    static let sample = """
        11107,"336  ","3300063","ｻｲﾀﾏｹﾝ","ｻｲﾀﾏｼｳﾗﾜｸ","ﾀｶｻｺﾞ","埼玉県","さいたま市浦和区","高砂",0,0,1,0,0,0
        01101,"060  ","0600000","ﾎｯｶｲﾄﾞｳ","ｻｯﾎﾟﾛｼﾁｭｳｵｳｸ","ｲｶﾆｹｲｻｲｶﾞﾅｲﾊﾞｱｲ","北海道","札幌市中央区","以下に掲載がない場合",0,0,0,0,0,0
        13104,"160  ","1630401","ﾄｳｷｮｳﾄ","ｼﾝｼﾞｭｸｸ","ﾆｼｼﾝｼﾞｭｸｼﾝｼﾞｭｸｽﾐﾄﾓﾋﾞﾙ(1ｶｲ)","東京都","新宿区","西新宿新宿住友ビル（１階）",0,0,0,0,0,0
        01423,"06933","0693301","ﾎｯｶｲﾄﾞｳ","ｿﾗﾁｸﾞﾝﾅﾝﾎﾟﾛﾁｮｳ","ﾅﾝﾎﾟﾛﾁｮｳ","北海道","空知郡南幌町","南幌町（北町、中央町、元町、",0,0,0,0,0,0
        01423,"06933","0693301","ﾎｯｶｲﾄﾞｳ","ｿﾗﾁｸﾞﾝﾅﾝﾎﾟﾛﾁｮｳ","ﾅﾝﾎﾟﾛﾁｮｳ","北海道","空知郡南幌町","栄町、晩翠町）",0,0,0,0,0,0
        23220,"452  ","4520961","ｱｲﾁｹﾝ","ｷﾖｽｼ","ｶｽｶﾞ","愛知県","清須市","春日",0,0,0,1,0,0
        23220,"452  ","4520961","ｱｲﾁｹﾝ","ｷﾖｽｼ","ﾆｼﾋﾞﾜｼﾞﾏﾁｮｳ","愛知県","清須市","西枇杷島町",0,0,0,1,0,0

        """

    @Test func townsAreJoinedCleanedAndSharedCodesKeepEveryTown() throws {
        let codes = try PostalData.parse(Array(PostalDataTests.sample.utf8))
        let byCode = Dictionary(uniqueKeysWithValues: codes.map { ($0.code, $0.places) })
        #expect(codes.map(\.code) == ["3300063", "0600000", "1630401", "0693301", "4520961"])
        #expect(byCode["3300063"] == [PostalData.Place(prefecture: "埼玉県", city: "さいたま市浦和区", town: "高砂")])
        #expect(byCode["0600000"]?.first?.town == "")
        #expect(byCode["1630401"]?.first?.town == "西新宿新宿住友ビル")
        #expect(byCode["0693301"] == [PostalData.Place(prefecture: "北海道", city: "空知郡南幌町", town: "南幌町")])
        #expect(byCode["4520961"]?.map(\.town) == ["春日", "西枇杷島町"])
    }

    @Test func shardsAreSmallJSONPerFirstThreeDigits() throws {
        let shards = PostalData.shards(try PostalData.parse(Array(PostalDataTests.sample.utf8)))
        #expect(shards.map(\.name) == ["060.json", "069.json", "163.json", "330.json", "452.json"])
        let tokyo = try #require(shards.first { $0.name == "452.json" })
        #expect(tokyo.json == "{\"p\":[\"愛知県\"],\"c\":{\"4520961\":[[0,\"清須市\",\"春日\"],[0,\"清須市\",\"西枇杷島町\"]]}}\n")
        for shard in shards { #expect((try? JSONValue.parse(Array(shard.json.utf8))) != nil, "\(shard.name)") }
    }

    @Test func aFileThatIsNotKENALLNamesTheLine() {
        #expect(throws: PostalData.ParseError(line: 2, message: "column 3 \"33000\" is not a 7-digit postal code")) {
            try PostalData.parse(Array("11107,\"336\",\"3300063\",a,b,c,埼玉県,市,町\n1,2,\"33000\",a,b,c,d,e,f\n".utf8))
        }
        #expect(throws: PostalData.ParseError.self) { try PostalData.parse(Array("name,phone\n".utf8)) }
    }
}
