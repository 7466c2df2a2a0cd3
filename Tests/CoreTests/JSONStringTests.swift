import KaitoriCore
import Testing

/// Strings with escapes take the parser's slow path, which copies the plain runs between escapes
/// at once; every kind of escape and text around it must come back exactly.
struct JSONStringTests {
    @Test("escapes between runs of plain text, multibyte text included")
    func escapes() throws {
        let json = #"["<p>{{name}}</p>\n<p>\"引用\" \\ 続き</p>\t末尾", "\u65e5本\ud83d\ude00x", "a\/b", "", "\n"]"#
        let value = try JSONValue.parse(Array(json.utf8))
        #expect(value == .array([.string("<p>{{name}}</p>\n<p>\"引用\" \\ 続き</p>\t末尾"), .string("日本😀x"),
                                 .string("a/b"), .string(""), .string("\n")]))
    }

    @Test("a raw control character after an escape is refused, as before one")
    func controlCharacter() {
        #expect(throws: (any Error).self) { try JSONValue.parse(Array("[\"a\\nb\u{01}c\"]".utf8)) }
        #expect(throws: (any Error).self) { try JSONValue.parse(Array("[\"a\\nbc".utf8)) }
    }

    /// The string scanner reads eight bytes at a time, the last few as one word: an escape, a
    /// quote, a multibyte character or a raw control character at every position of strings of
    /// every short length, near the end of the document and farther from it, is found exactly there.
    @Test func specialBytesAreFoundAtEveryPosition() throws {
        let specials: [(written: String, decoded: String)] = [("\\n", "\n"), ("\\\"", "\""), ("日", "日"), ("\\u00e9", "é")]
        for length in 1...20 {
            for position in 0..<length {
                for special in specials {
                    var written = Array(repeating: "a", count: length), decoded = written
                    written[position] = special.written
                    decoded[position] = special.decoded
                    for after in ["", " ", "         "] {
                        let json = "[\"" + written.joined() + "\"]" + after
                        #expect(try JSONValue.parse(Array(json.utf8)) == .array([.string(decoded.joined())]), "\(json)")
                    }
                }
                var control = Array(repeating: "a", count: length)
                control[position] = "\u{01}"
                #expect(throws: (any Error).self) { try JSONValue.parse(Array(("[\"" + control.joined() + "\"]").utf8)) }
                #expect(throws: (any Error).self) { try JSONValue.parse(Array(("[\"" + String(repeating: "a", count: length)).utf8)) }
            }
        }
    }
}
