/// RFC 4180 CSV as spreadsheets in Japan read and write it: UTF-8 with a byte-order mark (without
/// one, Excel opens UTF-8 as Shift_JIS and garbles every Japanese cell), CRLF line ends, quoted
/// fields that may hold commas, quotes and line breaks.
public enum CSV {
    static let byteOrderMark = "\u{FEFF}"

    /// Why a file could not be read as CSV; `row` is the 1-based record number (the header is 1).
    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var row: Int
        public var message: String
        public init(row: Int, message: String) { self.row = row; self.message = message }
        public var description: String { "row \(row): \(message)" }
    }

    /// The rows as one document with a BOM and CRLF line ends. Every cell a spreadsheet would run
    /// as a formula is neutralized (`neutralize`): every export goes through here, so none can
    /// carry a customer's `=HYPERLINK(…)` into the shop's spreadsheet.
    public static func encode(_ rows: [[String]]) -> String {
        var out = byteOrderMark
        for row in rows {
            out += row.map { quote(neutralize($0)) }.joined(separator: ",")
            out += "\r\n"
        }
        return out
    }

    static func quote(_ field: String) -> String {
        let needsQuotes = field.unicodeScalars.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }
            || field.first == " " || field.last == " "
        guard needsQuotes else { return field }
        return "\"" + field.replacing("\"", with: "\"\"") + "\""
    }

    /// What a cell may not start with: formula starts (ASCII and the full-width forms a Japanese
    /// spreadsheet also reads), tab and CR (which some spreadsheets skip before a formula), and the
    /// quote itself, so `restore` can undo exactly what `neutralize` did.
    static let formulaStarts: Set<Unicode.Scalar> = ["=", "+", "-", "@", "\t", "\r", "\u{FF1D}", "\u{FF0B}", "\u{FF0D}", "\u{FF20}", "'"]

    /// A cell that starts like a formula, with `'` before it. A plain number such as -1200 is data.
    public static func neutralize(_ field: String) -> String {
        guard let first = field.unicodeScalars.first, formulaStarts.contains(first) else { return field }
        if first == "-", Int(field) != nil { return field }
        return "'" + field
    }

    /// Undoes `neutralize`, for a file this program wrote and a person edited (the item sheet).
    public static func restore(_ field: String) -> String {
        var scalars = field.unicodeScalars.makeIterator()
        guard scalars.next() == "'", let second = scalars.next(), formulaStarts.contains(second) else { return field }
        return String(field.unicodeScalars.dropFirst())
    }

    /// Decodes UTF-8 bytes (a leading BOM is dropped) into records of fields. Line ends may be CRLF,
    /// LF or CR; a line break inside quotes belongs to the field.
    /// - Throws: `ParseError` for bytes that are not UTF-8 (e.g. a file saved as Shift_JIS), a quote
    ///   that is never closed, or text right after a closing quote.
    public static func parse(_ bytes: [UInt8]) throws(ParseError) -> [[String]] {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        guard let text = String(validating: body, as: UTF8.self) else {
            throw ParseError(row: 1, message: "the file is not UTF-8 text; save it as \"CSV UTF-8\" (Excel: CSV UTF-8 (コンマ区切り))")
        }
        return try parse(text)
    }

    static func parse(_ text: String) throws(ParseError) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = String.UnicodeScalarView()
        var inQuotes = false
        var afterQuote = false
        var quoteStartRow = 1
        var scalars = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil

        func endRecord() {
            row.append(String(field))
            rows.append(row)
            row = []
            field = String.UnicodeScalarView()
        }

        while let s = pending ?? scalars.next() {
            pending = nil
            if inQuotes {
                if s == "\"" {
                    let next = scalars.next()
                    if next == "\"" {
                        field.append("\"")
                    } else {
                        inQuotes = false
                        afterQuote = true
                        pending = next
                    }
                } else {
                    field.append(s)
                }
                continue
            }
            switch s {
            case ",":
                row.append(String(field))
                field = String.UnicodeScalarView()
                afterQuote = false
            case "\r", "\n":
                if s == "\r" {
                    let next = scalars.next()
                    if next != "\n" { pending = next }
                }
                endRecord()
                afterQuote = false
            case "\"" where field.isEmpty && !afterQuote:
                inQuotes = true
                quoteStartRow = rows.count + 1
            default:
                if afterQuote {
                    throw ParseError(row: rows.count + 1, message: "column \(row.count + 1): text after a closing quote")
                }
                field.append(s)
            }
        }
        if inQuotes { throw ParseError(row: quoteStartRow, message: "column \(row.count + 1): a quoted field is never closed") }
        if !field.isEmpty || !row.isEmpty || afterQuote { endRecord() }
        return rows
    }
}

