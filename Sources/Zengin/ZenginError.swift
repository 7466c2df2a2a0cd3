/// Why a transfer file could not be written or read, or a text could not be put into bank kana.
///
/// Records are numbered from 1 in file order: the header is record 1, `transfers[i]` is record
/// `i + 2`, then the trailer and the end record.
public enum ZenginError: Error, Equatable, Sendable, CustomStringConvertible {
    /// A field holds a value the format cannot carry.
    case invalidField(record: Int, field: String, detail: String)
    /// A record as a whole is wrong: its length, its separator, its kind or its place in the file.
    case invalidRecord(record: Int, detail: String)
    /// The trailer's count or sum disagrees with the data records.
    case trailerMismatch(record: Int, field: String, stated: Int, computed: Int)
    /// The file stops before the record it still needs (`expected` names it).
    case unexpectedEnd(afterRecord: Int, expected: String)
    /// A transfer file has to carry at least one transfer.
    case noTransfers
    /// Text holds a character that bank kana cannot express.
    case characterNotAllowed(field: String, character: String)
    /// Text does not fit its field once converted; it is never cut short.
    case tooLong(field: String, length: Int, maxLength: Int)

    public var description: String {
        switch self {
        case let .invalidField(record, field, detail):
            return "record \(record), \(field): \(detail)"
        case let .invalidRecord(record, detail):
            return "record \(record): \(detail)"
        case let .trailerMismatch(record, field, stated, computed):
            return "record \(record), \(field): the trailer states \(stated) but the data records give \(computed)"
        case let .unexpectedEnd(afterRecord, expected):
            if afterRecord == 0 {
                return "the file is empty; expected \(expected)"
            }
            return "the file ends after record \(afterRecord); expected \(expected)"
        case .noTransfers:
            return "a transfer file needs at least one transfer (data record)"
        case let .characterNotAllowed(field, character):
            return "\(field): '\(character)' (\(Self.codePoints(character))) cannot be written in bank kana"
        case let .tooLong(field, length, maxLength):
            return "\(field): \(length) characters in bank kana, but at most \(maxLength) fit (voiced marks count as characters)"
        }
    }

    static func codePoints(_ text: String) -> String {
        text.unicodeScalars.map { "U+" + hex($0.value, width: 4) }.joined(separator: " ")
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
