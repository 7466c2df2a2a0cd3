import KaitoriCore
import StoreTestSupport
import Testing

@Suite struct ItemDraftTests {
    func apply(_ values: [ItemField: String], to base: Item = Item(name: "品")) -> (Item, [String]) {
        let (item, problems) = ItemDraft(values).applied(to: base)
        return (item, problems.map { "\($0.field.rawValue): \($0.message)" })
    }

    @Test func normalizesWhatStaffType() {
        let (item, problems) = apply([.quantity: "２", .unitPrice: "1,200", .salePrice: "", .grade: "中古Ａ", .jan: "４９０１２３４５６７８９４",
                                      .productCode: " PD-001 ", .condition: "傷\r\nあり"])
        #expect(problems.isEmpty)
        #expect(item.quantity == 2 && item.unitPrice == 1_200 && item.salePrice == 0 && item.grade == 2)
        #expect(item.jan == "4901234567894" && item.productCode == "PD-001" && item.condition == "傷\nあり")
    }

    @Test func absentFieldsKeepTheBaseAndEmptyClears() {
        let base = Item(name: "品", quantity: 3, unitPrice: 500, shelf: "A-1", staffMemo: "memo")
        let (item, problems) = apply([.shelf: "", .unitPrice: ""], to: base)
        #expect(problems.isEmpty)
        #expect(item.quantity == 3 && item.shelf == "" && item.unitPrice == 0 && item.staffMemo == "memo")
    }

    @Test func refusesWithOneProblemPerField() {
        let (_, problems) = apply([.name: "", .quantity: "1.5", .unitPrice: "-1", .grade: "", .jan: "4.90123E+12",
                                   .weight: "1.2.3", .shelf: "A\tB"])
        #expect(problems == [
            "jan: \"4.90123E+12\" looks like a spreadsheet turned the code into a number; format the column as text and type the code again",
            "quantity: must be a whole number from 1 to 99,999 (got \"1.5\")",
            "unit_price: must be whole yen from 0 to 99,999,999 (got \"-1\")",
            "grade: required: one of 1 新品, 2 中古A, 3 中古B, 4 中古C, 5 中古D, 6 未使用",
            "shelf: must be one line without tabs",
            "weight: must be a number such as 1.5 (got \"1.2.3\")",
        ])
    }

    @Test func needsANameProductCodeOrJAN() {
        #expect(apply([.name: ""]).1 == ["name: give a name, a product code or a JAN (at least one)"])
        #expect(apply([.name: "", .jan: "49012347"]).1.isEmpty)
        #expect(apply([.name: "", .productCode: "X1"]).1.isEmpty)
    }

    @Test func janCheckDigit() {
        #expect(apply([.jan: "4901234567894"]).1.isEmpty)
        #expect(apply([.jan: "49012347"]).1.isEmpty)
        #expect(apply([.jan: "4901234567890"]).1 == ["jan: 4901234567890: the check digit (last digit) is wrong; check for a typo"])
        #expect(apply([.jan: "12345"]).1 == ["jan: must be 8 or 13 digits (got \"12345\")"])
    }
}

@Suite struct CSVTests {
    @Test func parsesQuotesLineBreaksAndAllLineEnds() throws {
        let rows = try CSV.parse("a,\"b,1\",\"c\"\"d\"\r\n\"x\ny\",,z\rlast".bytes)
        #expect(rows == [["a", "b,1", "c\"d"], ["x\ny", "", "z"], ["last"]])
    }

    @Test func encodeQuotesOnlyWhenNeededAndRoundTrips() throws {
        let rows = [["id", "name"], ["1", "a,b"], ["2", "say \"hi\"\nbye"], ["3", " padded "]]
        let text = CSV.encode(rows)
        #expect(text == "\u{FEFF}id,name\r\n1,\"a,b\"\r\n2,\"say \"\"hi\"\"\nbye\"\r\n3,\" padded \"\r\n")
        #expect(try CSV.parse(text.bytes) == rows)
    }

    @Test func everyExportNeutralizesFormulasAndTheSheetRestoresThem() throws {
        let rows = [["=HYPERLINK(\"http://x\")", "+81", "-1200", "@SUM(A1)", "plain", "＝１＋１", "＋81", "－1", "＠x", "\tx", "\r=1", "'=x", "'plain"]]
        let text = CSV.encode(rows)
        #expect(text == "\u{FEFF}\"'=HYPERLINK(\"\"http://x\"\")\",'+81,-1200,'@SUM(A1),plain,'＝１＋１,'＋81,'－1,'＠x,'\tx,\"'\r=1\",''=x,''plain\r\n")
        #expect(try CSV.parse(text.bytes).map { $0.map(CSV.restore) } == rows)
    }

    @Test func reportsTheRowOfAnUnclosedQuote() {
        #expect(throws: CSV.ParseError(row: 2, message: "column 2: a quoted field is never closed")) {
            try CSV.parse("a,b\nc,\"open\n\nmore".bytes)
        }
        #expect(throws: CSV.ParseError(row: 1, message: "column 1: text after a closing quote")) {
            try CSV.parse("\"a\"b,c".bytes)
        }
    }
}

@Suite struct ItemCommandTests {
    @Test(arguments: StoreBackend.all) func firstItemOfAnArrivedCaseStartsTheAssessment(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.arrivedCase()
        let (record, item) = try shop.store.addItem(code: c.code, ItemDraft([.name: "カメラ", .quantity: "1", .unitPrice: "30000"]), by: Shop.staff)
        #expect(record.status == .assessing)
        #expect(item.grade == 3 && item.position == 1)
        let history = try shop.store.history(caseID: c.id)
        #expect(history.last?.from == .arrived && history.last?.to == .assessing && history.last?.note == "first item change")
    }

    @Test(arguments: StoreBackend.all) func addNeedsAQuantity(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.arrivedCase()
        #expect(throws: ItemError(code: c.code, problems: [ItemError.Problem(column: "quantity", message: "required: a whole number from 1 to 99,999")])) {
            try shop.store.addItem(code: c.code, ItemDraft([.name: "カメラ"]), by: Shop.staff)
        }
        #expect(try shop.store.load(code: c.code).status == .arrived)
    }

    @Test(arguments: StoreBackend.all) func editAndRemove(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let c = try shop.assessingCase()
        let (_, edited) = try shop.store.editItem(code: c.code, itemID: c.items[1].id, ItemDraft([.unitPrice: "3500", .buyerComment: ""]), by: Shop.staff)
        #expect(edited.unitPrice == 3_500 && edited.name == "Joy-Con (L)/(R)")
        let record = try shop.store.removeItem(code: c.code, itemID: c.items[0].id, by: Shop.staff)
        #expect(record.items.map(\.id) == [c.items[1].id])
        #expect(throws: StoreError.refused(code: c.code, reason: "no item #\(c.items[0].id) in this case (items: #\(c.items[1].id))")) {
            try shop.store.removeItem(code: c.code, itemID: c.items[0].id, by: Shop.staff)
        }
    }

    @Test(arguments: StoreBackend.all) func refusedBeforeArrivalAndAfterAssessment(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let confirmed = try shop.confirmedCase()
        #expect(throws: StoreError.refused(code: confirmed.code, reason: "cannot change items: the parcel has not arrived (申込確定); mark it arrived first (`kaitori case arrive \(confirmed.code)`)")) {
            try shop.store.addItem(code: confirmed.code, ItemDraft([.name: "品", .quantity: "1"]), by: Shop.staff)
        }
        let assessed = try shop.assessedCase()
        #expect(throws: StoreError.self) {
            try shop.store.editItem(code: assessed.code, itemID: assessed.items[0].id, ItemDraft([.unitPrice: "1"]), by: Shop.staff)
        }
        _ = try shop.store.unassess(code: assessed.code, by: Shop.staff)
        let (_, item) = try shop.store.editItem(code: assessed.code, itemID: assessed.items[0].id, ItemDraft([.unitPrice: "1"]), by: Shop.staff)
        #expect(item.unitPrice == 1)
    }

    @Test(arguments: StoreBackend.all) func assessQueuesTheReviewLinkAndReissueANewOne(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let assessed = try shop.assessedCase()
        let token = try #require(assessed.reviewToken)
        #expect(try shop.outbox(assessed, event: "assessed").last?.contains("/review/\(token)/") == true)
        let reissued = try shop.store.reissueReviewLink(code: assessed.code, by: Shop.staff, settings: shop.settings)
        let newToken = try #require(reissued.reviewToken)
        #expect(newToken != token)
        #expect(try shop.outbox(assessed, event: "assessed").last?.contains("/review/\(newToken)/") == true)
    }
}
