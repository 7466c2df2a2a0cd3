extension TransferFile {
    static let trailerKind = UInt8(ascii: "8")
    static let endKind = UInt8(ascii: "9")
    static let maximumCount = 999_999
    static let maximumTotal = 999_999_999_999

    /// Writes the file as bank kana bytes, checking every field (`TransferFileWriter` into one array).
    ///
    /// - Parameter separator: CR LF after every record (the default), or nothing between records.
    /// - Returns: the header, one data record per transfer, the trailer and the end record, each
    ///   120 bytes followed by the separator.
    /// - Throws: `ZenginError` naming the record and field of the first value the format cannot carry.
    public func encode(separator: Separator = .crlf) throws -> [UInt8] {
        guard !transfers.isEmpty else { throw ZenginError.noTransfers }
        var bytes: [UInt8] = []
        bytes.reserveCapacity((transfers.count + 3) * (Self.recordLength + separator.bytes.count))
        let writer = try TransferFileWriter(header: header, separator: separator) { bytes += $0 }
        for transfer in transfers { try writer.append(transfer) }
        try writer.finish()
        return bytes
    }
}
