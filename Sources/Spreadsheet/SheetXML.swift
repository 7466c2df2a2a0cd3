/// A worksheet part's XML, row by row: the one writer of rows and cells, for the workbook built in
/// memory (`XLSXWriter.write`) and the one streamed through a spool file (`XLSXWriter.stream`).
/// The first row is the header: bold, and frozen by `head`. Strings are inline, numbers plain,
/// dates serial day numbers with the date style; a cell is a value, never a formula.
///
/// The columns' widths come from the first `measuredRows` rows, so the part's head, which holds
/// them, is put before the rows once they are all written.
struct SheetXML {
    static let measuredRows = 200

    /// The widest cell of each column in the rows measured, in half-width character cells; as
    /// many columns as the widest row.
    private var widest: [Int] = []
    private(set) var rowCount = 0

    /// The next row's XML.
    mutating func row(_ cells: [SheetCell]) -> String {
        if widest.count < cells.count { widest += repeatElement(0, count: cells.count - widest.count) }
        if rowCount < Self.measuredRows {
            for (column, cell) in cells.enumerated() { widest[column] = max(widest[column], Self.width(cell)) }
        }
        rowCount += 1
        let header = rowCount == 1
        var text = "<row r=\"\(rowCount)\">"
        for (column, cell) in cells.enumerated() {
            let ref = XLSXWriter.columnName(column) + String(rowCount)
            switch cell {
            case .empty:
                continue
            case .text(let s):
                text += "<c r=\"\(ref)\" s=\"\(header ? 1 : 3)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(XLSXWriter.escape(s))</t></is></c>"
            case .number(let n):
                text += "<c r=\"\(ref)\"\(header ? " s=\"1\"" : "")><v>\(XLSXWriter.number(n))</v></c>"
            case .date(let d):
                text += "<c r=\"\(ref)\" s=\"2\"><v>\(d.daysSinceEpoch + XLSXWriter.unixEpochSerial)</v></c>"
            }
        }
        return text + "</row>"
    }

    /// Everything before the rows: the frozen header row, the columns' widths, `<sheetData>`.
    var head: String {
        var text = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>
            """
        if !widest.isEmpty {
            text += "<cols>"
            for (column, width) in widest.enumerated() {
                text += "<col min=\"\(column + 1)\" max=\"\(column + 1)\" width=\"\(min(60, max(8, width + 2)))\" customWidth=\"1\"/>"
            }
            text += "</cols>"
        }
        return text + "<sheetData>"
    }

    /// Everything after the rows.
    static let tail = "</sheetData></worksheet>"

    /// How wide a cell shows: wide (CJK) characters count two.
    static func width(_ cell: SheetCell) -> Int {
        switch cell {
        case .text(let s): s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
        case .number(let n): XLSXWriter.number(n).count
        case .date: 10
        case .empty: 0
        }
    }
}
