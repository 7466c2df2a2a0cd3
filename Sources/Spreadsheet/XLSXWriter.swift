import Foundation
import KaitoriCore
import ZIPFoundation

/// Writes an Office Open XML workbook (.xlsx, ECMA-376) with one sheet per `SheetTable`: the ZIP
/// container comes from ZIPFoundation; the few XML parts are written here. Strings are inline
/// (`t="inlineStr"`), numbers plain, dates as serial day numbers with a date format, the header row
/// bold and frozen. Text a spreadsheet would run as a formula never becomes one: cells are values.
public enum XLSXWriter {
    /// Days from the spreadsheet epoch (1899-12-30) to 1970-01-01.
    static let unixEpochSerial: Int64 = 25_569

    public static func write(_ tables: [SheetTable]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        var parts: [(String, String)] = [
            ("[Content_Types].xml", contentTypes(sheets: tables.count)),
            ("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
                </Relationships>
                """),
            ("xl/workbook.xml", workbook(tables)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(sheets: tables.count)),
            ("xl/styles.xml", styles),
        ]
        for (index, table) in tables.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", sheet(table)))
        }
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw XLSXError(message: "cannot assemble the workbook") }
        return [UInt8](data)
    }

    static func contentTypes(sheets: Int) -> String {
        var text = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">\
            <Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>\
            <Default Extension="xml" ContentType="application/xml"/>\
            <Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>\
            <Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
            """
        for index in 1...max(1, sheets) {
            text += "<Override PartName=\"/xl/worksheets/sheet\(index).xml\" ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>"
        }
        return text + "</Types>"
    }

    static func workbook(_ tables: [SheetTable]) -> String {
        var text = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>
            """
        var used: Set<String> = []
        for (index, table) in tables.enumerated() {
            var name = sheetName(table.name, index: index)
            while !used.insert(name.lowercased()).inserted { name = String(name.prefix(28)) + "_\(index + 1)" }
            text += "<sheet name=\"\(escape(name))\" sheetId=\"\(index + 1)\" r:id=\"rId\(index + 1)\"/>"
        }
        return text + "</sheets></workbook>"
    }

    /// Sheet names: at most 31 characters, none of `[]:*?/\`.
    static func sheetName(_ name: String, index: Int) -> String {
        let cleaned = String(name.filter { !"[]:*?/\\".contains($0) }.prefix(31))
        return cleaned.isEmpty ? "Sheet\(index + 1)" : cleaned
    }

    static func workbookRelationships(sheets: Int) -> String {
        var text = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
            """
        for index in 1...max(1, sheets) {
            text += "<Relationship Id=\"rId\(index)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet\(index).xml\"/>"
        }
        text += "<Relationship Id=\"rId\(sheets + 1)\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
        return text + "</Relationships>"
    }

    /// Style 0 plain, 1 bold (header), 2 a date (yyyy-mm-dd), 3 text format (`@`): typing into a code
    /// column keeps leading zeros.
    static let styles = """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
        <numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>\
        <fonts count="2"><font><sz val="11"/><name val="Noto Sans CJK JP"/></font><font><b/><sz val="11"/><name val="Noto Sans CJK JP"/></font></fonts>\
        <fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>\
        <borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>\
        <cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>\
        <cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>\
        <xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>\
        <xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>\
        <xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>\
        <cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>\
        </styleSheet>
        """

    static func sheet(_ table: SheetTable) -> String {
        var text = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>
            """
        let columns = table.rows.map(\.count).max() ?? 0
        if columns > 0 {
            text += "<cols>"
            for column in 0..<columns {
                let widest = table.rows.prefix(200).map { row -> Int in
                    guard column < row.count else { return 0 }
                    switch row[column] {
                    case .text(let s): return s.unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
                    case .number(let n): return number(n).count
                    case .date: return 10
                    case .empty: return 0
                    }
                }.max() ?? 0
                text += "<col min=\"\(column + 1)\" max=\"\(column + 1)\" width=\"\(min(60, max(8, widest + 2)))\" customWidth=\"1\"/>"
            }
            text += "</cols>"
        }
        text += "<sheetData>"
        for (r, row) in table.rows.enumerated() {
            text += "<row r=\"\(r + 1)\">"
            for (c, cell) in row.enumerated() {
                let ref = columnName(c) + String(r + 1)
                let header = r == 0
                switch cell {
                case .empty:
                    continue
                case .text(let s):
                    text += "<c r=\"\(ref)\" s=\"\(header ? 1 : 3)\" t=\"inlineStr\"><is><t xml:space=\"preserve\">\(escape(s))</t></is></c>"
                case .number(let n):
                    text += "<c r=\"\(ref)\"\(header ? " s=\"1\"" : "")><v>\(number(n))</v></c>"
                case .date(let d):
                    text += "<c r=\"\(ref)\" s=\"2\"><v>\(d.daysSinceEpoch + unixEpochSerial)</v></c>"
                }
            }
            text += "</row>"
        }
        return text + "</sheetData></worksheet>"
    }

    /// A number as the file stores it: integers without a fraction, others in the shortest form
    /// that reads back as the same value.
    static func number(_ n: Double) -> String {
        if n == n.rounded(), abs(n) < 9_007_199_254_740_992 { return String(Int64(n)) }
        return String(n)
    }

    /// `A`, …, `Z`, `AA`, …
    static func columnName(_ index: Int) -> String {
        var n = index + 1
        var name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }

    /// XML text: the five markup characters, and the control characters XML 1.0 cannot carry dropped.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}

/// A workbook that cannot be read or written, in words for staff.
public struct XLSXError: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
