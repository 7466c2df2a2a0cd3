import ArgumentParser
import Foundation
import KaitoriCore
import Payouts

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
            discussion: "A case whose account details are missing or invalid is left out, and listed on stderr with its reason (it stays due); the others are exported. --all-or-nothing refuses the whole file instead. Records an export batch, so the same cases do not go into a second file unless --include-exported.")

        @OptionGroup var options: SiteOptions
        @Option(help: "Transfer date as MMDD.") var date: String
        @OptionGroup var output: ExportOutput
        @Flag(help: "Also include cases already in an earlier export batch.") var includeExported = false
        @Flag(help: "Write no file at all when any case's account details are invalid (list them instead).") var allOrNothing = false

        func validate() throws {
            guard PayoutRun.isTransferDate(date) else { throw ValidationError("--date must be MMDD, e.g. 1125") }
        }

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let store = try options.store()
                do {
                    let path = try output.path()
                    let export = try PayoutRun.exportTransfers(store: store, settings: settings, date: date,
                                                               includeExported: includeExported, fileName: path,
                                                               allOrNothing: allOrNothing) { bytes in
                        try OutputFile.write(Data(bytes), to: path)
                    }
                    for line in export.excludedLines { FileHandle.standardError.write(Data((TerminalText.escape(line) + "\n").utf8)) }
                    if !export.excluded.isEmpty {
                        FileHandle.standardError.write(Data("\(Set(export.excluded.map(\.code)).count) case(s) left out: fix their account details (kaitori case payout CODE …) and export again\n".utf8))
                    }
                    FileHandle.standardError.write(Data("batch \(export.batch): \(export.cases.count) transfer(s), \(Yen.format(export.total)), date \(date)\n".utf8))
                } catch let refused as PayoutRun.Refused {
                    throw CLIError(refused.description)
                }
            }
        }
    }
}
