extension MustacheValue {
    /// `s` with `& < > " '` replaced by character references, safe inside element text and
    /// quoted attribute values.
    ///
    /// Pages that build HTML outside templates use this so that they escape exactly as `{{name}}` does.
    public static func htmlEscaped(_ s: String) -> String {
        guard s.utf8.contains(where: needsHTMLEscaping) else { return s }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count + 16)
        appendHTMLEscaped(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func needsHTMLEscaping(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "'"):
            return true
        default:
            return false
        }
    }

    static func appendHTMLEscaped(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendHTMLEscaped($0, to: &out) }
    }

    /// Copies in runs between special characters, so text that needs no escaping costs one copy.
    static func appendHTMLEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var runStart = 0
        for index in 0..<bytes.count {
            let reference: StaticString
            switch bytes[index] {
            case UInt8(ascii: "&"): reference = "&amp;"
            case UInt8(ascii: "<"): reference = "&lt;"
            case UInt8(ascii: ">"): reference = "&gt;"
            case UInt8(ascii: "\""): reference = "&quot;"
            case UInt8(ascii: "'"): reference = "&#39;"
            default: continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<index]))
            out.append(contentsOf: UnsafeBufferPointer(start: reference.utf8Start, count: reference.utf8CodeUnitCount))
            runStart = index + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart...]))
    }
}
