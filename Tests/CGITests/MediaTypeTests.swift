import CGI
import Testing

@Suite struct MediaTypeTests {
    @Test func parsesTypeAndParametersCaseInsensitively() throws {
        let type = try MediaType(parsing: "Multipart/Form-Data; Boundary=----WebKitFormBoundaryAbC123; charset=UTF-8")
        #expect(type.essence == "multipart/form-data")
        #expect(type.parameter("boundary") == "----WebKitFormBoundaryAbC123")
        #expect(type.parameter("CHARSET") == "UTF-8")
        #expect(type.parameters.count == 2)
    }

    @Test func unquotesQuotedValues() throws {
        let type = try MediaType(parsing: #"multipart/form-data; boundary="a b:c\"d""#)
        #expect(type.parameter("boundary") == #"a b:c"d"#)
    }

    @Test func toleratesWhitespaceAndEmptyParameters() throws {
        let type = try MediaType(parsing: "  text/plain ;; charset=utf-8 ; ")
        #expect(type == MediaType(type: "text", subtype: "plain", parameters: ["charset": "utf-8"]))
    }

    @Test func descriptionParsesBack() throws {
        let type = try MediaType(parsing: #"multipart/form-data; boundary="x\"y"; a=b"#)
        #expect(type.description == #"multipart/form-data; a="b"; boundary="x\"y""#)
        #expect(try MediaType(parsing: type.description) == type)
    }

    @Test(arguments: [
        ("", "expected a type at byte 0"),
        ("text", "expected \"/\" at byte 4"),
        ("text/", "expected a subtype at byte 5"),
        ("text/plain charset=x", "expected \";\" at byte 11"),
        ("text/plain; charset", "expected \"=\" at byte 19"),
        ("text/plain; charset=", "expected a parameter value at byte 20"),
        ("text/plain; charset=\"utf-8", "unterminated quoted string at byte 26"),
        ("text/plain; a=1; A=2", "parameter \"a\" given twice at byte 20"),
    ])
    func refusesMalformedTypes(text: String, problem: String) {
        #expect(throws: CGIError.malformed("CONTENT_TYPE \"\(text)\": \(problem)")) {
            try MediaType(parsing: text, field: "CONTENT_TYPE")
        }
    }
}
