import ArgumentParser
import Foundation
import KaitoriCore
import Spreadsheet

extension Kaitori {
    struct LedgerCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ledger",
            abstract: "The purchase ledger (古物台帳) the 古物営業法 requires.",
            subcommands: [Export.self])
    }
}

extension Kaitori.LedgerCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the ledger as CSV (UTF-8 with BOM), or .xlsx when the file ends in .xlsx: one row per purchased item.",
            discussion: """
            Columns: 取引年月日, 買取コード, 商品ID, 品目, 数量, 特徴, 買取単価, 金額, 相手方の住所, 相手方の氏名, \
            相手方の職業, 相手方の年齢 (at the transaction date), 本人確認の方法, 本人確認書類, 確認方式, 住所確認の記録, \
            確認者, 確認日時. Keep the records for 3 years from the last entry.
            """)
        @OptionGroup var options: SiteOptions
        @Argument(help: "The file to write (same as -o; - or nothing for stdout).") var file: String?
        @OptionGroup var output: ExportOutput
        @Option(help: "Purchases confirmed on or after this date (YYYY-MM-DD).") var from: String?
        @Option(help: "Purchases confirmed on or before this date (YYYY-MM-DD).") var to: String?

        func validate() throws {
            if let from, CivilDate(iso: from) == nil { throw ValidationError("--from must be YYYY-MM-DD") }
            if let to, CivilDate(iso: to) == nil { throw ValidationError("--to must be YYYY-MM-DD") }
            if let from = from.flatMap(CivilDate.init(iso:)), let to = to.flatMap(CivilDate.init(iso:)), to < from {
                throw ValidationError("--to is before --from")
            }
        }

        func run() throws {
            try refusing {
                let file = try output.path(positional: self.file)
                let settings = try options.settings()
                let store = try options.store()
                let (from, to) = (from.flatMap(CivilDate.init(iso:)), to.flatMap(CivilDate.init(iso:)))
                // Cases without a verified ID, for the warning: the first 20 codes named, the rest
                // counted (a case's rows come together), so the export's memory does not grow.
                var unverified: [String] = []
                var unverifiedCount = 0
                var lastUnverified = ""
                func note(_ entry: Ledger.Entry) {
                    guard entry.verificationMethod.isEmpty, entry.caseCode != lastUnverified else { return }
                    lastUnverified = entry.caseCode
                    unverifiedCount += 1
                    if unverified.count < 20, !unverified.contains(entry.caseCode) { unverified.append(entry.caseCode) }
                }
                let count = try StreamingSheet.write(to: file, site: options.siteDirectory, sheet: SpreadsheetExport.ledgerSheet) { emit in
                    try store.eachLedgerEntry(from: from, to: to, settings: settings) { entry in
                        note(entry)
                        try emit(entry.row)
                    }
                }
                if file != "-" { print("\(count) ledger row(s) written to \(file)") }
                if unverifiedCount > 0 {
                    let more = unverifiedCount > unverified.count ? " and \(unverifiedCount - unverified.count) more" : ""
                    printError("warning: no verified ID recorded for \(unverified.sorted().joined(separator: ", "))\(more)")
                }
            }
        }
    }
}
