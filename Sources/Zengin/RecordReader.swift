/// Reads the fields of one 120-byte record by the 1-based positions of the format's tables.
struct RecordReader {
    let record: Int
    let bytes: ArraySlice<UInt8>

    init(record: Int, bytes: ArraySlice<UInt8>) {
        precondition(bytes.count == TransferFile.recordLength)
        self.record = record
        self.bytes = bytes
    }

    func byte(at position: Int) -> UInt8 {
        bytes[bytes.startIndex + position - 1]
    }

    func slice(at position: Int, width: Int) -> ArraySlice<UInt8> {
        let start = bytes.startIndex + position - 1
        return bytes[start..<(start + width)]
    }

    /// A numeric field kept as its digits (a code, where leading zeros matter).
    func code(at position: Int, width: Int, field: String) throws -> String {
        let field = try digits(at: position, width: width, field: field)
        return String(decoding: field, as: UTF8.self)
    }

    /// A numeric field read as a number.
    func number(at position: Int, width: Int, field: String) throws -> Int {
        try digits(at: position, width: width, field: field).reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
    }

    /// A text field with its trailing spaces removed; nil when the field is blank.
    func text(at position: Int, width: Int, kind: ZenginKana.Kind, field: String) throws -> String? {
        let raw = slice(at: position, width: width)
        var utf8: [UInt8] = []
        utf8.reserveCapacity(raw.count * 3)
        for (offset, byte) in raw.enumerated() {
            guard ZenginCharacterSet.allows(byte, in: kind) else {
                throw ZenginError.invalidField(
                    record: record, field: field,
                    detail: "byte 0x\(ZenginError.hex(UInt32(byte), width: 2)) at position \(position + offset) "
                        + "is not allowed; expected \(ZenginCharacterSet.summary(of: kind))")
            }
            ZenginCharacterSet.appendUTF8(of: byte, to: &utf8)
        }
        while utf8.last == UInt8(ascii: " ") {
            utf8.removeLast()
        }
        return utf8.isEmpty ? nil : String(decoding: utf8, as: UTF8.self)
    }

    /// A text field that may not be blank.
    func requiredText(at position: Int, width: Int, kind: ZenginKana.Kind, field: String) throws -> String {
        guard let text = try text(at: position, width: width, kind: kind, field: field) else {
            throw ZenginError.invalidField(record: record, field: field, detail: "is empty")
        }
        return text
    }

    private func digits(at position: Int, width: Int, field: String) throws -> ArraySlice<UInt8> {
        let raw = slice(at: position, width: width)
        guard raw.allSatisfy(isDigit) else {
            throw ZenginError.invalidField(
                record: record, field: field,
                detail: "positions \(position)-\(position + width - 1) hold '\(Self.printable(raw))', not \(width) digits")
        }
        return raw
    }

    /// Bytes as text for messages, with anything unprintable shown as a dot.
    static func printable(_ bytes: ArraySlice<UInt8>) -> String {
        String(String.UnicodeScalarView(bytes.map { ZenginCharacterSet.scalar(for: $0) ?? "." }))
    }
}
