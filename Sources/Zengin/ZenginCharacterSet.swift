/// The single-byte characters (JIS X 0201) that C fields may hold, by kind of field.
///
/// Strings hold these characters as Unicode: the ASCII range as itself and half-width katakana
/// U+FF61–U+FF9F, which map onto bytes 0xA1–0xDF. Byte 0x5C is the yen sign in JIS X 0201 but is
/// kept as `\` here, as the format's own documentation writes it.
enum ZenginCharacterSet {
    static func byte(for scalar: Unicode.Scalar) -> UInt8? {
        switch scalar.value {
        case 0x20...0x7E: UInt8(scalar.value)
        case 0xFF61...0xFF9F: UInt8(scalar.value - 0xFF61 + 0xA1)
        default: nil
        }
    }

    static func scalar(for byte: UInt8) -> Unicode.Scalar? {
        switch byte {
        case 0x20...0x7E: Unicode.Scalar(byte)
        case 0xA1...0xDF: Unicode.Scalar(UInt32(byte) - 0xA1 + 0xFF61)
        default: nil
        }
    }

    /// Appends the UTF-8 form of a byte that `allows(_:in:)` accepted; building the string from UTF-8 in one go is
    /// far cheaper than appending scalars one at a time.
    static func appendUTF8(of byte: UInt8, to utf8: inout [UInt8]) {
        switch byte {
        case 0x20...0x7E:
            utf8.append(byte)
        case 0xA1...0xBF:
            utf8 += [0xEF, 0xBD, byte]  // U+FF61–U+FF7F
        case 0xC0...0xDF:
            utf8 += [0xEF, 0xBE, byte - 0x40]  // U+FF80–U+FF9F
        default:
            preconditionFailure("byte \(byte) is not a JIS X 0201 character; check with allows(_:in:) first")
        }
    }

    static func allows(_ byte: UInt8, in kind: ZenginKana.Kind) -> Bool {
        switch byte {
        // ｱ–ﾝ, then ﾞ and ﾟ as separate bytes. Small kana (0xA7–0xAF) and ｰ (0xB0) are refused.
        case 0xB1...0xDF: true
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: " "):
            true
        case UInt8(ascii: "-"): true
        case UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "."): kind != .bankName
        // \ ｢ ｣ / and ｦ exist for EDI information only.
        case UInt8(ascii: "\\"), UInt8(ascii: "/"), 0xA2, 0xA3, 0xA6: kind == .edi
        default: false
        }
    }

    /// The first character of `text` that a field of `kind` refuses, if any.
    static func firstRefused(in text: String, kind: ZenginKana.Kind) -> Unicode.Scalar? {
        text.unicodeScalars.first { scalar in
            guard let byte = byte(for: scalar) else { return true }
            return !allows(byte, in: kind)
        }
    }

    /// What a field of `kind` accepts, for error messages.
    static func summary(of kind: ZenginKana.Kind) -> String {
        switch kind {
        case .name: "half-width katakana, A-Z, 0-9, space and ( ) - ."
        case .bankName: "half-width katakana, A-Z, 0-9, space and -"
        case .edi: "half-width katakana, A-Z, 0-9, space and ( ) - . \\ ｢ ｣ /"
        }
    }
}
