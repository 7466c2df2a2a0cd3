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
}
