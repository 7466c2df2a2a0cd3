import ArgumentParser
import Foundation
import KaitoriCore
import Payouts
import Zengin

extension Kaitori {
    struct ZenginCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "zengin",
            abstract: "The Zengin 総合振込 bank-transfer file.",
            subcommands: [Export.self])
    }
}

extension Kaitori.ZenginCommand {
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Export all purchased, unpaid bank-transfer cases as a Zengin 総合振込 file (CP932, 120-byte records, CR LF).",
            discussion: "Refuses, listing every case whose account details are missing or invalid. Records an export batch, so the same cases do not go into a second file unless --include-exported.")

        @OptionGroup var options: SiteOptions
        @Option(help: "Transfer date as MMDD.") var date: String
        @OptionGroup var output: ExportOutput
        @Flag(help: "Also include cases already in an earlier export batch.") var includeExported = false

        func validate() throws {
            guard date.count == 4, date.allSatisfy(\.isNumber), let m = Int(date.prefix(2)), let d = Int(date.suffix(2)),
                  (1...12).contains(m), (1...31).contains(d) else {
                throw ValidationError("--date must be MMDD, e.g. 1125")
            }
        }

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let store = try options.store()
                let cases = try store.payableBankTransfers(includeExported: includeExported)
                if cases.isEmpty { throw CLIError("no purchased, unpaid bank-transfer cases to export") }
                let file: TransferFile
                do {
                    file = try TransferExport.build(cases: cases, settings: settings, date: date)
                } catch let refused as TransferExport.Refused {
                    throw CLIError(refused.description)
                } catch let error as ZenginError {
                    throw CLIError("shop.yml bank_transfer: \(error)")
                }
                let bytes = try file.encode()
                let path = try output.path()
                try OutputFile.write(Data(bytes), to: path)
                let batch = try store.recordPayoutBatch(transferDate: date, fileName: path, cases: cases)
                let total = cases.reduce(0) { $0 + $1.acceptedTotal }
                FileHandle.standardError.write(Data("batch \(batch): \(cases.count) transfer(s), \(Yen.format(total)), date \(date)\n".utf8))
            }
        }
    }
}
