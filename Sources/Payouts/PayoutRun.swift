import KaitoriCore
import Zengin

/// The Zengin export as one operation, shared by `kaitori zengin export` and the staff console's
/// payments page, so its rules and messages live once (marking paid: `PaymentRun`).
public enum PayoutRun {
    /// Why a payment step did nothing, in the words both the CLI and the console show.
    public struct Refused: Error, Equatable, CustomStringConvertible {
        public var description: String
        public init(_ description: String) { self.description = description }
    }

    /// Whether `date` is a transfer date as the file needs it: MMDD.
    public static func isTransferDate(_ date: String) -> Bool {
        guard date.count == 4, date.allSatisfy({ ("0"..."9").contains($0) }), let m = Int(date.prefix(2)), let d = Int(date.suffix(2)) else {
            return false
        }
        return (1...12).contains(m) && (1...31).contains(d)
    }

    /// The exported file, its batch, its cases and the cases left out.
    public struct Export: Sendable {
        public var bytes: [UInt8]
        public var batch: Int64
        public var cases: [Case]
        /// Every problem of the cases that were due but left out of the file (none with
        /// `allOrNothing`, which refuses instead).
        public var excluded: [TransferExport.Problem] = []
        public var count: Int { cases.count }
        public var total: Int { cases.reduce(0) { $0 + $1.acceptedTotal } }

        /// One line per left-out case and problem, for the CLI and the console.
        public var excludedLines: [String] { excluded.map(PayoutRun.excludedLine) }
    }

    /// How the CLI and the console word one problem of a left-out case.
    public static func excludedLine(_ problem: TransferExport.Problem) -> String {
        "excluded \(problem.code): \(problem.field): \(problem.message)"
    }

    /// The due cases that an export would leave out, and why (the console shows them before the
    /// download; the download itself cannot carry the list).
    public static func excludedCases(store: CaseStore, settings: Settings, includeExported: Bool = false) throws -> [TransferExport.Problem] {
        TransferExport.split(try store.payableBankTransfers(includeExported: includeExported), settings: settings).excluded
    }

    /// Builds the 総合振込 file in memory and records the batch, with the file's cases and the
    /// cases left out (the CLI and the console stream with `streamTransfers`, whose rules this is).
    ///
    /// - Parameter record: called with the file's bytes before the batch is recorded; a throw
    ///   records no batch.
    /// - Throws: `Refused` as `streamTransfers`.
    public static func exportTransfers(store: CaseStore, settings: Settings, date: String, includeExported: Bool,
                                       fileName: String, allOrNothing: Bool = false,
                                       record: ([UInt8]) throws -> Void = { _ in }) throws -> Export {
        var bytes: [UInt8] = []
        var cases: [Case] = []
        var excluded: [TransferExport.Problem] = []
        let batch = try streamTransfers(store: store, settings: settings, date: date, includeExported: includeExported,
                                        fileName: fileName, allOrNothing: allOrNothing,
                                        write: { bytes += $0 }, finish: { try record(bytes) },
                                        included: { cases.append($0) }, excluded: { excluded.append($0) })
        return Export(bytes: bytes, batch: batch.id, cases: cases, excluded: excluded)
    }

    /// Writes the 総合振込 file of every purchased, unpaid bank-transfer case record by record to
    /// `write` and records the batch, in memory that does not grow with the number of cases, so the
    /// same cases do not go into a second file unless `includeExported`.
    ///
    /// A case whose account details cannot go into the file (a holder that does not fit, a missing
    /// account number) is left out and passed to `excluded`, once per problem; the others are
    /// exported, so one bad case never holds up everyone's payment. Left-out cases stay due and
    /// outside the batch.
    ///
    /// - Parameters:
    ///   - allOrNothing: refuse the whole export when any case has a problem (the behaviour before
    ///     cases were left out).
    ///   - write: takes each record's bytes in file order. If the export is refused after records
    ///     were written, the caller must discard what it got.
    ///   - finish: called once the whole file was written, before the batch is recorded (the CLI
    ///     syncs and renames its file there); a throw records no batch.
    /// - Throws: `Refused` when no case is due or none can go into the file, the date is not MMDD,
    ///   the shop's bank settings are wrong, or (`allOrNothing`) a case's account details are wrong
    ///   (every problem listed).
    public static func streamTransfers(store: CaseStore, settings: Settings, date: String, includeExported: Bool, fileName: String,
                                       allOrNothing: Bool = false,
                                       write: @escaping ([UInt8]) throws -> Void, finish: () throws -> Void,
                                       included: (Case) -> Void = { _ in },
                                       excluded: (TransferExport.Problem) -> Void = { _ in }) throws -> CaseStore.PayoutBatch {
        guard isTransferDate(date) else { throw Refused("the transfer date must be MMDD, e.g. 1125 (got \"\(date)\")") }
        let designation = TransferExport.designation(settings: settings)
        var writer: TransferFileWriter?
        // Only the problems, which a shop corrects a few at a time; the good cases are not kept.
        var problems: [TransferExport.Problem] = []
        return try store.exportPayoutBatch(transferDate: date, fileName: fileName, includeExported: includeExported, each: { c in
            if writer == nil {
                do {
                    writer = try TransferFileWriter(header: TransferExport.header(settings: settings, date: date), sink: write)
                } catch let refused as TransferExport.Refused {
                    throw Refused(refused.description)
                } catch let error as ZenginError {
                    throw Refused("shop.yml bank_transfer: \(error)")
                }
            }
            let (transfer, found) = TransferExport.transfer(for: c, designation: designation)
            guard found.isEmpty, let transfer else {
                problems += found
                found.forEach(excluded)
                return false
            }
            // All or nothing: after the first problem nothing more is written (refused at the end).
            if allOrNothing, !problems.isEmpty { return false }
            try writer?.append(transfer)
            included(c)
            return true
        }, finish: { count, _ in
            if !problems.isEmpty, allOrNothing || count == 0 { throw Refused(TransferExport.Refused(problems: problems).description) }
            guard let writer, count > 0 else { throw Refused("no purchased, unpaid bank-transfer cases to export") }
            try writer.finish()
            try finish()
        })
    }
}
