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

    /// The exported file, its batch, how many transfers it holds and their total.
    public struct Export: Sendable {
        public var bytes: [UInt8]
        public var batch: Int64
        public var count: Int
        public var total: Int
    }

    /// Builds the 総合振込 file of every purchased, unpaid bank-transfer case in memory and records
    /// the batch, so the same cases do not go into a second file unless `includeExported` (the
    /// console's download; the CLI streams with `streamTransfers`).
    ///
    /// - Parameter record: called with the file's bytes before the batch is recorded; a throw
    ///   records no batch.
    /// - Throws: `Refused` as `streamTransfers`.
    public static func exportTransfers(store: CaseStore, settings: Settings, date: String, includeExported: Bool,
                                       fileName: String, record: ([UInt8]) throws -> Void = { _ in }) throws -> Export {
        var bytes: [UInt8] = []
        let batch = try streamTransfers(store: store, settings: settings, date: date, includeExported: includeExported,
                                        fileName: fileName, write: { bytes += $0 }, finish: { try record(bytes) })
        return Export(bytes: bytes, batch: batch.id, count: batch.count, total: batch.total)
    }

    /// Writes the 総合振込 file of every purchased, unpaid bank-transfer case record by record to
    /// `write` and records the batch, in memory that does not grow with the number of cases.
    ///
    /// - Parameters:
    ///   - write: takes each record's bytes in file order. If a case turns out to be wrong after
    ///     records were written, the export is refused: the caller must discard what it got.
    ///   - finish: called once the whole file was written, before the batch is recorded (the CLI
    ///     syncs and renames its file there); a throw records no batch.
    /// - Throws: `Refused` when no case is due, the date is not MMDD, the shop's bank settings or a
    ///   case's account details are wrong (every problem listed).
    public static func streamTransfers(store: CaseStore, settings: Settings, date: String, includeExported: Bool, fileName: String,
                                       write: @escaping ([UInt8]) throws -> Void, finish: () throws -> Void) throws -> CaseStore.PayoutBatch {
        guard isTransferDate(date) else { throw Refused("the transfer date must be MMDD, e.g. 1125 (got \"\(date)\")") }
        let designation = TransferExport.designation(settings: settings)
        var writer: TransferFileWriter?
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
            problems += found
            // After the first problem nothing more is written: the file is refused anyway.
            if problems.isEmpty, let transfer { try writer?.append(transfer) }
        }, finish: { count, _ in
            guard let writer, count > 0 else { throw Refused("no purchased, unpaid bank-transfer cases to export") }
            if !problems.isEmpty { throw Refused(TransferExport.Refused(problems: problems).description) }
            try writer.finish()
            try finish()
        })
    }
}
