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

    /// A sheet of text cells (CSV rows), each column read as `kinds` says: a number where the text
    /// is one, a date where the text is `YYYY-MM-DD`, text otherwise and always for the header.
    public init(name: String, header: [String], rows: [[String]], kinds: [Int: Kind]) {
        self.name = name
        self.rows = [header.map(SheetCell.text)] + rows.map { row in
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

    public enum Kind: Sendable { case number, date }
}
