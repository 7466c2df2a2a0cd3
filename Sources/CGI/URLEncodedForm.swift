/// `application/x-www-form-urlencoded` (WHATWG URL §5), decoded strictly: where browsers repair a
/// stray `%` or invalid UTF-8, this refuses it, since no browser produces either.
///
/// Pure functions with no I/O, so they can be fuzzed directly.
public enum URLEncodedForm {
    /// Decodes a body or query string into fields, in order, repeated names kept.
    ///
    /// `+` is a space; `%XX` is a byte; empty sequences between `&`s are skipped; a sequence
    /// without `=` is a name with an empty value.
    ///
    /// - Throws: `CGIError.malformed` naming the byte offset of a bad percent escape or the field
    ///   whose name or value is not UTF-8; `CGIError.tooLarge` past `limits`.
    public static func decode(_ bytes: [UInt8], limits: FormLimits = FormLimits()) throws -> FormFields {
        var fields = FormFields()
        var start = 0
        while start <= bytes.count {
            let end = bytes[start...].firstIndex(of: ASCII.ampersand) ?? bytes.count
            if end > start {
                guard fields.count < limits.maxFields else { throw CGIError.tooLarge }
                let equals = bytes[start..<end].firstIndex(of: ASCII.equals)
                guard let name = try decodedText(bytes, start..<(equals ?? end)) else {
                    throw CGIError.malformed("urlencoded form: field name at byte \(start) is not UTF-8")
                }
                var value = ""
                if let equals {
                    guard let decoded = try decodedText(bytes, (equals + 1)..<end) else {
                        throw CGIError.malformed("urlencoded form: value of \"\(name)\" at byte \(equals + 1) is not UTF-8")
                    }
                    value = decoded
                }
                try fields.append(name: name, value: value, limits: limits)
            }
            start = end + 1
        }
        return fields
    }

    /// Encodes fields the way browsers do, so that `decode` gives them back.
    public static func encode(_ fields: FormFields) -> String {
        var bytes: [UInt8] = []
        for (index, field) in fields.enumerated() {
            if index > 0 { bytes.append(ASCII.ampersand) }
            appendEncoded(field.name, to: &bytes)
            bytes.append(ASCII.equals)
            appendEncoded(field.value, to: &bytes)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The text of `range`, percent-decoded; nil when it is not UTF-8. Most fields of a post
    /// (codes, numbers, choices) are plain ASCII with no `+` or `%`: they are read in place, with
    /// nothing to decode or validate. Japanese text arrives percent-encoded and is decoded, then
    /// validated.
    private static func decodedText(_ bytes: [UInt8], _ range: Range<Int>) throws -> String? {
        try bytes.withUnsafeBufferPointer { buffer in
            let field = UnsafeBufferPointer(rebasing: buffer[range])
            if !field.contains(where: { $0 >= 0x80 || $0 == ASCII.percent || $0 == ASCII.plus }) {
                return String(decoding: field, as: UTF8.self)
            }
            return decodeUTF8(try percentDecoded(bytes, range))
        }
    }

    private static func percentDecoded(_ bytes: [UInt8], _ range: Range<Int>) throws -> [UInt8] {
        var decoded: [UInt8] = []
        decoded.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            if byte == ASCII.plus {
                decoded.append(ASCII.space)
                index += 1
            } else if byte == ASCII.percent {
                guard index + 2 < range.upperBound,
                      let high = ASCII.hexValue(bytes[index + 1]),
                      let low = ASCII.hexValue(bytes[index + 2])
                else {
                    throw CGIError.malformed("urlencoded form: invalid percent escape at byte \(index)")
                }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(byte)
                index += 1
            }
        }
        return decoded
    }

    private static func appendEncoded(_ text: String, to bytes: inout [UInt8]) {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "*"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"):
                bytes.append(byte)
            case ASCII.space:
                bytes.append(ASCII.plus)
            default:
                bytes.append(ASCII.percent)
                bytes.append(hexDigits[Int(byte >> 4)])
                bytes.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }
}
