import ArgumentParser
import Foundation
import KaitoriCore
import Spreadsheet

extension Kaitori {
    struct StockCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "stock",
            abstract: "The stock rows purchases created (one per accepted item).",
            subcommands: [Export.self])
    }
}

extension Kaitori.StockCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every stock row as CSV (UTF-8 with BOM), or .xlsx when the file ends in .xlsx.",
            discussion: "Columns: 在庫ID, 買取コード, 商品ID, 商品コード, JANコード, 商品名, 数量, グレード, 買取単価, 販売単価, 棚番号, コンディションタグ, コンディション詳細, 重量, 入庫日.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The file to write (same as -o; - or nothing for stdout).") var file: String?
        @OptionGroup var output: ExportOutput

        func run() throws {
            try refusing {
                let file = try output.path(positional: self.file)
                let store = try options.store()
                let count = try StreamingSheet.write(to: file, site: options.siteDirectory, sheet: SpreadsheetExport.stockSheet) { emit in
                    try store.eachStockEntry { try emit($0.row) }
                }
                if file != "-" { print("\(count) stock row(s) written to \(file)") }
            }
        }
    }
}
