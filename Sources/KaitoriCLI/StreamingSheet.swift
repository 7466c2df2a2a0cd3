import KaitoriCore
import Spreadsheet

/// A sheet export (the ledger, the stock list, the case list) written row by row into a
/// `StreamingOutput`, in memory that does not grow with the number of rows: CSV (UTF-8 with BOM,
/// every cell neutralized by `CSV.line`), or a workbook when the file ends in .xlsx (the rows'
/// XML spooled in the shop's var/, the ZIP assembled by ZIPFoundation: `XLSXWriter.stream`).
enum StreamingSheet {
    /// - Parameter rows: hands each row (text, in `sheet.header`'s columns) to the closure it is given.
    /// - Returns: the number of data rows written.
    static func write(to path: String, site: String, sheet: SheetLayout,
                      rows: (_ emit: ([String]) throws -> Void) throws -> Void) throws -> Int {
        let spoolFolder = site + "/var"
        let file = try StreamingOutput(path: path, spoolFolder: spoolFolder)
        var count = 0
        if ExportOutput.isWorkbook(path) {
            count = try XLSXWriter.stream(sheet, spoolFolder: spoolFolder, into: file, rows: rows)
        } else {
            try file.write(Array((CSV.byteOrderMark + CSV.line(sheet.header)).utf8))
            try rows { row in
                try file.write(Array(CSV.line(row).utf8))
                count += 1
            }
        }
        try file.commit()
        return count
    }
}
