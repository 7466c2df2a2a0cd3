import Foundation
import KaitoriCore
import ZIPFoundation

/// Writes an Office Open XML workbook (.xlsx, ECMA-376) with one sheet per `SheetTable`: the ZIP
/// container comes from ZIPFoundation; the few XML parts are written here (the sheets' rows and
/// cells by `SheetXML`). Strings are inline (`t="inlineStr"`), numbers plain, dates as serial day
/// numbers with a date format, the header row bold and frozen. Text a spreadsheet would run as a
/// formula never becomes one: cells are values.
public enum XLSXWriter {
    /// Days from the spreadsheet epoch (1899-12-30) to 1970-01-01.
    static let unixEpochSerial: Int64 = 25_569

    /// The workbook in memory (a small sheet: one case's items; larger exports use `stream`).
    public static func write(_ tables: [SheetTable]) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in packageParts(sheetNames: tables.map(\.name)) {
            try add(text, as: path, to: archive)
        }
        for (index, table) in tables.enumerated() {
            var sheet = SheetXML()
            let rows = table.rows.map { sheet.row($0) }.joined()
            try add(sheet.head + rows + SheetXML.tail, as: sheetPath(index), to: archive)
        }
        guard let data = archive.data else { throw XLSXError(message: "cannot assemble the workbook") }
        return [UInt8](data)
    }

    /// Writes a workbook of one sheet into `output`, row by row, in memory that does not grow with
    /// the rows: each row's XML goes to an owner-only spool file in `spoolFolder` (the shop's var/:
    /// personal data) that has no name, then ZIPFoundation assembles the workbook in `output`'s
    /// file, reading the sheet from the spool in chunks, and the finished file is read back (every
    /// part listed) before the caller commits `output`. The workbook is the one `write` makes of
    /// the same rows (`SheetTable(name:header:rows:kinds:)`).
    ///
    /// - Parameter rows: hands each data row (text, read by `layout`) to the closure it is given;
    ///   a throw stops the export (the caller does not commit `output`, which leaves no file).
    /// - Returns: the number of data rows.
    public static func stream(_ layout: SheetLayout, spoolFolder: String, into output: StreamingOutput,
                              rows: (_ emit: ([String]) throws -> Void) throws -> Void) throws -> Int {
        let spool = try SpoolFile(in: spoolFolder)
        var sheet = SheetXML()
        try spool.write(sheet.row(layout.headerCells))
        var count = 0
        try rows { row in
            try spool.write(sheet.row(layout.cells(row)))
            count += 1
        }
        let part = try SpooledPart(head: sheet.head, rows: spool, tail: SheetXML.tail)
        let path = try output.start(with: try emptyArchive())
        let parts = packageParts(sheetNames: [layout.name])
        do {
            let archive = try Archive(url: URL(fileURLWithPath: path), accessMode: .update)
            for (name, text) in parts { try add(text, as: name, to: archive) }
            try archive.addEntry(with: sheetPath(0), type: .file, uncompressedSize: part.size, compressionMethod: .deflate,
                                 provider: part.chunk)
        } catch let error as FileIO.Failure {
            throw error
        } catch let error as XLSXError {
            throw error
        } catch {
            throw XLSXError(message: "cannot write \(output.target): the workbook could not be assembled (\(error))")
        }
        // The archive is closed. Its last buffered bytes are flushed without a check: read the file
        // back, so a disk that filled up at the end refuses the export instead of publishing half.
        let written = (try? Archive(url: URL(fileURLWithPath: path), accessMode: .read, pathEncoding: nil)).map { Array($0) }
        guard let written, written.map(\.path) == parts.map(\.0) + [sheetPath(0)], written.last?.uncompressedSize == UInt64(part.size) else {
            throw XLSXError(message: "cannot write \(output.target): the workbook did not read back whole (is the disk full?)")
        }
        return count
    }

    /// A sheet part as the archive reads it: the head and tail from memory, the rows from their
    /// spool file, a chunk at a time (a chunk may span them).
    struct SpooledPart {
        let head: Data
        let rows: SpoolFile
        let rowBytes: Int64
        let tail: Data
        var size: Int64 { Int64(head.count) + rowBytes + Int64(tail.count) }

        init(head: String, rows: SpoolFile, tail: String) throws {
            self.head = Data(head.utf8)
            self.rows = rows
            rowBytes = try rows.size()
            self.tail = Data(tail.utf8)
        }

        func chunk(at position: Int64, length: Int) throws -> Data {
            var chunk = Data(capacity: length)
            let end = position + Int64(length), rowsEnd = Int64(head.count) + rowBytes
            var at = position
            while at < end {
                if at < Int64(head.count) {
                    chunk += head[Int(at)..<Int(min(end, Int64(head.count)))]
                } else if at < rowsEnd {
                    let bytes = try rows.read(at: at - Int64(head.count), count: Int(min(end, rowsEnd) - at))
                    guard !bytes.isEmpty else { throw XLSXError(message: "the workbook's spooled rows ended early") }
                    chunk += bytes
                } else {
                    let from = Int(at - rowsEnd)
                    chunk += tail[from..<from + Int(end - at)]
                }
                at = position + Int64(chunk.count)
            }
            return chunk
        }
    }

    /// The container's parts other than the sheets, in file order.
    static func packageParts(sheetNames: [String]) -> [(String, String)] {
        [
            ("[Content_Types].xml", contentTypes(sheets: sheetNames.count)),
            ("_rels/.rels", """
                <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>\
                </Relationships>
                """),
            ("xl/workbook.xml", workbook(sheetNames)),
            ("xl/_rels/workbook.xml.rels", workbookRelationships(sheets: sheetNames.count)),
            ("xl/styles.xml", styles),
        ]
    }

    static func sheetPath(_ index: Int) -> String { "xl/worksheets/sheet\(index + 1).xml" }

    /// One part from memory, deflated.
    static func add(_ text: String, as path: String, to archive: Archive) throws {
        let data = Data(text.utf8)
        try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
            data.subdata(in: Int(position)..<Int(position) + size)
        }
    }

    /// A ZIP container with nothing in it, as ZIPFoundation starts one: what `Archive(url:accessMode:
    /// .update)` opens in a file created owner-only (its `.create` would make the file itself, with
    /// the umask's permissions).
    static func emptyArchive() throws -> [UInt8] {
        guard let data = try Archive(data: Data(), accessMode: .create).data else {
            throw XLSXError(message: "cannot assemble the workbook")
        }
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

    static func workbook(_ names: [String]) -> String {
        var text = """
            <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
            <workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
            xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>
            """
        var used: Set<String> = []
        for (index, original) in names.enumerated() {
            var name = sheetName(original, index: index)
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
