/// Byte constants and classes shared by the parsers, which work on UTF-8 bytes rather than on
/// `Character`s because HTTP syntax is defined over octets.
enum ASCII {
    static let tab: UInt8 = 0x09
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let quote: UInt8 = 0x22
    static let percent: UInt8 = 0x25
    static let ampersand: UInt8 = 0x26
    static let apostrophe: UInt8 = 0x27
    static let plus: UInt8 = 0x2B
    static let hyphen: UInt8 = 0x2D
    static let slash: UInt8 = 0x2F
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let equals: UInt8 = 0x3D
    static let backslash: UInt8 = 0x5C

    /// RFC 9110 `tchar`.
    static func isTokenCharacter(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"):
            return true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
             UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
             UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }

    /// The value of a hexadecimal digit, either case.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 0x20 : byte
    }
}

/// Lowercases ASCII letters only: header and parameter names are ASCII, and the Unicode-aware
/// `String.lowercased()` would also fold non-ASCII letters that must stay distinct.
func asciiLowercased(_ text: String) -> String {
    String(decoding: text.utf8.map(ASCII.lowercased), as: UTF8.self)
}

/// Decodes UTF-8, refusing (rather than repairing) invalid input.
///
/// Checked by `isWellFormedUTF8`, then decoded by `String(decoding:as:)`, whose check of valid text
/// is a fast loop over the buffer. The standard library's `String(validating:as:)` would do both in
/// one call, but it is generic and not specialized for our types: each call asks the Swift runtime
/// for the metadata of `UnsafeBufferPointer<UInt8>` again (about 5,000 instructions a call, 14
/// calls an application post, callgrind; docs/performance.md).
func decodeUTF8<Bytes: Collection>(_ bytes: Bytes) -> String? where Bytes.Element == UInt8 {
    if let decoded = bytes.withContiguousStorageIfAvailable({ decodeUTF8(buffer: $0) }) { return decoded }
    return Array(bytes).withUnsafeBufferPointer { decodeUTF8(buffer: $0) }
}

private func decodeUTF8(buffer: UnsafeBufferPointer<UInt8>) -> String? {
    isWellFormedUTF8(buffer) ? String(decoding: buffer, as: UTF8.self) : nil
}

/// Whether the bytes are well-formed UTF-8 (Unicode 15, table 3-7): no overlong forms, no
/// surrogates, nothing above U+10FFFF, no cut-off sequence.
func isWellFormedUTF8(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    var i = 0
    let n = bytes.count
    while i < n {
        let lead = bytes[i]
        if lead < 0x80 { i += 1; continue }
        // The allowed range of the second byte depends on the lead; later bytes are 80...BF.
        let length: Int, low: UInt8, high: UInt8
        switch lead {
        case 0xC2...0xDF: length = 2; low = 0x80; high = 0xBF
        case 0xE0: length = 3; low = 0xA0; high = 0xBF
        case 0xE1...0xEC, 0xEE...0xEF: length = 3; low = 0x80; high = 0xBF
        case 0xED: length = 3; low = 0x80; high = 0x9F
        case 0xF0: length = 4; low = 0x90; high = 0xBF
        case 0xF1...0xF3: length = 4; low = 0x80; high = 0xBF
        case 0xF4: length = 4; low = 0x80; high = 0x8F
        default: return false
        }
        guard n - i >= length, (low...high).contains(bytes[i + 1]) else { return false }
        for k in 2..<length where bytes[i + k] & 0xC0 != 0x80 { return false }
        i += length
    }
    return true
}
