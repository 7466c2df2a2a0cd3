import KaitoriCore

/// The item sheet as an .xlsx: the same columns, id and hash rules as the CSV (`ItemSheet`);
/// quantities and prices are numbers, everything else text (codes keep leading zeros, the weight
/// keeps how it was written). The CLI (`kaitori items export|import CODE FILE.xlsx`) and the
/// console's download and upload call these.
public enum ItemSheetXLSX {
    static let numberFields: [ItemField] = [.quantity, .unitPrice, .salePrice, .grade]

    /// The workbook for `items`.
    public static func export(_ items: [Item]) throws -> [UInt8] {
        var kinds: [Int: SheetTable.Kind] = [:]
        for field in numberFields { if let index = ItemField.allCases.firstIndex(of: field) { kinds[2 + index] = .number } }
        let rows = ItemSheet.rows(items)
        return try XLSXWriter.write([SheetTable(name: "査定明細", header: rows[0], rows: Array(rows.dropFirst()), kinds: kinds)])
    }

    /// The first sheet of an uploaded workbook as rows of text, for `CaseStore.importItems(code:records:…)`.
    /// - Throws: `XLSXError` for a file over the import limit or one that is not a readable workbook.
    public static func records(_ bytes: [UInt8]) throws -> [[String]] {
        guard bytes.count < ItemSheet.maxBytes else {
            throw XLSXError(message: "\(bytes.count) bytes; an item import must be under 10 MB, split the file")
        }
        // A spreadsheet leaves trailing empty cells out; the sheet has the header's width.
        let rows = try XLSXReader.firstSheet(bytes)
        let width = max(ItemSheet.columnCount - 1, rows.first?.count ?? 0)
        return rows.map { $0.count < width && !$0.isEmpty ? $0 + Array(repeating: "", count: width - $0.count) : $0 }
    }

    /// Whether uploaded bytes are a workbook (a ZIP container) rather than CSV text.
    public static func isWorkbook(_ bytes: [UInt8]) -> Bool {
        bytes.starts(with: [0x50, 0x4B, 0x03, 0x04])
    }
}

/// The other exports as .xlsx workbooks, the same columns as their CSV: the 古物台帳, the stock
/// list and the case list. Amounts and counts are numbers, dates are dates, the rest text. The CLI
/// streams them row by row (`XLSXWriter.stream` with these layouts); the functions below build
/// the same workbooks in memory.
public enum SpreadsheetExport {
    public static let ledgerSheet = SheetLayout(name: "古物台帳", header: Ledger.header,
                                                kinds: [0: .date, 2: .number, 4: .number, 6: .number, 7: .number, 11: .number])
    public static let stockSheet = SheetLayout(name: "在庫", header: StockList.header,
                                               kinds: [0: .number, 2: .number, 6: .number, 8: .number, 9: .number, 14: .date])
    public static let caseListSheet = SheetLayout(name: "案件一覧", header: CaseListSheet.header,
                                                  kinds: [8: .number, 9: .number, 11: .number])

    public static func ledger(_ ledger: Ledger) throws -> [UInt8] {
        try workbook(ledgerSheet, ledger.rows)
    }

    public static func stock(_ stock: StockList) throws -> [UInt8] {
        try workbook(stockSheet, stock.rows)
    }

    public static func cases(_ cases: [CaseSummary]) throws -> [UInt8] {
        try workbook(caseListSheet, CaseListSheet.rows(cases))
    }

    static func workbook(_ layout: SheetLayout, _ rows: [[String]]) throws -> [UInt8] {
        try XLSXWriter.write([SheetTable(name: layout.name, header: layout.header, rows: rows, kinds: layout.kinds)])
    }
}
