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
                    // Record by record into the file (memory does not grow with the cases); the
                    // file is synced and in place before the batch is recorded.
                    let path = try output.path()
                    let file = try StreamingOutput(path: path, spoolFolder: options.siteDirectory + "/var")
                    var left: Set<String> = []
                    let batch = try PayoutRun.streamTransfers(store: store, settings: settings, date: date, includeExported: includeExported,
                                                              fileName: path, allOrNothing: allOrNothing,
                                                              write: file.write, finish: file.commit, excluded: { problem in
                        // All or nothing: the refusal lists every problem itself.
                        guard !allOrNothing else { return }
                        left.insert(problem.code)
                        FileHandle.standardError.write(Data((TerminalText.escape(PayoutRun.excludedLine(problem)) + "\n").utf8))
                    })
                    if !left.isEmpty {
                        FileHandle.standardError.write(Data("\(left.count) case(s) left out: fix their account details (kaitori case payout CODE …) and export again\n".utf8))
                    }
                    FileHandle.standardError.write(Data("batch \(batch.id): \(batch.count) transfer(s), \(Yen.format(batch.total)), date \(date)\n".utf8))
                } catch let refused as PayoutRun.Refused {
                    throw CLIError(refused.description)
                }
            }
        }
    }
}
