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
    public var rows: [[String]] {
        entries.map { e in
            let i = e.item
            return [String(e.stockID), e.caseCode, String(i.id), i.productCode, i.jan, i.name, String(i.quantity),
                    "\(i.grade) \(i.gradeLabel)", String(i.unitPrice), String(i.salePrice), i.shelf, i.tags, i.condition,
                    i.weight, CivilDate(unixTime: e.purchasedAt).iso]
        }
    }
}

extension CaseStore {
    /// Every stock row, oldest purchase first.
    public func stockList() throws -> StockList {
        let rows = try db.query("""
            SELECT s.id AS stock_id, s.created_at AS stocked_at, c.code AS case_code, i.*
            FROM stock s JOIN items i ON i.id = s.item_id JOIN cases c ON c.id = s.case_id
            ORDER BY s.created_at, s.id
            """)
        return StockList(entries: rows.map {
            StockList.Entry(stockID: $0.int("stock_id"), caseCode: $0.string("case_code"), item: Item(row: $0),
                            purchasedAt: $0.int("stocked_at"))
        })
    }
}
