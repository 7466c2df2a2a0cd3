import CGI
import Testing

@Suite struct URLEncodedFormTests {
    private func decode(_ text: String, limits: FormLimits = FormLimits()) throws -> FormFields {
        try URLEncodedForm.decode(Array(text.utf8), limits: limits)
    }

    @Test func decodesPlusAsSpaceAndPercentEscapes() throws {
        let fields = try decode("name=%E5%B1%B1%E7%94%B0+%E5%A4%AA%E9%83%8E&note=a%2Bb%26c%3Dd%25")
        #expect(fields["name"] == "山田 太郎")
        #expect(fields["note"] == "a+b&c=d%")
    }

    @Test func acceptsLowercaseHexAndRawUTF8() throws {
        let fields = try decode("a=%e3%81%82&b=あ")
        #expect(fields["a"] == "あ")
        #expect(fields["b"] == "あ")
    }

    @Test func keepsRepeatedNamesInOrder() throws {
        let fields = try decode("item=a&other=x&item=b&item=c")
        #expect(fields.all("item") == ["a", "b", "c"])
        #expect(fields["item"] == "a")
        #expect(fields.names == ["item", "other"])
        #expect(fields.count == 4)
        #expect(fields.map(\.name) == ["item", "other", "item", "item"])
    }

    @Test func emptyInputGivesNoFields() throws {
        #expect(try decode("").isEmpty)
        #expect(try decode("&&&").isEmpty)
    }

    @Test func nameWithoutEqualsHasEmptyValue() throws {
        let fields = try decode("agree&website=&x==y")
        #expect(fields["agree"] == "")
        #expect(fields["website"] == "")
        #expect(fields["x"] == "=y")
        #expect(fields["missing"] == nil)
    }

    @Test func plusInsideEscapeIsLiteral() throws {
        #expect(try decode("a=%2B+%20")["a"] == "+  ")
    }

    @Test(arguments: [
        ("a=%", 2), ("a=%4", 2), ("a=%G1", 2), ("a=%1G", 2), ("x=1&b%=2", 5), ("a=%%41", 2),
    ])
    func refusesBadPercentEscapes(input: String, offset: Int) {
        #expect(throws: CGIError.malformed("urlencoded form: invalid percent escape at byte \(offset)")) {
            try decode(input)
        }
    }

    @Test func refusesEscapeCutByAmpersand() {
        // `%4` then `&`: the escape may not borrow from the next field.
        #expect(throws: CGIError.malformed("urlencoded form: invalid percent escape at byte 2")) {
            try decode("a=%4&1=b")
        }
    }

    @Test func refusesInvalidUTF8InValues() {
        #expect(throws: CGIError.malformed("urlencoded form: value of \"name\" at byte 5 is not UTF-8")) {
            try decode("name=%E5%B1")
        }
        #expect(throws: CGIError.malformed("urlencoded form: value of \"a\" at byte 2 is not UTF-8")) {
            try URLEncodedForm.decode(Array("a=".utf8) + [0xC3, 0x28])
        }
    }

    @Test func refusesInvalidUTF8InNames() {
        #expect(throws: CGIError.malformed("urlencoded form: field name at byte 4 is not UTF-8")) {
            try decode("a=1&%FF=2")
        }
    }

    @Test func refusesMoreFieldsThanTheLimit() throws {
        let limits = FormLimits(maxFields: 3)
        #expect(try decode("a=1&b=2&c=3", limits: limits).count == 3)
        #expect(throws: CGIError.tooLarge) { try decode("a=1&b=2&c=3&d=4", limits: limits) }
    }

    @Test func refusesMoreBytesThanTheLimits() throws {
        #expect(try decode("ab=cd&e=f", limits: FormLimits(maxTotalBytes: 6)).byteCount == 6)
        #expect(throws: CGIError.tooLarge) { try decode("ab=cd&ef=g", limits: FormLimits(maxTotalBytes: 6)) }
        #expect(throws: CGIError.tooLarge) { try decode("a=12345", limits: FormLimits(maxFieldBytes: 4)) }
    }

    @Test func encodeRoundTrips() throws {
        let fields: FormFields = ["name": "山田 太郎", "note": "a+b&c=d%", "item": "x", "item": "~*-._"]
        let encoded = URLEncodedForm.encode(fields)
        #expect(encoded == "name=%E5%B1%B1%E7%94%B0+%E5%A4%AA%E9%83%8E&note=a%2Bb%26c%3Dd%25&item=x&item=%7E*-._")
        #expect(try decode(encoded) == fields)
    }
}
