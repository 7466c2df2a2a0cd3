import ArgumentParser
import Foundation
import KaitoriCore
import Payouts

extension Kaitori {
    struct Pay: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark purchased cases paid: by code, by a list of codes, or by a completed Zengin transfer file.",
            discussion: "All or nothing: unknown codes, cases that are not purchased and unmatched transfer records are all reported, and nothing changes.")

        @OptionGroup var options: SiteOptions
        @Argument(help: "Case codes.") var codes: [String] = []
        @Option(help: "A file with one case code a line (- for stdin).") var codesFile: String?
        @Option(help: "A completed batch's Zengin file: marks exactly the cases of its data records (matched on bank, branch, account and amount).")
        var transferFile: String?
        @Option(help: "Note recorded in each case's history.") var note: String = ""

        func validate() throws {
            let given = [!codes.isEmpty, codesFile != nil, transferFile != nil].filter { $0 }.count
            if given != 1 { throw ValidationError("give case codes, or --codes-file FILE, or --transfer-file FILE (exactly one)") }
        }

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let store = try options.store()
                var list = codes
                var note = self.note
                if let codesFile {
                    let data = codesFile == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: codesFile))
                    list = try PaymentRun.codes(inList: [UInt8](data), source: codesFile)
                }
                if let transferFile {
                    let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: transferFile)))
                    let matched = try PaymentRun.codes(inTransferFile: bytes, source: transferFile, store: store)
                    list = matched.codes
                    if note.isEmpty { note = matched.note }
                }
                let paid = try store.pay(codes: list, by: options.actor, settings: settings, note: note)
                for c in paid { print("\(c.code): paid \(Yen.format(c.acceptedTotal))") }
                print("\(paid.count) case(s) marked paid, \(Yen.format(paid.reduce(0) { $0 + $1.acceptedTotal }))")
            }
        }
    }
}
