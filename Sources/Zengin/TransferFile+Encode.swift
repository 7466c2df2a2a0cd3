extension TransferFile {
    static let trailerKind = UInt8(ascii: "8")
    static let endKind = UInt8(ascii: "9")
    static let maximumCount = 999_999
    static let maximumTotal = 999_999_999_999

    /// Writes the file as bank kana bytes, checking every field.
    ///
    /// - Parameter separator: CR LF after every record (the default), or nothing between records.
    /// - Returns: the header, one data record per transfer, the trailer and the end record, each
    ///   120 bytes followed by the separator.
    /// - Throws: `ZenginError` naming the record and field of the first value the format cannot carry.
    public func encode(separator: Separator = .crlf) throws -> [UInt8] {
        guard !transfers.isEmpty else { throw ZenginError.noTransfers }
        var records = [try header.record()]
        var total = 0
        for (index, transfer) in transfers.enumerated() {
            records.append(try transfer.record(number: index + 2))
            total += transfer.amount
        }
        let trailerNumber = transfers.count + 2
        guard transfers.count <= Self.maximumCount else {
            throw ZenginError.invalidField(
                record: trailerNumber, field: "record count",
                detail: "\(transfers.count) transfers do not fit in 6 digits; split them into several files")
        }
        guard total <= Self.maximumTotal else {
            throw ZenginError.invalidField(
                record: trailerNumber, field: "amount total",
                detail: "\(total) yen does not fit in 12 digits; split the transfers into several files")
        }
        var trailer = RecordWriter(record: trailerNumber)
        trailer.byte(Self.trailerKind)
        try trailer.number(transfers.count, width: 6, field: "record count")
        try trailer.number(total, width: 12, field: "amount total")
        trailer.filler(101)
        records.append(trailer.finish())

        var end = RecordWriter(record: trailerNumber + 1)
        end.byte(Self.endKind)
        end.filler(119)
        records.append(end.finish())

        let separatorBytes = separator.bytes
        var bytes: [UInt8] = []
        bytes.reserveCapacity(records.count * (Self.recordLength + separatorBytes.count))
        for record in records {
            bytes += record
            bytes += separatorBytes
        }
        return bytes
    }
}
