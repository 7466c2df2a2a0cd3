/// The item sheet: one CSV layout for export and import, so staff can export a case's items, edit
/// them in a spreadsheet and import the file back (domain.md, "Assessment items").
///
/// Columns, in order (the header row may use either name):
/// `ID`/`id`, `ハッシュ`/`hash`, then every `ItemField` (`商品コード`/`product_code` … `重量`/`weight`).
/// An exported row carries the item's id and a hash of its content; importing a row with an id
/// updates that item only if the hash still matches the stored item, so an edit made by someone
/// else after the export is never overwritten. A row without an id adds an item.
public enum ItemSheet {
    public static let maxRows = 1_000
    /// The import limit is "under 10 MB".
    public static let maxBytes = 10 * 1024 * 1024

    static let idColumn = (japanese: "ID", english: "id")
    static let hashColumn = (japanese: "ハッシュ", english: "hash")
    public static var columnCount: Int { 2 + ItemField.allCases.count }

    /// The header row an export writes (Japanese: the file is for staff and their spreadsheet).
    public static var header: [String] { [idColumn.japanese, hashColumn.japanese] + ItemField.allCases.map(\.japanese) }
    static var englishHeader: [String] { [idColumn.english, hashColumn.english] + ItemField.allCases.map(\.rawValue) }

    /// The sheet for `items`: header, then one row per item.
    public static func export(_ items: [Item]) -> String {
        CSV.encode(rows(items))
    }

    /// The sheet's cells as text, header first: what the CSV and the XLSX export write.
    public static func rows(_ items: [Item]) -> [[String]] {
        [header] + items.map { item in [String(item.id), hash(item)] + ItemField.allCases.map { $0.text(of: item) } }
    }

    /// A fingerprint of the item's id and every sheet field (FNV-1a, 64 bits). It detects a change
    /// made after an export; it is not a secret, only staff handle the file. The `h` prefix keeps
    /// spreadsheets from reading an all-digit or `…e…` value as a number.
    public static func hash(_ item: Item) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        let content = ([String(item.id)] + ItemField.allCases.map { $0.text(of: item) }).joined(separator: "\u{1F}")
        for byte in content.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01B3
        }
        let hex = String(h, radix: 16)
        return "h" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    /// One data row of an imported sheet.
    public struct Row: Equatable, Sendable {
        /// The row number as a spreadsheet shows it (the header is row 1).
        public var row: Int
        public var id: Int64?
        public var hash: String
        public var draft: ItemDraft
    }

    /// A sheet read from a file: its rows, the header names as written (for messages), and every
    /// problem found without looking at the store.
    public struct Parsed: Equatable, Sendable {
        public var rows: [Row]
        public var columnNames: [String]
        public var problems: [ItemError.Problem]

        public func name(of field: ItemField) -> String {
            columnNames[2 + ItemField.allCases.firstIndex(of: field)!]
        }
        public var idName: String { columnNames[0] }
        public var hashName: String { columnNames[1] }
    }

    /// Reads a CSV sheet (UTF-8, with or without BOM).
    public static func read(_ bytes: [UInt8]) -> Parsed {
        guard bytes.count < maxBytes else {
            return Parsed(rows: [], columnNames: header, problems: [
                ItemError.Problem(row: 1, column: "(file)", message: "\(bytes.count) bytes; an import must be under 10 MB, split the file")])
        }
        do throws(CSV.ParseError) {
            // Cells the export neutralized (`'=…`) come back as they were.
            return read(records: try CSV.parse(bytes).map { $0.map(CSV.restore) })
        } catch {
            return Parsed(rows: [], columnNames: header, problems: [ItemError.Problem(row: error.row, column: "(file)", message: error.message)])
        }
    }

    /// Reads a sheet already split into rows of text (a CSV's records, an XLSX sheet's rows:
    /// element N-1 is row N as the spreadsheet shows it).
    public static func read(records: [[String]]) -> Parsed {
        var parsed = Parsed(rows: [], columnNames: header, problems: [])
        func problem(_ row: Int, _ column: String, _ message: String) {
            parsed.problems.append(ItemError.Problem(row: row, column: column, message: message))
        }
        guard let headerCells = records.first else {
            problem(1, "(file)", "the file is empty; the first row must be the header (\(header.joined(separator: ",")))")
            return parsed
        }
        var names = headerCells.map(TextNormalizer.trim)
        while names.count > columnCount, names.last == "" { names.removeLast() }
        // A sheet exported before the カテゴリ column existed: read as before, categories unchanged.
        let columns = names.count == columnCount - 1 ? names.count : columnCount
        if names.count != columns {
            problem(1, "(header)", "\(names.count) columns; the layout has \(columnCount): \(header.joined(separator: ","))")
            return parsed
        }
        for index in 0..<columns where names[index] != header[index] && names[index].lowercased() != englishHeader[index] {
            problem(1, header[index], "column \(index + 1) must be \(header[index]) or \(englishHeader[index]) (found \"\(names[index])\")")
        }
        if !parsed.problems.isEmpty { return parsed }
        parsed.columnNames = names + header.dropFirst(names.count)

        var dataRows = 0
        for (offset, cells) in records.enumerated().dropFirst() {
            let rowNumber = offset + 1
            if cells.allSatisfy({ TextNormalizer.trim($0).isEmpty }) { continue }
            dataRows += 1
            if dataRows > maxRows {
                problem(rowNumber, "(file)", "more than \(Yen.grouped(maxRows)) item rows; split the file")
                return parsed
            }
            // The last (カテゴリ) cell may be missing: a row typed in the layout before it existed.
            if cells.count < (columns == columnCount ? columns - 1 : columns) {
                problem(rowNumber, "(row)", "\(cells.count) cells; every row needs all \(columns) columns of the header")
                continue
            }
            if let extra = cells.indices.dropFirst(columns).first(where: { !TextNormalizer.trim(cells[$0]).isEmpty }) {
                problem(rowNumber, "column \(extra + 1)", "a value outside the \(columns) columns of the layout")
                continue
            }
            let values = cells.prefix(columns).map(unwrapSpreadsheetText)
            var id: Int64? = nil
            let idText = TextNormalizer.halfWidth(values[0])
            if !idText.isEmpty {
                guard let n = Int64(idText), n > 0 else {
                    problem(rowNumber, names[0], "\"\(idText)\" is not an item id; leave it empty to add an item")
                    continue
                }
                id = n
            }
            var draft = ItemDraft()
            for (index, field) in ItemField.allCases.enumerated() where 2 + index < values.count { draft[field] = values[2 + index] }
            parsed.rows.append(Row(row: rowNumber, id: id, hash: TextNormalizer.trim(values[1]), draft: draft))
        }
        if dataRows == 0 { problem(2, "(file)", "no item rows under the header") }
        return parsed
    }

    /// `="0123"` is how spreadsheet users keep leading zeros and long codes as text.
    static func unwrapSpreadsheetText(_ cell: String) -> String {
        let trimmed = TextNormalizer.trim(cell)
        guard trimmed.hasPrefix("=\""), trimmed.hasSuffix("\""), trimmed.count >= 3 else { return cell }
        return String(trimmed.dropFirst(2).dropLast())
    }
}
