import Foundation
import KaitoriCore
import StoreTestSupport
import Spreadsheet
import Testing

/// The item sheet as an .xlsx through a real spreadsheet program: LibreOffice (Debian's
/// libreoffice-calc-nogui, headless) opens what Kaitori wrote and saves it again, with its own
/// shared strings, styles and part layout; the import must read that as the same sheet.
@Suite(.serialized) struct XLSXItemSheetTests {
    /// Runs `soffice --headless --convert-to` in a private profile; returns the converted file.
    static func libreOffice(_ input: String, to format: String, filter: String? = nil, inFilter: String? = nil) throws -> String {
        let soffice = "/usr/bin/soffice"
        try #require(FileManager.default.isExecutableFile(atPath: soffice), "LibreOffice missing: run scripts/install-deps.sh --test")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-lo-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder + "/out", withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: soffice)
        process.arguments = ["-env:UserInstallation=file://\(folder)/profile", "--headless", "--norestore"]
            + (inFilter.map { ["--infilter=\($0)"] } ?? [])
            + ["--convert-to", filter.map { "\(format):\($0)" } ?? format, "--outdir", folder + "/out", input]
        process.environment = ["HOME": folder, "PATH": "/usr/bin:/bin"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let log = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let name = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent + "." + format
        let output = folder + "/out/" + name
        try #require(FileManager.default.fileExists(atPath: output), "LibreOffice wrote nothing: \(log)")
        return output
    }

    /// A case with items whose values a spreadsheet likes to mangle: a long JAN, a code with a
    /// leading zero, a decimal weight, Japanese text with a line break.
    func caseWithItems(_ shop: Shop) throws -> Case {
        let c = try shop.arrivedCase()
        _ = try shop.store.addItem(code: c.code, ItemDraft([.name: "Nintendo Switch 本体", .quantity: "1", .unitPrice: "21000", .grade: "2",
                                                           .jan: "4902370542912", .productCode: "0123-A", .weight: "1.50",
                                                           .condition: "箱に傷\n動作確認済み", .salePrice: "29800"]), by: Shop.staff)
        _ = try shop.store.addItem(code: c.code, ItemDraft([.name: "Joy-Con (L)/(R)", .quantity: "2", .unitPrice: "3000", .shelf: "B-07"]), by: Shop.staff)
        return try shop.store.load(code: c.code)
    }

    @Test(arguments: StoreBackend.all) func exportLibreOfficeResaveImportChangesNothing(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let record = try caseWithItems(shop)
        let exported = shop.site + "/items.xlsx"
        try Data(try ItemSheetXLSX.export(record.items)).write(to: URL(fileURLWithPath: exported))
        let resaved = try Self.libreOffice(exported, to: "xlsx", filter: "Calc MS Excel 2007 XML")
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: resaved)))
        #expect(bytes != [UInt8](try Data(contentsOf: URL(fileURLWithPath: exported))), "LibreOffice should write its own file")
        let result = try shop.store.importItems(code: record.code, records: try ItemSheetXLSX.records(bytes), by: Shop.staff)
        #expect(result.unchanged.count == 2)
        #expect(result.added.isEmpty && result.changed.isEmpty && result.deleted.isEmpty)
        #expect(try shop.store.load(code: record.code).items == record.items)
    }

    /// A sheet edited as text in a spreadsheet (every cell text, so numbers stored as text): the
    /// CSV goes through LibreOffice into an .xlsx with shared strings.
    func editedWorkbook(_ shop: Shop, _ record: Case, edit: (String) -> String) throws -> [UInt8] {
        let csv = shop.site + "/edited.csv"
        try edit(ItemSheet.export(record.items)).write(toFile: csv, atomically: true, encoding: .utf8)
        // Separator comma, quote ", UTF-8 (76), from line 1, every one of 15 columns as text (2).
        let columns = (1...ItemSheet.columnCount).map { "\($0)/2" }.joined(separator: "/")
        let xlsx = try Self.libreOffice(csv, to: "xlsx", filter: "Calc MS Excel 2007 XML", inFilter: "CSV:44,34,76,1,\(columns)")
        return [UInt8](try Data(contentsOf: URL(fileURLWithPath: xlsx)))
    }

    @Test(arguments: StoreBackend.all) func aChangedPriceImports(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let record = try caseWithItems(shop)
        let bytes = try editedWorkbook(shop, record) { $0.replacingOccurrences(of: ",21000,", with: ",23500,") }
        let result = try shop.store.importItems(code: record.code, records: try ItemSheetXLSX.records(bytes), by: Shop.staff)
        #expect(result.changed.count == 1 && result.unchanged.count == 1 && result.added.isEmpty)
        let after = try shop.store.load(code: record.code)
        #expect(after.items.first { $0.jan == "4902370542912" }?.unitPrice == 23500)
        #expect(after.items.first { $0.jan == "4902370542912" }?.productCode == "0123-A")
    }

    @Test(arguments: StoreBackend.all) func aWrongHashIsRefusedWithRowAndColumn(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let record = try caseWithItems(shop)
        let hash = ItemSheet.hash(record.items[1])
        let bytes = try editedWorkbook(shop, record) {
            $0.replacingOccurrences(of: hash, with: "h0000000000000000").replacingOccurrences(of: ",3000,", with: ",3500,")
        }
        do {
            _ = try shop.store.importItems(code: record.code, records: try ItemSheetXLSX.records(bytes), by: Shop.staff)
            Issue.record("a wrong hash must refuse the import")
        } catch let error as ItemError {
            #expect(error.description.contains("row 3: ハッシュ: item \(record.items[1].id) changed after this file was exported"), "\(error)")
        }
        #expect(try shop.store.load(code: record.code).items == record.items)
    }

    @Test(arguments: StoreBackend.all) func ledgerStockAndCaseListExportAsWorkbooks(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let purchased = try shop.purchasedCase()
        let ledger = try shop.store.ledger(settings: shop.settings)
        let ledgerRows = try XLSXReader.firstSheet(try SpreadsheetExport.ledger(ledger))
        #expect(ledgerRows.first == Ledger.header)
        #expect(ledgerRows.count == 1 + ledger.entries.count)
        #expect(ledgerRows[1][1] == purchased.code && ledgerRows[1][0] == ledger.entries[0].date.iso)
        // Customer text stays text: a workbook cell is a value, never a formula.
        let stockRows = try XLSXReader.firstSheet(try SpreadsheetExport.stock(try shop.store.stockList()))
        #expect(stockRows.first == StockList.header && stockRows.count == 2)
        let cases = try shop.store.list()
        let caseRows = try XLSXReader.firstSheet(try SpreadsheetExport.cases(cases))
        #expect(caseRows.first == CaseListSheet.header)
        #expect(caseRows.dropFirst().map { $0[0] } == cases.map(\.code))
        // LibreOffice opens each of them.
        for (name, bytes) in [("ledger", try SpreadsheetExport.ledger(ledger)), ("cases", try SpreadsheetExport.cases(cases))] {
            let file = shop.site + "/\(name).xlsx"
            try Data(bytes).write(to: URL(fileURLWithPath: file))
            let csv = try Self.libreOffice(file, to: "csv", filter: "Text - txt - csv (StarCalc):44,34,76")
            let text = try String(contentsOfFile: csv, encoding: .utf8)
            #expect(text.contains(purchased.code), "\(name): \(text.prefix(200))")
        }
    }
}
