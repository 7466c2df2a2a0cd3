import Foundation
import KaitoriCore
import Spreadsheet
import Testing
import ZIPFoundation

/// XLSX reading on workbooks as spreadsheet programs write them: parts found through the
/// relationships, shared strings with rich-text runs and phonetic guides, inline strings, sparse
/// cells, numbers stored as text and as numbers, dates as serial numbers.
@Suite struct XLSXReaderTests {
    /// A workbook put together part by part, with unusual (but valid) part names.
    static func workbook(sheet: String, sharedStrings: String?, styles: String? = nil) throws -> [UInt8] {
        let archive = try Archive(data: Data(), accessMode: .create)
        var relationships = """
            <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
            <Relationship Id="rIdSheet" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="/xl/sheets/first.xml"/>
            """
        if sharedStrings != nil {
            relationships += "<Relationship Id=\"rIdS\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"strings.xml\"/>"
        }
        if styles != nil {
            relationships += "<Relationship Id=\"rIdT\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"look.xml\"/>"
        }
        relationships += "</Relationships>"
        var parts: [(String, String)] = [
            ("[Content_Types].xml", "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
            ("_rels/.rels", """
                <Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">\
                <Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/book.xml"/>\
                </Relationships>
                """),
            ("xl/book.xml", """
                <x:workbook xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main" \
                xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships">\
                <x:sheets><x:sheet name="明細" sheetId="7" rel:id="rIdSheet"/></x:sheets></x:workbook>
                """),
            ("xl/_rels/book.xml.rels", relationships),
            ("xl/sheets/first.xml", sheet),
        ]
        if let sharedStrings { parts.append(("xl/strings.xml", sharedStrings)) }
        if let styles { parts.append(("xl/look.xml", styles)) }
        for (path, text) in parts {
            let data = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(data.count), compressionMethod: .deflate) { position, size in
                data.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return [UInt8](try #require(archive.data))
    }

    @Test func sharedRichInlineSparseNumbersAndDates() throws {
        let strings = """
            <sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="3" uniqueCount="3">\
            <si><t>ID</t></si>\
            <si><r><rPr><b/></rPr><t>ニンテンドー</t></r><r><t xml:space="preserve"> Switch</t></r><rPh sb="0" eb="6"><t>ニンテンドー</t></rPh></si>\
            <si><t>山田</t><rPh sb="0" eb="2"><t>ヤマダ</t></rPh><phoneticPr fontId="1"/></si>\
            </sst>
            """
        let styles = """
            <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">\
            <numFmts count="1"><numFmt numFmtId="176" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts>\
            <cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="176"/><xf numFmtId="3"/></cellXfs></styleSheet>
            """
        let sheet = """
            <worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>\
            <row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><r><t>在庫</t></r><r><t>数</t></r></is></c></row>\
            <row r="3"><c r="B3" t="s"><v>1</v></c><c r="D3"><v>4.902370542912E+12</v></c><c r="E3" t="str"><v>0123</v></c></row>\
            <row r="4"><c t="s"><v>2</v></c><c><v>12000</v></c><c s="1"><v>46000</v></c><c s="2"><v>1.5</v></c><c t="b"><v>1</v></c></row>\
            </sheetData></worksheet>
            """
        let rows = try XLSXReader.firstSheet(try Self.workbook(sheet: sheet, sharedStrings: strings, styles: styles))
        #expect(rows == [
            ["ID", "", "在庫数"],
            [],
            ["", "ニンテンドー Switch", "", "4902370542912", "0123"],
            ["山田", "12000", "2025-12-09", "1.5", "TRUE"],
        ])
    }

    @Test func notAWorkbookIsRefusedInWords() {
        #expect(throws: XLSXError.self) { try XLSXReader.firstSheet(Array("ID,ハッシュ\n".utf8)) }
        #expect(throws: XLSXError.self) { try XLSXReader.firstSheet([0x50, 0x4B, 0x03, 0x04, 0, 0, 0]) }
    }

    @Test func aSheetMissingFromTheRelationshipsIsNamed() throws {
        let bytes = try Self.workbook(sheet: "<worksheet/>", sharedStrings: nil)
        // Re-point the workbook at an id the relationships do not have.
        let archive = try Archive(data: Data(bytes), accessMode: .update)
        let book = try #require(archive["xl/book.xml"])
        try archive.remove(book)
        let text = Data("<workbook xmlns:r=\"r\"><sheets><sheet name=\"x\" sheetId=\"1\" r:id=\"rId404\"/></sheets></workbook>".utf8)
        try archive.addEntry(with: "xl/book.xml", type: .file, uncompressedSize: Int64(text.count)) { p, s in text.subdata(in: Int(p)..<Int(p) + s) }
        #expect(throws: XLSXError(message: "the workbook's first sheet (x) has no part in its relationships")) {
            try XLSXReader.firstSheet([UInt8](try #require(archive.data)))
        }
    }

    @Test func writtenTablesReadBackTheSame() throws {
        let table = SheetTable(name: "台帳", rows: [
            [.text("日付"), .text("コード"), .text("金額"), .text("メモ")],
            [.date(CivilDate(iso: "2026-11-25")!), .text("0009"), .int(12_000), .text("=1+1 <b>&</b>")],
            [.empty, .text("4902370542912"), .number(1.5), .text("改行\nあり")],
        ])
        let rows = try XLSXReader.firstSheet(try XLSXWriter.write([table]))
        #expect(rows == [
            ["日付", "コード", "金額", "メモ"],
            ["2026-11-25", "0009", "12000", "=1+1 <b>&</b>"],
            ["", "4902370542912", "1.5", "改行\nあり"],
        ])
    }
}
