import Foundation
import KaitoriCore
import ZIPFoundation

/// Reads the first sheet of an .xlsx workbook as rows of text, the way a spreadsheet program shows
/// it: row N of the sheet is element N-1 (empty rows kept, so messages can say "row N"), each row
/// as long as its last filled cell. Handles what real files contain: the sheet found through the
/// workbook's relationships (any part name), shared strings with rich-text runs (phonetic guides,
/// `rPh`, left out), inline strings, sparse rows and cells, numbers stored as text or as numbers
/// (`4.902370542912E+12` reads as `4902370542912`), dates as serial day numbers (read as
/// `YYYY-MM-DD` when the cell's format is a date), booleans and formula results.
public enum XLSXReader {
    /// A part larger than this once unpacked is refused (a small file can unpack to gigabytes).
    public static let maxPartBytes = 64 << 20

    public static func firstSheet(_ bytes: [UInt8]) throws -> [[String]] {
        guard bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) else {
            throw XLSXError(message: "not an .xlsx workbook (the file is not a ZIP container; save it as Excel 2007-365 .xlsx)")
        }
        let archive: Archive
        do {
            archive = try Archive(data: Data(bytes), accessMode: .read)
        } catch {
            throw XLSXError(message: "not an .xlsx workbook (the ZIP container cannot be read: \(error))")
        }
        let workbookPath = try officeDocument(archive)
        let workbook = try XMLNode.parse(try read(archive, workbookPath), part: workbookPath)
        let relationships = try self.relationships(archive, of: workbookPath)
        guard let firstSheet = workbook.child("sheets")?.all("sheet").first else {
            throw XLSXError(message: "the workbook has no sheet")
        }
        guard let id = firstSheet.attribute("id"), let target = relationships.first(where: { $0.id == id }) else {
            throw XLSXError(message: "the workbook's first sheet (\(firstSheet.attribute("name") ?? "?")) has no part in its relationships")
        }
        let sharedStrings = try relationships.first { $0.type.hasSuffix("/sharedStrings") }
            .map { try self.sharedStrings(XMLNode.parse(try read(archive, $0.path), part: $0.path)) } ?? []
        let dateStyles = try relationships.first { $0.type.hasSuffix("/styles") }
            .map { try self.dateStyles(XMLNode.parse(try read(archive, $0.path), part: $0.path)) } ?? []
        let sheet = try XMLNode.parse(try read(archive, target.path), part: target.path)
        return try rows(sheet, sharedStrings: sharedStrings, dateStyles: dateStyles)
    }

    struct Relationship { var id: String; var type: String; var path: String }

    static func read(_ archive: Archive, _ path: String) throws -> Data {
        guard let entry = archive[path] else { throw XLSXError(message: "the workbook has no part \(path)") }
        guard entry.uncompressedSize <= maxPartBytes else {
            throw XLSXError(message: "\(path) unpacks to \(entry.uncompressedSize) bytes, over the \(maxPartBytes >> 20) MB a sheet may take")
        }
        var data = Data()
        do {
            _ = try archive.extract(entry, skipCRC32: false) { chunk in
                data.append(chunk)
                if data.count > maxPartBytes { throw XLSXError(message: "\(path) unpacks to more than \(maxPartBytes >> 20) MB") }
            }
        } catch let error as XLSXError {
            throw error
        } catch {
            throw XLSXError(message: "\(path) cannot be unpacked: \(error)")
        }
        return data
    }

    /// The workbook part named by the package relationships (`xl/workbook.xml` in most files).
    static func officeDocument(_ archive: Archive) throws -> String {
        if archive["_rels/.rels"] != nil,
           let found = try relationships(archive, of: "").first(where: { $0.type.hasSuffix("/officeDocument") }) {
            return found.path
        }
        return "xl/workbook.xml"
    }

    /// The relationships of a part (`xl/workbook.xml` → `xl/_rels/workbook.xml.rels`), targets
    /// resolved to paths inside the package.
    static func relationships(_ archive: Archive, of part: String) throws -> [Relationship] {
        let folder = part.contains("/") ? String(part[..<part.lastIndex(of: "/")!]) : ""
        let file = part.split(separator: "/").last.map(String.init) ?? ""
        let relsPath = (folder.isEmpty ? "" : folder + "/") + "_rels/" + file + ".rels"
        guard archive[relsPath] != nil else { return [] }
        let root = try XMLNode.parse(try read(archive, relsPath), part: relsPath)
        return root.all("Relationship").compactMap { r in
            guard let id = r.attribute("Id"), let type = r.attribute("Type"), let target = r.attribute("Target"),
                  r.attribute("TargetMode") != "External" else { return nil }
            return Relationship(id: id, type: type, path: resolve(target, from: folder))
        }
    }

    static func resolve(_ target: String, from folder: String) -> String {
        var parts: [Substring] = target.hasPrefix("/") ? [] : folder.split(separator: "/")
        for piece in target.split(separator: "/") {
            if piece == ".." { if !parts.isEmpty { parts.removeLast() } } else if piece != "." { parts.append(piece) }
        }
        return parts.joined(separator: "/")
    }

    /// Each `si`: its text, or its runs' texts joined; phonetic guides (`rPh`) are not part of it.
    static func sharedStrings(_ root: XMLNode) -> [String] {
        root.all("si").map(itemText)
    }

    static func itemText(_ node: XMLNode) -> String {
        if let t = node.child("t"), node.all("r").isEmpty { return t.text }
        return node.children.map { child in
            switch child.name {
            case "t": child.text
            case "r": child.all("t").map(\.text).joined()
            default: ""
            }
        }.joined()
    }

    /// The indexes of `cellXfs` whose number format shows a date.
    static func dateStyles(_ root: XMLNode) -> Set<Int> {
        var custom: [Int: String] = [:]
        for format in root.child("numFmts")?.all("numFmt") ?? [] {
            if let id = format.attribute("numFmtId").flatMap(Int.init), let code = format.attribute("formatCode") { custom[id] = code }
        }
        var out: Set<Int> = []
        for (index, xf) in (root.child("cellXfs")?.all("xf") ?? []).enumerated() {
            guard let id = xf.attribute("numFmtId").flatMap(Int.init) else { continue }
            if (14...22).contains(id) || (27...36).contains(id) || (45...47).contains(id) || (50...58).contains(id) {
                out.insert(index)
            } else if let code = custom[id], isDateFormat(code) {
                out.insert(index)
            }
        }
        return out
    }

    /// A format code showing a date: `y` or `d` outside quoted text, escapes and `[...]` sections.
    static func isDateFormat(_ code: String) -> Bool {
        if code.lowercased() == "general" { return false }
        var inQuote = false, inBracket = false, escaped = false
        for c in code.lowercased() {
            if escaped { escaped = false; continue }
            switch c {
            case "\\": escaped = true
            case "\"": inQuote.toggle()
            case "[": if !inQuote { inBracket = true }
            case "]": if !inQuote { inBracket = false }
            case "y", "d": if !inQuote, !inBracket { return true }
            default: break
            }
        }
        return false
    }

    static func rows(_ sheet: XMLNode, sharedStrings: [String], dateStyles: Set<Int>) throws -> [[String]] {
        var grid: [Int: [Int: String]] = [:]
        var nextRow = 1
        for row in sheet.child("sheetData")?.all("row") ?? [] {
            let r = row.attribute("r").flatMap(Int.init) ?? nextRow
            nextRow = r + 1
            var nextColumn = 0
            for cell in row.all("c") {
                let column = cell.attribute("r").flatMap(columnIndex) ?? nextColumn
                nextColumn = column + 1
                let value = try cellText(cell, sharedStrings: sharedStrings, dateStyles: dateStyles, row: r, column: column)
                if !value.isEmpty { grid[r, default: [:]][column] = value }
            }
        }
        guard let last = grid.keys.max() else { return [] }
        return (1...last).map { r in
            guard let cells = grid[r], let width = cells.keys.max() else { return [] }
            return (0...width).map { cells[$0] ?? "" }
        }
    }

    static func cellText(_ cell: XMLNode, sharedStrings: [String], dateStyles: Set<Int>, row: Int, column: Int) throws -> String {
        let v = cell.child("v")?.text ?? ""
        switch cell.attribute("t") ?? "n" {
        case "s":
            guard let index = Int(v.trimmingCharacters(in: .whitespaces)), sharedStrings.indices.contains(index) else {
                throw XLSXError(message: "row \(row): column \(XLSXWriter.columnName(column)): points to shared string \(v), which the workbook does not have")
            }
            return sharedStrings[index]
        case "inlineStr":
            return cell.child("is").map(itemText) ?? ""
        case "str", "e":
            return v
        case "b":
            return v == "1" ? "TRUE" : "FALSE"
        default:
            let text = v.trimmingCharacters(in: .whitespaces)
            guard !text.isEmpty else { return "" }
            guard let number = Double(text) else { return text }
            if let style = cell.attribute("s").flatMap(Int.init), dateStyles.contains(style) {
                let days = Int64(number.rounded(.down)) - XLSXWriter.unixEpochSerial
                return CivilDate(daysSinceEpoch: days).iso
            }
            return XLSXWriter.number(number)
        }
    }

    /// `B12` → 1 (column B).
    static func columnIndex(_ reference: String) -> Int? {
        var n = 0
        var letters = 0
        for scalar in reference.unicodeScalars {
            guard let v = scalar.properties.isUppercase ? Optional(scalar.value) : (("a"..."z").contains(scalar) ? scalar.value - 32 : nil),
                  (65...90).contains(v) else { break }
            n = n * 26 + Int(v - 64)
            letters += 1
        }
        return letters == 0 ? nil : n - 1
    }
}
