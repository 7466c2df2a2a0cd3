/// Base64 (RFC 4648) for MIME bodies and RFC 2047 encoded-words; Messaging stays free of
/// Foundation, which would only be loaded for this.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func encode<C: Collection>(_ bytes: C) -> String where C.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let b0 = iterator.next() {
            let b1 = iterator.next()
            let b2 = iterator.next()
            let n = UInt32(b0) << 16 | UInt32(b1 ?? 0) << 8 | UInt32(b2 ?? 0)
            out.append(alphabet[Int(n >> 18 & 63)])
            out.append(alphabet[Int(n >> 12 & 63)])
            out.append(b1 == nil ? UInt8(ascii: "=") : alphabet[Int(n >> 6 & 63)])
            out.append(b2 == nil ? UInt8(ascii: "=") : alphabet[Int(n & 63)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The encoding cut into lines of at most `width` characters (MIME bodies: 76).
    static func lines<C: Collection>(_ bytes: C, width: Int = 76) -> [String] where C.Element == UInt8 {
        let text = Array(encode(bytes).utf8)
        return stride(from: 0, to: text.count, by: width).map {
            String(decoding: text[$0..<min($0 + width, text.count)], as: UTF8.self)
        }
    }
}
