extension TransferFile {
    /// Reads a transfer file, checking its structure, every field and the trailer's totals.
    ///
    /// - Parameter bytes: records of 120 bytes, separated by CR LF or by nothing (a final CR LF is
    ///   optional); the order must be header, one or more data records, trailer, end.
    ///   Filler positions are not read: they carry nothing, and refusing a file over them would
    ///   help no one.
    /// - Returns: the header and transfers; the trailer is checked, not kept.
    /// - Throws: `ZenginError` naming the record (and field) where reading stopped.
    public static func decode(_ bytes: [UInt8]) throws -> TransferFile {
        var splitter = RecordSplitter(bytes)

        guard let first = try splitter.next() else {
            throw ZenginError.unexpectedEnd(afterRecord: 0, expected: "a header record (kind 1)")
        }
        try expect(first, kind: TransferHeader.recordKind, named: "a header record (kind 1)")
        let header = try TransferHeader(reader: first)

        var transfers: [Transfer] = []
        var total = 0
        let trailer: RecordReader
        while true {
            guard let reader = try splitter.next() else {
                throw ZenginError.unexpectedEnd(
                    afterRecord: splitter.record,
                    expected: transfers.isEmpty
                        ? "a data record (kind 2)" : "a data record (kind 2) or the trailer record (kind 8)")
            }
            let kind = reader.byte(at: 1)
            if kind == Transfer.recordKind {
                let transfer = try Transfer(reader: reader)
                transfers.append(transfer)
                total += transfer.amount
            } else if kind == trailerKind, !transfers.isEmpty {
                trailer = reader
                break
            } else if kind == trailerKind {
                throw ZenginError.noTransfers
            } else {
                try expect(reader, kind: Transfer.recordKind, named: "a data record (kind 2) or the trailer record (kind 8)")
            }
        }

        let count = try trailer.number(at: 2, width: 6, field: "record count")
        guard count == transfers.count else {
            throw ZenginError.trailerMismatch(
                record: trailer.record, field: "record count", stated: count, computed: transfers.count)
        }
        let statedTotal = try trailer.number(at: 8, width: 12, field: "amount total")
        guard statedTotal == total else {
            throw ZenginError.trailerMismatch(
                record: trailer.record, field: "amount total", stated: statedTotal, computed: total)
        }

        guard let end = try splitter.next() else {
            throw ZenginError.unexpectedEnd(afterRecord: splitter.record, expected: "the end record (kind 9)")
        }
        try expect(end, kind: endKind, named: "the end record (kind 9)")
        guard splitter.isAtEnd else {
            throw ZenginError.invalidRecord(
                record: end.record + 1,
                detail: "\(splitter.remainingCount) bytes follow the end record; it must be the last record")
        }
        return TransferFile(header: header, transfers: transfers)
    }

    private static func expect(_ reader: RecordReader, kind: UInt8, named expected: String) throws {
        let found = reader.byte(at: 1)
        guard found != kind else { return }
        throw ZenginError.invalidRecord(
            record: reader.record,
            detail: "is \(describe(kind: found)) where \(expected) belongs")
    }

    private static func describe(kind: UInt8) -> String {
        switch kind {
        case TransferHeader.recordKind: "a header record (kind 1)"
        case Transfer.recordKind: "a data record (kind 2)"
        case trailerKind: "a trailer record (kind 8)"
        case endKind: "an end record (kind 9)"
        default: "of unknown kind '\(RecordReader.printable([kind][...]))'"
        }
    }
}
