/// Cuts a file into 120-byte records, accepting CR LF or no separator (the same throughout) and
/// refusing a lone LF or CR.
struct RecordSplitter {
    private let bytes: [UInt8]
    private var offset = 0
    private var separator: TransferFile.Separator?
    /// The number of the last record handed out.
    private(set) var record = 0

    private static let cr: UInt8 = 0x0D
    private static let lf: UInt8 = 0x0A

    init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    var isAtEnd: Bool { offset >= bytes.count }
    var remainingCount: Int { bytes.count - offset }

    mutating func next() throws -> RecordReader? {
        guard !isAtEnd else { return nil }
        record += 1
        let length = TransferFile.recordLength
        let end = min(offset + length, bytes.count)
        if let lineBreak = lineBreak(from: offset, limit: end) {
            throw ZenginError.invalidRecord(
                record: record, detail: "is \(lineBreak - offset) bytes long; records are \(length) bytes")
        }
        guard end - offset == length else {
            throw ZenginError.invalidRecord(
                record: record, detail: "is only \(end - offset) bytes long; records are \(length) bytes")
        }
        let reader = RecordReader(record: record, bytes: bytes[offset..<end])
        offset = end
        try consumeSeparator()
        return reader
    }

    private mutating func consumeSeparator() throws {
        guard !isAtEnd else { return }
        let found: TransferFile.Separator
        switch bytes[offset] {
        case Self.cr:
            guard offset + 1 < bytes.count, bytes[offset + 1] == Self.lf else {
                throw ZenginError.invalidRecord(
                    record: record, detail: "is followed by CR without LF; records are separated by CR LF or nothing")
            }
            found = .crlf
        case Self.lf:
            throw ZenginError.invalidRecord(
                record: record, detail: "is followed by LF without CR; records are separated by CR LF or nothing")
        default:
            // Unless the file has already shown it uses no separators, a line break just past
            // position 120 means this record is too long.
            if separator != TransferFile.Separator.none,
                let lineBreak = lineBreak(from: offset, limit: min(offset + TransferFile.recordLength, bytes.count)) {
                throw ZenginError.invalidRecord(
                    record: record,
                    detail: "is \(TransferFile.recordLength + lineBreak - offset) bytes long; "
                        + "records are \(TransferFile.recordLength) bytes")
            }
            found = .none
        }
        if let separator, separator != found {
            throw ZenginError.invalidRecord(
                record: record,
                detail: "is followed by \(Self.name(found)) but the records before it by \(Self.name(separator))")
        }
        separator = found
        offset += found.bytes.count
    }

    private func lineBreak(from start: Int, limit: Int) -> Int? {
        bytes[start..<limit].firstIndex { $0 == Self.cr || $0 == Self.lf }
    }

    private static func name(_ separator: TransferFile.Separator) -> String {
        switch separator {
        case .crlf: "CR LF"
        case .none: "no separator"
        }
    }
}
