/// Builds one 120-byte record field by field, checking each value as it goes.
struct RecordWriter {
    let record: Int
    private(set) var bytes: [UInt8] = []

    init(record: Int) {
        self.record = record
        bytes.reserveCapacity(TransferFile.recordLength)
    }

    /// Writes a code that must have exactly `width` digits.
    mutating func code(_ value: String, width: Int, field: String) throws {
        let utf8 = Array(value.utf8)
        guard utf8.count == width, utf8.allSatisfy(isDigit) else {
            throw ZenginError.invalidField(
                record: record, field: field,
                detail: "'\(value)' is not \(width) digits")
        }
        bytes += utf8
    }

    /// Writes a number right-aligned and zero-filled.
    mutating func number(_ value: Int, width: Int, field: String) throws {
        let digits = Array(String(value).utf8)
        guard value >= 0, digits.count <= width else {
            throw ZenginError.invalidField(
                record: record, field: field,
                detail: "\(value) is not between 0 and \(String(repeating: "9", count: width))")
        }
        bytes += Array(repeating: UInt8(ascii: "0"), count: width - digits.count) + digits
    }

    /// Writes bank kana left-aligned and space-filled; nil or empty leaves the field blank.
    mutating func text(_ value: String?, width: Int, kind: ZenginKana.Kind, field: String, required: Bool) throws {
        let value = value ?? ""
        if required, value.allSatisfy({ $0 == " " }) {
            throw ZenginError.invalidField(record: record, field: field, detail: "is empty")
        }
        if let refused = ZenginCharacterSet.firstRefused(in: value, kind: kind) {
            throw ZenginError.invalidField(
                record: record, field: field,
                detail: "'\(refused)' (\(ZenginError.codePoints(String(refused)))) is not allowed; "
                    + "use \(ZenginCharacterSet.summary(of: kind))")
        }
        let encoded = value.unicodeScalars.compactMap(ZenginCharacterSet.byte(for:))
        guard encoded.count <= width else {
            throw ZenginError.invalidField(
                record: record, field: field,
                detail: "'\(value)' is \(encoded.count) characters long; at most \(width) fit")
        }
        bytes += encoded + Array(repeating: UInt8(ascii: " "), count: width - encoded.count)
    }

    mutating func byte(_ value: UInt8) {
        bytes.append(value)
    }

    mutating func literal(_ value: String) {
        bytes += value.utf8
    }

    mutating func filler(_ width: Int) {
        bytes += Array(repeating: UInt8(ascii: " "), count: width)
    }

    /// The finished record; every record writer must account for all 120 positions.
    func finish() -> [UInt8] {
        precondition(bytes.count == TransferFile.recordLength, "record \(record) is \(bytes.count) bytes")
        return bytes
    }
}

func isDigit(_ byte: UInt8) -> Bool {
    byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
}
