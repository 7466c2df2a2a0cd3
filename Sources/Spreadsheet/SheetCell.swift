import KaitoriCore

/// One cell of a sheet Kaitori writes: text stays text in the spreadsheet (codes keep their leading
/// zeros), numbers are numbers (they add up), dates are dates (the spreadsheet's own date type).
public enum SheetCell: Equatable, Sendable {
    case text(String)
    case number(Double)
    case date(CivilDate)
    case empty

    public static func int(_ value: Int) -> SheetCell { .number(Double(value)) }
}

/// A sheet to write: a name (the tab) and rows, the first of which is the header.
public struct SheetTable: Equatable, Sendable {
    public var name: String
    public var rows: [[SheetCell]]

    public init(name: String, rows: [[SheetCell]]) {
        self.name = name; self.rows = rows
    }

    /// A sheet of text cells (CSV rows), each column read as `kinds` says (`SheetLayout.cells`).
    public init(name: String, header: [String], rows: [[String]], kinds: [Int: Kind]) {
        let layout = SheetLayout(name: name, header: header, kinds: kinds)
        self.name = name
        self.rows = [layout.headerCells] + rows.map(layout.cells)
    }

    public enum Kind: Sendable { case number, date }
}

/// What an export's rows of text become in a workbook: the sheet's name, its header and how each
/// column reads. The same layout serves the workbook built in memory (`SheetTable`) and the one
/// streamed row by row (`XLSXWriter.stream`).
public struct SheetLayout: Equatable, Sendable {
    public var name: String
    public var header: [String]
    public var kinds: [Int: SheetTable.Kind]

    public init(name: String, header: [String], kinds: [Int: SheetTable.Kind]) {
        self.name = name; self.header = header; self.kinds = kinds
    }

    /// The header row: always text.
    public var headerCells: [SheetCell] { header.map(SheetCell.text) }

    /// A data row: a number where the column is one and the text is one, a date where the column
    /// is one and the text is `YYYY-MM-DD`, text otherwise (formula-looking text stays text).
    public func cells(_ row: [String]) -> [SheetCell] {
        row.enumerated().map { index, text in
            if text.isEmpty { return .empty }
            switch kinds[index] {
            case .number?: return Double(text).map(SheetCell.number) ?? .text(text)
            case .date?: return CivilDate(iso: String(text.prefix(10))).map(SheetCell.date) ?? .text(text)
            default: return .text(text)
            }
        }
    }
}
