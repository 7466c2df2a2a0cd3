import Foundation
import KaitoriCore
import Spreadsheet
import StoreTestSupport
import Testing

/// The commands as a shop runs them: parsed by the real root command, run, exit status checked.
@Suite struct CLITests {
    func permissions(_ path: String) throws -> Int {
        try #require(FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int)
    }

    func read(_ path: String) throws -> String {
        try #require(FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) })
    }

    @Test(arguments: StoreBackend.all) func itemsAddEditRemove(_ backend: StoreBackend) throws {
        let shop = try Shop(backend, clock: SystemClock())
        let c = try shop.arrivedCase()
        #expect(shop.kaitori("items", "add", c.code, "--name", "カメラ", "--quantity", "1", "--price", "25,000", "--grade", "中古B") == 0)
        let item = try #require(try shop.store.load(code: c.code).items.first)
        #expect(item.unitPrice == 25_000 && item.grade == 3)
        #expect(try shop.store.load(code: c.code).status == .assessing)
        #expect(shop.kaitori("items", "edit", c.code, String(item.id), "--comment", "レンズに曇りなし") == 0)
        #expect(try shop.store.load(code: c.code).items.first?.buyerComment == "レンズに曇りなし")
        #expect(shop.kaitori("items", "edit", c.code, String(item.id), "--quantity", "0") == 1)
        #expect(shop.kaitori("items", "edit", c.code, String(item.id)) == Shop.usage)
        #expect(shop.kaitori("items", "remove", c.code, String(item.id)) == 0)
        #expect(try shop.store.load(code: c.code).items.isEmpty)
    }

    @Test(arguments: StoreBackend.all) func itemsAddRefusalsAndUsageErrors(_ backend: StoreBackend) throws {
        let shop = try Shop(backend, clock: SystemClock())
        let c = try shop.confirmedCase()
        #expect(shop.kaitori("items", "add", c.code, "--name", "カメラ", "--quantity", "1", "--price", "1") == 1)
        #expect(shop.kaitori("items", "add", c.code, "--name", "カメラ", "--price", "1") == Shop.usage)
        #expect(shop.kaitori("items", "add", "ZZZZ-ZZZZ", "--name", "カメラ", "--quantity", "1", "--price", "1") == 1)
    }

    @Test(arguments: StoreBackend.all) func exportThenStaleImportIsRefusedAndNothingChanges(_ backend: StoreBackend) throws {
        let shop = try Shop(backend, clock: SystemClock())
        let c = try shop.assessingCase()
        let file = shop.site + "/items.csv"
        #expect(shop.kaitori("items", "export", c.code, file) == 0)
        #expect(try permissions(file) == 0o600)
        var rows = try CSV.parse(try read(file).bytes)
        rows[1][6] = "15000"
        try CSV.encode(rows).write(toFile: file, atomically: true, encoding: .utf8)
        _ = try shop.store.editItem(code: c.code, itemID: c.items[0].id, ItemDraft([.name: "Switch 有機EL"]), by: .staff("other"))
        #expect(shop.kaitori("items", "import", c.code, file) == 1)
        let stored = try shop.store.load(code: c.code).items[0]
        #expect(stored.unitPrice == 10_000 && stored.name == "Switch 有機EL")

        #expect(shop.kaitori("items", "export", c.code, file) == 0)
        rows = try CSV.parse(try read(file).bytes)
        rows[1][6] = "15000"
        try CSV.encode(rows).write(toFile: file, atomically: true, encoding: .utf8)
        #expect(shop.kaitori("items", "import", c.code, file, "--json") == 0)
        #expect(try shop.store.load(code: c.code).items[0].unitPrice == 15_000)
    }

    @Test(arguments: StoreBackend.all) func purchaseNeedsAVerifiedIDThenStockExports(_ backend: StoreBackend) throws {
        let shop = try Shop(backend, clock: SystemClock())
        let approved = try shop.approvedCase()
        #expect(shop.kaitori("case", "purchase", approved.code) == 1)
        #expect(try shop.store.load(code: approved.code).status == .approved)
        #expect(shop.kaitori("id", "verify", approved.code) == 1)
        #expect(shop.kaitori("id", "verify", approved.code, "--address-check", "本人限定受取郵便 1111") == 0)
        #expect(shop.kaitori("case", "purchase", approved.code) == 0)
        #expect(try shop.store.load(code: approved.code).status == .purchased)
        let file = shop.site + "/stock.csv"
        #expect(shop.kaitori("stock", "export", file) == 0)
        #expect(try permissions(file) == 0o600)
        let rows = try CSV.parse(try read(file).bytes)
        #expect(rows.count == 2 && rows[1][1] == approved.code)
    }

    @Test(arguments: StoreBackend.all) func idRequestShowCopyAndReject(_ backend: StoreBackend) throws {
        let shop = try Shop(backend, clock: SystemClock())
        let approved = try shop.approvedCase(signaturePNG: DocumentTests.png)
        #expect(shop.kaitori("id", "show", approved.code) == 0)
        #expect(shop.kaitori("id", "show", approved.code, "--json") == 0)
        let dir = shop.site + "/review"
        #expect(shop.kaitori("id", "copy", approved.code, "--to", dir) == 0)
        let check = try #require(try shop.store.idChecks(caseID: approved.id).last)
        let front = dir + "/\(approved.code)-\(check.id)-id_front.jpg"
        #expect(try permissions(front) == 0o600)
        #expect(try permissions(dir) == 0o700)
        #expect(FileManager.default.contents(atPath: front) == Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4]))
        #expect(FileManager.default.fileExists(atPath: dir + "/\(approved.code)-\(check.id)-signature.png"))
        #expect(shop.kaitori("id", "copy", approved.code, "--to", dir, "--check", "999") == 1)
        #expect(shop.kaitori("id", "reject", approved.code) == Shop.usage)
        #expect(shop.kaitori("id", "reject", approved.code, "--note", "画像が不鮮明") == 0)
        #expect(shop.kaitori("id", "request", approved.code) == 0)
        #expect(try shop.store.openIDCheckToken(caseID: approved.id) != nil)
        #expect(shop.kaitori("id", "request", try shop.arrivedCase().code) == 1)
    }

    @Test(arguments: StoreBackend.all) func arrivalSearchAndApply(_ backend: StoreBackend) throws {
        let shop = try Shop(backend, clock: SystemClock())
        let first = try shop.confirmedCase(name: "佐藤 花子", kana: "サトウ ハナコ", phone: "09011110001")
        let second = try shop.confirmedCase(name: "佐藤 花子", kana: "サトウ ハナコ", phone: "09011110002")
        #expect(shop.kaitori("arrival", "search", "佐藤") == 0)
        #expect(shop.kaitori("arrival", "search", "佐藤", "--json") == 0)
        #expect(shop.kaitori("arrival", "apply", "--pick", "1") == Shop.usage)
        #expect(shop.kaitori("arrival", "apply", "--search", "佐藤", "--pick", "1,x") == Shop.usage)
        #expect(shop.kaitori("arrival", "apply", "--search", "佐藤", "--pick", "3") == 1)
        #expect(shop.kaitori("arrival", "apply", "--search", "佐藤", "--pick", "2", "--memo", "1箱目のみ到着") == 0)
        #expect(try shop.store.load(code: first.code).status == .confirmed)
        #expect(try shop.store.load(code: second.code).status == .arrived)
        #expect(try shop.memos(first) == ["1箱目のみ到着"])
        #expect(try shop.memos(second) == ["1箱目のみ到着"])
        #expect(shop.kaitori("arrival", "apply", first.code, "--json") == 0)
        #expect(try shop.store.load(code: first.code).status == .arrived)
    }

    @Test(arguments: StoreBackend.all) func documentsToFiles(_ backend: StoreBackend) throws {
        let shop = try Shop(backend, clock: SystemClock())
        let approved = try shop.approvedCase(signaturePNG: DocumentTests.png)
        let estimate = shop.site + "/estimate.html"
        let contract = shop.site + "/contract.html"
        #expect(shop.kaitori("docs", "estimate", approved.code, "-o", estimate) == 0)
        #expect(shop.kaitori("docs", "contract", approved.code, "--output", contract) == 0)
        #expect(try read(estimate).contains("第431010012345号"))
        let html = try read(contract)
        #expect(html.contains("第431010012345号") && html.contains("data:image/png;base64,iVBORw0KGgo"))
        #expect(shop.kaitori("docs", "contract", try shop.assessedCase().code, "-o", contract) == 1)
    }

    @Test(arguments: StoreBackend.all) func ledgerExport(_ backend: StoreBackend) throws {
        let shop = try Shop(backend, clock: SystemClock())
        let purchased = try shop.purchasedCase()
        let file = shop.site + "/ledger.csv"
        let day = CivilDate(unixTime: try #require(purchased.purchasedAt)).iso
        #expect(shop.kaitori("ledger", "export", file, "--from", day, "--to", day) == 0)
        #expect(try permissions(file) == 0o600)
        let rows = try CSV.parse(try read(file).bytes)
        #expect(rows[0] == Ledger.header && rows.count == 2 && rows[1][1] == purchased.code)
        #expect(shop.kaitori("ledger", "export", file, "--from", "2026/01/01") == Shop.usage)
    }

    /// The .xlsx forms, streamed row by row from the same store readers as the CSV: the workbook
    /// reads back as the one built in memory from the whole list, owner-only, with no spool or
    /// temporary file left; a target that cannot be written leaves nothing either.
    @Test(arguments: StoreBackend.all) func ledgerStockAndCaseListWorkbooksStream(_ backend: StoreBackend) throws {
        let shop = try Shop(backend, clock: SystemClock())
        let purchased = try shop.purchasedCase()
        _ = try shop.confirmedCase(name: "=HYPERLINK(\"x\")")
        let ledger = shop.site + "/ledger.xlsx", stock = shop.site + "/stock.xlsx", cases = shop.site + "/cases.xlsx"
        #expect(shop.kaitori("ledger", "export", "-o", ledger) == 0)
        #expect(shop.kaitori("stock", "export", stock) == 0)
        #expect(shop.kaitori("case", "list", "-o", cases) == 0)
        for (file, inMemory) in [(ledger, try SpreadsheetExport.ledger(try shop.store.ledger(settings: shop.settings))),
                                 (stock, try SpreadsheetExport.stock(try shop.store.stockList())),
                                 (cases, try SpreadsheetExport.cases(try shop.store.list()))] {
            let rows = try XLSXReader.firstSheet([UInt8](try #require(FileManager.default.contents(atPath: file))))
            #expect(rows == (try XLSXReader.firstSheet(inMemory)), "\(file)")
            #expect(rows.count > 1 && rows.dropFirst().contains { $0.contains(purchased.code) }, "\(file): \(rows)")
            #expect(try permissions(file) == 0o600)
        }
        #expect(try XLSXReader.firstSheet([UInt8](try #require(FileManager.default.contents(atPath: cases)))).contains { $0.contains("=HYPERLINK(\"x\")") })
        func leftovers() throws -> [String] {
            try (FileManager.default.contentsOfDirectory(atPath: shop.site) + FileManager.default.contentsOfDirectory(atPath: shop.site + "/var"))
                .filter { $0.contains(".tmp-") || $0.contains("spool") }
        }
        #expect(try leftovers().isEmpty)
        #expect(shop.kaitori("ledger", "export", "-o", shop.site + "/missing/ledger.xlsx") == 1)
        #expect(!FileManager.default.fileExists(atPath: shop.site + "/missing"))
        #expect(try leftovers().isEmpty)
    }

    @Test(arguments: StoreBackend.all) func returnRenegotiateAndFeed(_ backend: StoreBackend) throws {
        let shop = try Shop(backend, clock: SystemClock())
        let approved = try shop.approvedCase()
        #expect(shop.kaitori("case", "return", approved.code, "--carrier", "ヤマト運輸") == Shop.usage)
        #expect(shop.kaitori("case", "return", approved.code, "--carrier", "ヤマト運輸", "--tracking", "1234", "--items", String(approved.items[0].id)) == 1)
        let canceled = try shop.canceledCase()
        #expect(shop.kaitori("case", "renegotiate", canceled.code) == 0)
        let child = try #require(try shop.store.renegotiationCode(ofCaseID: canceled.id))
        #expect(try shop.store.load(code: child).items.count == 2)
        #expect(shop.kaitori("case", "renegotiate", canceled.code) == 1)
        #expect(shop.kaitori("case", "return", approved.code, "--carrier", "ヤマト運輸", "--tracking", "1234", "--json") == 0)
        #expect(try shop.store.load(code: approved.code).items[1].returnTracking == "1234")
        #expect(shop.kaitori("feed", "--json") == 0)
        #expect(try shop.store.feed(markSeen: false).isEmpty)
        #expect(shop.kaitori("feed", "--all", "--limit", "0") == Shop.usage)
    }
}
