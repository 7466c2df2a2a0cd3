/// The stock rows purchases created: one per accepted item, exportable for the shop's inventory
/// or POS system.
public struct StockList: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var stockID: Int64
        public var caseCode: String
        public var item: Item
        /// When the purchase was confirmed (the stock row's creation).
        public var purchasedAt: Int64
    }

    public var entries: [Entry]

    public static let header = ["在庫ID", "買取コード", "商品ID", "商品コード", "JANコード", "商品名", "数量", "グレード",
                                "買取単価", "販売単価", "棚番号", "コンディションタグ", "コンディション詳細", "重量", "入庫日"]

    /// UTF-8 CSV with BOM; cells spreadsheets would run as formulas are neutralized.
    public var csv: String {
        CSV.encode([StockList.header] + rows)
    }

    /// The data rows as text (no header, nothing neutralized: a workbook cell is a value).
    public var rows: [[String]] { entries.map(\.row) }
}

extension StockList.Entry {
    /// The entry as a row of `StockList.header`'s columns.
    public var row: [String] {
        let i = item
        return [String(stockID), caseCode, String(i.id), i.productCode, i.jan, i.name, String(i.quantity),
                "\(i.grade) \(i.gradeLabel)", String(i.unitPrice), String(i.salePrice), i.shelf, i.tags, i.condition,
                i.weight, CivilDate(unixTime: purchasedAt).iso]
    }
}

extension CaseStore {
    /// Every stock row, oldest purchase first.
    public func stockList() throws -> StockList {
        var entries: [StockList.Entry] = []
        try eachStockEntry { entries.append($0) }
        return StockList(entries: entries)
    }

    /// The same rows handed over one at a time, read a page at a time (an export of any size).
    public func eachStockEntry(_ body: (StockList.Entry) throws -> Void) throws {
        let page = KeysetPage(time: "s.created_at", id: "s.id")
        try page.each({ condition, keys in
            try db.query("""
                SELECT s.id AS stock_id, s.created_at AS stocked_at, s.created_at AS page_time, s.id AS page_id,
                       c.code AS case_code, i.*
                FROM stock s JOIN items i ON i.id = s.item_id JOIN cases c ON c.id = s.case_id
                WHERE \(condition)
                """ + page.orderAndLimit, keys)
        }) {
            try body(StockList.Entry(stockID: $0.int("stock_id"), caseCode: $0.string("case_code"), item: Item(row: $0),
                                     purchasedAt: $0.int("stocked_at")))
        }
    }
}
