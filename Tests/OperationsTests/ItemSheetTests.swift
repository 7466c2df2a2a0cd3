import Foundation
import KaitoriCore
import StoreTestSupport
import Testing

@Suite struct ItemSheetTests {
    /// Replaces one cell (row and column counted from 0, the header is row 0) of a CSV document.
    func edit(_ csv: String, row: Int, column: Int, to value: String) throws -> String {
        var rows = try CSV.parse(csv.bytes)
        rows[row][column] = value
        return CSV.encode(rows)
    }

    static let priceColumn = 6
    static let quantityColumn = 5

    @Test(arguments: StoreBackend.all) func exportWritesBOMHeaderIdAndHash(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.assessingCase()
        let (_, csv) = try shop.store.exportItems(code: c.code)
        #expect(csv.hasPrefix("\u{FEFF}ID,ハッシュ,商品コード,JANコード,商品名,数量,買取単価,販売単価,グレード,棚番号,コンディションタグ,コンディション詳細,商品メモ,バイヤーコメント,重量,カテゴリ\r\n"))
        let rows = try CSV.parse(csv.bytes)
        #expect(rows.count == 3)
        #expect(rows[1][0] == String(c.items[0].id))
        #expect(rows[1][1] == ItemSheet.hash(c.items[0]))
        #expect(rows[1][4] == "Nintendo Switch 本体")
        #expect(rows[1][3] == "4902370542912")
    }

    @Test func hashChangesWithAnyFieldAndTheId() {
        let item = Item(id: 7, name: "A", quantity: 1, unitPrice: 100)
        var other = item
        other.unitPrice = 101
        var moved = item
        moved.id = 8
        #expect(ItemSheet.hash(item) == ItemSheet.hash(item))
        #expect(ItemSheet.hash(item) != ItemSheet.hash(other))
        #expect(ItemSheet.hash(item) != ItemSheet.hash(moved))
        #expect(ItemSheet.hash(item).hasPrefix("h") && ItemSheet.hash(item).count == 17)
    }

    @Test(arguments: StoreBackend.all) func unchangedRoundTripChangesNothing(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.assessingCase()
        let (_, csv) = try shop.store.exportItems(code: c.code)
        let result = try shop.store.importItems(code: c.code, sheet: csv.bytes, by: Shop.staff)
        #expect(result.unchanged.count == 2)
        #expect(!result.changedAnything)
        #expect(try shop.store.load(code: c.code).items == c.items)
    }

    @Test(arguments: StoreBackend.all) func importChangesRowsWithIdAndAddsRowsWithout(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.assessingCase()
        var csv = try shop.store.exportItems(code: c.code).1
        csv = try edit(csv, row: 1, column: Self.priceColumn, to: "12,000")
        csv += ",,,,PS5 コントローラー,1,4500,,2,B-3,箱なし,,,,\r\n"
        let result = try shop.store.importItems(code: c.code, sheet: csv.bytes, by: Shop.staff)
        #expect(result.changed == [c.items[0].id])
        #expect(result.added.count == 1)
        let items = try shop.store.load(code: c.code).items
        #expect(items.count == 3)
        #expect(items[0].unitPrice == 12_000)
        #expect(items[2].name == "PS5 コントローラー")
        #expect(items[2].shelf == "B-3")
        #expect(items[2].position == 3)
    }

    @Test(arguments: StoreBackend.all) func firstImportOfAnArrivedCaseStartsTheAssessmentInTheHistory(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.arrivedCase()
        let csv = CSV.encode([ItemSheet.header, ["", "", "", "", "カメラ", "1", "50000", "", "3", "", "", "", "", "", ""]])
        let result = try shop.store.importItems(code: c.code, sheet: csv.bytes, by: Shop.staff)
        #expect(result.record.status == .assessing)
        let last = try #require(try shop.store.history(caseID: c.id).last)
        #expect(last.from == .arrived && last.to == .assessing && last.by == Shop.staff)
    }

    @Test(arguments: StoreBackend.all) func staleHashIsRefusedAndNothingChanges(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.assessingCase()
        var csv = try shop.store.exportItems(code: c.code).1
        // Someone else changes the first item after the export.
        _ = try shop.store.editItem(code: c.code, itemID: c.items[0].id, ItemDraft([.unitPrice: "9500"]), by: .staff("other"))
        let before = try shop.store.load(code: c.code).items
        csv = try edit(csv, row: 1, column: Self.priceColumn, to: "11000")
        csv = try edit(csv, row: 2, column: Self.priceColumn, to: "3500")
        csv += ",,,,追加の品,1,100,,3,,,,,,\r\n"
        let error = try #require(throws: ItemError.self) {
            try shop.store.importItems(code: c.code, sheet: csv.bytes, by: Shop.staff)
        }
        #expect(error.problems.map(\.description) == [
            "row 2: ハッシュ: item \(c.items[0].id) changed after this file was exported (someone edited it meanwhile); export again and redo your change",
        ])
        #expect(String(describing: error).contains("case \(c.code): the item sheet was not imported, nothing changed"))
        #expect(try shop.store.load(code: c.code).items == before)
    }

    @Test(arguments: StoreBackend.all) func everyRowProblemIsListedAsRowColumnProblem(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.assessingCase()
        var csv = try shop.store.exportItems(code: c.code).1
        csv = try edit(csv, row: 1, column: Self.quantityColumn, to: "0")
        csv = try edit(csv, row: 2, column: 8, to: "7")
        csv += ",,,4901234567890,,1,abc,,3,,,,,,\r\n"
        csv += ",,,,,,,,,,,,,,\r\n"
        csv += ",,,,名前だけ,,,,,,,,,,\r\n"
        let error = try #require(throws: ItemError.self) {
            try shop.store.importItems(code: c.code, sheet: csv.bytes, by: Shop.staff)
        }
        #expect(error.problems.map(\.description) == [
            "row 2: 数量: must be a whole number from 1 to 99,999 (got \"0\")",
            "row 3: グレード: \"7\" is not a grade; use one of 1 新品, 2 中古A, 3 中古B, 4 中古C, 5 中古D, 6 未使用",
            "row 4: JANコード: 4901234567890: the check digit (last digit) is wrong; check for a typo",
            "row 4: 買取単価: must be whole yen from 0 to 99,999,999 (got \"abc\")",
            "row 6: 数量: required: a whole number from 1 to 99,999",
            "row 6: グレード: required: one of 1 新品, 2 中古A, 3 中古B, 4 中古C, 5 中古D, 6 未使用",
        ])
        #expect(try shop.store.load(code: c.code).items == c.items)
    }

    @Test(arguments: StoreBackend.all) func englishHeaderWithoutBOMNamesColumnsInEnglish(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.arrivedCase()
        let header = "id,hash,product_code,jan,name,quantity,unit_price,sale_price,grade,shelf,tags,condition,staff_memo,buyer_comment,weight"
        let bad = header + "\n,,,,,2,100,,3,,,,,,\n"
        let error = try #require(throws: ItemError.self) { try shop.store.importItems(code: c.code, sheet: bad.bytes, by: Shop.staff) }
        #expect(error.problems.map(\.description) == ["row 2: name: give a name, a product code or a JAN (at least one)"])

        let good = header + "\n,,ABC-1,,\"Lens, 50mm \"\"f/1.8\"\"\",2,\"1,200\",,中古A,,,\"傷あり\nレンズ曇りなし\",,,0.4\n"
        let result = try shop.store.importItems(code: c.code, sheet: good.bytes, by: Shop.staff)
        let item = try #require(result.record.items.first)
        #expect(item.name == "Lens, 50mm \"f/1.8\"")
        #expect(item.unitPrice == 1_200 && item.quantity == 2 && item.grade == 2 && item.productCode == "ABC-1")
        #expect(item.condition == "傷あり\nレンズ曇りなし")
        #expect(item.weight == "0.4")
    }

    @Test(arguments: StoreBackend.all) func headerMismatchIsReportedPerColumn(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.arrivedCase()
        var header = ItemSheet.header
        header[5] = "個数"
        let error = try #require(throws: ItemError.self) {
            try shop.store.importItems(code: c.code, sheet: CSV.encode([header, Array(repeating: "", count: 15)]).bytes, by: Shop.staff)
        }
        #expect(error.problems.map(\.description) == ["row 1: 数量: column 6 must be 数量 or quantity (found \"個数\")"])
    }

    @Test(arguments: StoreBackend.all) func idAndHashMistakesAreRowProblems(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.assessingCase()
        let rows = try CSV.parse(try shop.store.exportItems(code: c.code).1.bytes)
        var duplicate = rows[1]
        duplicate[4] = "別名"
        var unknown = rows[1]
        unknown[0] = "999999"
        var hashOnly = rows[2]
        hashOnly[0] = ""
        var noHash = rows[2]
        noHash[1] = ""
        var notAnID = rows[2]
        notAnID[0] = "二"
        let error = try #require(throws: ItemError.self) {
            try shop.store.importItems(code: c.code, sheet: CSV.encode([rows[0], rows[1], duplicate, unknown, hashOnly, noHash, notAnID]).bytes,
                                       by: Shop.staff)
        }
        #expect(error.problems.map(\.description) == [
            "row 3: ID: item \(c.items[0].id) appears again (first on row 2)",
            "row 4: ID: case \(c.code) has no item 999999; leave the id and hash empty to add an item",
            "row 5: ハッシュ: a hash without an id; keep both as exported to change an item, or clear both to add one",
            "row 6: ハッシュ: missing; a row with an id must keep the hash of the export",
            "row 7: ID: \"二\" is not an item id; leave it empty to add an item",
        ])
    }

    @Test(arguments: StoreBackend.all) func missingItemsStayUnlessDeleteMissing(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.assessingCase()
        let rows = try CSV.parse(try shop.store.exportItems(code: c.code).1.bytes)
        let onlyFirst = CSV.encode([rows[0], rows[1]])
        _ = try shop.store.importItems(code: c.code, sheet: onlyFirst.bytes, by: Shop.staff)
        #expect(try shop.store.load(code: c.code).items.count == 2)
        let result = try shop.store.importItems(code: c.code, sheet: onlyFirst.bytes, deleteMissing: true, by: Shop.staff)
        #expect(result.deleted == [c.items[1].id])
        #expect(try shop.store.load(code: c.code).items.map(\.id) == [c.items[0].id])
    }

    @Test(arguments: StoreBackend.all) func limitsOnRowsAndSize(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.arrivedCase()
        let row = ["", "", "", "", "品", "1", "1", "", "3", "", "", "", "", "", ""]
        let tooMany = CSV.encode([ItemSheet.header] + Array(repeating: row, count: 1_001))
        let error = try #require(throws: ItemError.self) { try shop.store.importItems(code: c.code, sheet: tooMany.bytes, by: Shop.staff) }
        #expect(error.problems.map(\.description) == ["row 1002: (file): more than 1,000 item rows; split the file"])

        let thousand = CSV.encode([ItemSheet.header] + Array(repeating: row, count: 1_000))
        #expect(try shop.store.importItems(code: c.code, sheet: thousand.bytes, by: Shop.staff).added.count == 1_000)

        let huge = [UInt8](repeating: UInt8(ascii: "a"), count: ItemSheet.maxBytes)
        let sizeError = try #require(throws: ItemError.self) { try shop.store.importItems(code: c.code, sheet: huge, by: Shop.staff) }
        #expect(sizeError.problems.first?.description.hasPrefix("row 1: (file): 10485760 bytes; an import must be under 10 MB") == true)
    }

    @Test(arguments: StoreBackend.all) func shiftJISFileIsRefusedWithAHint(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.arrivedCase()
        let sjis: [UInt8] = [0x8F, 0xA4, 0x95, 0x69, 0x96, 0xBC, 0x0D, 0x0A] // 商品名 in Shift_JIS
        let error = try #require(throws: ItemError.self) { try shop.store.importItems(code: c.code, sheet: sjis, by: Shop.staff) }
        #expect(error.problems.first?.description.contains("not UTF-8") == true)
    }

    @Test(arguments: StoreBackend.all) func importIsRefusedOnceAssessedOrApproved(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let assessed = try shop.assessedCase()
        let csv = try shop.store.exportItems(code: assessed.code).1
        #expect(throws: StoreError.refused(code: assessed.code, reason: "cannot change items: the assessment is done and its items are locked; withdraw it first (`kaitori case unassess \(assessed.code)`)")) {
            try shop.store.importItems(code: assessed.code, sheet: csv.bytes, by: Shop.staff)
        }
        let approved = try shop.approvedCase()
        let error = try #require(throws: StoreError.self) {
            try shop.store.importItems(code: approved.code, sheet: csv.bytes, by: Shop.staff)
        }
        #expect(error.description.contains("cancel the case and renegotiate"))
    }
}
