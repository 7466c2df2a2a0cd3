/// Writes a Zengin 総合振込 file record by record, so a file of any number of transfers is made in
/// memory that does not grow with it: the header when created, one data record per `append`, the
/// trailer (count and total, derived here, never supplied) and the end record at `finish`.
/// `TransferFile.encode` is this writer collecting the records into one array.
public final class TransferFileWriter {
    private let separator: [UInt8]
    private let sink: ([UInt8]) throws -> Void
    /// Transfers written so far, and their total in yen.
    public private(set) var count = 0
    public private(set) var total = 0

    /// Checks and writes the header record.
    /// - Parameter sink: takes each record's bytes (120 bytes and the separator), in file order.
    /// - Throws: `ZenginError` naming the header field the format cannot carry.
    public init(header: TransferHeader, separator: TransferFile.Separator = .crlf,
                sink: @escaping ([UInt8]) throws -> Void) throws {
        self.separator = separator.bytes
        self.sink = sink
        try sink(header.record() + self.separator)
    }

    /// Checks and writes one data record.
    public func append(_ transfer: Transfer) throws {
        try sink(transfer.record(number: count + 2) + separator)
        count += 1
        total += transfer.amount
    }

    /// Writes the trailer and end records.
    /// - Throws: `ZenginError` when no transfer was written, or the count or total does not fit.
    public func finish() throws {
        guard count > 0 else { throw ZenginError.noTransfers }
        let trailerNumber = count + 2
        guard count <= TransferFile.maximumCount else {
            throw ZenginError.invalidField(
                record: trailerNumber, field: "record count",
                detail: "\(count) transfers do not fit in 6 digits; split them into several files")
        }
        guard total <= TransferFile.maximumTotal else {
            throw ZenginError.invalidField(
                record: trailerNumber, field: "amount total",
                detail: "\(total) yen does not fit in 12 digits; split the transfers into several files")
        }
        var trailer = RecordWriter(record: trailerNumber)
        trailer.byte(TransferFile.trailerKind)
        try trailer.number(count, width: 6, field: "record count")
        try trailer.number(total, width: 12, field: "amount total")
        trailer.filler(101)
        try sink(trailer.finish() + separator)

        var end = RecordWriter(record: trailerNumber + 1)
        end.byte(TransferFile.endKind)
        end.filler(119)
        try sink(end.finish() + separator)
    }
}
