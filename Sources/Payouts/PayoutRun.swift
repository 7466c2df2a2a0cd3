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

    /// The exported file, its batch and its cases.
    public struct Export: Sendable {
        public var bytes: [UInt8]
        public var batch: Int64
        public var cases: [Case]
        public var total: Int { cases.reduce(0) { $0 + $1.acceptedTotal } }
    }

    /// Builds the 総合振込 file of every purchased, unpaid bank-transfer case and records the batch,
    /// so the same cases do not go into a second file unless `includeExported`.
    ///
    /// - Parameter record: called with the file's bytes before the batch is recorded (the CLI
    ///   writes its file there); a throw records no batch.
    /// - Throws: `Refused` when no case is due, a date is not MMDD, the shop's bank settings or a
    ///   case's account details are wrong (every problem listed).
    public static func exportTransfers(store: CaseStore, settings: Settings, date: String, includeExported: Bool,
                                       fileName: String, record: ([UInt8]) throws -> Void = { _ in }) throws -> Export {
        guard isTransferDate(date) else { throw Refused("the transfer date must be MMDD, e.g. 1125 (got \"\(date)\")") }
        let cases = try store.payableBankTransfers(includeExported: includeExported)
        if cases.isEmpty { throw Refused("no purchased, unpaid bank-transfer cases to export") }
        let file: TransferFile
        do {
            file = try TransferExport.build(cases: cases, settings: settings, date: date)
        } catch let refused as TransferExport.Refused {
            throw Refused(refused.description)
        } catch let error as ZenginError {
            throw Refused("shop.yml bank_transfer: \(error)")
        }
        let bytes = try file.encode()
        try record(bytes)
        let batch = try store.recordPayoutBatch(transferDate: date, fileName: fileName, cases: cases)
        return Export(bytes: bytes, batch: batch, cases: cases)
    }
}
