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
        public var total: Int { cases.reduce(0) { $0 + $1.acceptedTotal } }

        /// One line per left-out case and problem, for the CLI and the console.
        public var excludedLines: [String] {
            excluded.map { "excluded \($0.code): \($0.field): \($0.message)" }
        }
    }

    /// The due cases that an export would leave out, and why (the console shows them before the
    /// download; the download itself cannot carry the list).
    public static func excludedCases(store: CaseStore, settings: Settings, includeExported: Bool = false) throws -> [TransferExport.Problem] {
        TransferExport.split(try store.payableBankTransfers(includeExported: includeExported), settings: settings).excluded
    }

    /// Builds the 総合振込 file of every purchased, unpaid bank-transfer case and records the batch,
    /// so the same cases do not go into a second file unless `includeExported`.
    ///
    /// A case whose account details cannot go into the file (a holder that does not fit, a
    /// missing account number) is left out and listed in `Export.excluded`; the others are
    /// exported, so one bad case never holds up everyone's payment. The left-out cases stay due.
    ///
    /// - Parameters:
    ///   - allOrNothing: refuse the whole export when any case has a problem (the behaviour before
    ///     cases were left out).
    ///   - record: called with the file's bytes before the batch is recorded (the CLI writes its
    ///     file there); a throw records no batch.
    /// - Throws: `Refused` when no case is due or none can go into the file, a date is not MMDD, the
    ///   shop's bank settings are wrong, or (`allOrNothing`) a case's account details are wrong
    ///   (every problem listed).
    public static func exportTransfers(store: CaseStore, settings: Settings, date: String, includeExported: Bool,
                                       fileName: String, allOrNothing: Bool = false,
                                       record: ([UInt8]) throws -> Void = { _ in }) throws -> Export {
        guard isTransferDate(date) else { throw Refused("the transfer date must be MMDD, e.g. 1125 (got \"\(date)\")") }
        let cases = try store.payableBankTransfers(includeExported: includeExported)
        if cases.isEmpty { throw Refused("no purchased, unpaid bank-transfer cases to export") }
        let header: TransferHeader
        do {
            header = try TransferExport.header(settings: settings, date: date)
        } catch let refused as TransferExport.Refused {
            throw Refused(refused.description)
        } catch let error as ZenginError {
            throw Refused("shop.yml bank_transfer: \(error)")
        }
        let split = TransferExport.split(cases, settings: settings)
        if !split.excluded.isEmpty, allOrNothing || split.included.isEmpty {
            throw Refused(TransferExport.Refused(problems: split.excluded).description)
        }
        let bytes = try TransferFile(header: header, transfers: split.transfers).encode()
        try record(bytes)
        let batch = try store.recordPayoutBatch(transferDate: date, fileName: fileName, cases: split.included)
        return Export(bytes: bytes, batch: batch, cases: split.included, excluded: split.excluded)
    }
}
