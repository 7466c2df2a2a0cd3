import CGI
import Testing

/// Parsing behaviour, with files measured but not stored.
@Suite struct MultipartParserTests {
    private let boundary = "----WebKitFormBoundary7MA4YWxkTrZu0gW"

    private func parse(_ body: [UInt8], limits: FormLimits = FormLimits()) throws -> MultipartResult {
        try MultipartParser(boundary: boundary, limits: limits, storage: .discard).parse(body)
    }

    private func parse(_ text: String, limits: FormLimits = FormLimits()) throws -> MultipartResult {
        try parse(Array(text.utf8), limits: limits)
    }

    @Test func parsesFieldsAndFilesInOrder() throws {
        let body = multipartBody(boundary: boundary, [
            .field("name", "山田 太郎"),
            .field("item_description", "時計\r\n箱あり"),
            .file("id_front", fileName: "front.jpg", type: "image/jpeg", jpegLikeBytes(40)),
            .field("item_description", ""),
        ])
        let result = try parse(body)
        #expect(result.fields.fields == [
            FormField(name: "name", value: "山田 太郎"),
            FormField(name: "item_description", value: "時計\r\n箱あり"),
            FormField(name: "item_description", value: ""),
        ])
        #expect(result.files == [UploadedFile(
            fieldName: "id_front", fileName: "front.jpg", declaredContentType: "image/jpeg",
            path: "", size: 40, head: Array(jpegLikeBytes(16)))])
        #expect(result.files[0].kind == .jpeg)
    }

    @Test func sameResultWhateverTheReadSizes() throws {
        let body = multipartBody(boundary: boundary, [
            .field("a", "1"),
            .file("f", fileName: "x.bin", jpegLikeBytes(5000)),
            .field("b", String(repeating: "\r\n-", count: 300)),
        ])
        let expected = try parse(body)
        let parser = try MultipartParser(boundary: boundary, storage: .discard)
        for seed in 1...20 {
            var source = DribbleSource(body, seed: UInt64(seed) &* 0x2545_F491_4F6C_DD1D)
            #expect(try parser.parse(&source) == expected)
        }
        for size in [1, 2, 3, 41, 42, 43, 44, 1000] {
            var source = FixedChunkSource(body, size: size)
            #expect(try parser.parse(&source) == expected)
        }
        let small = try MultipartParser(boundary: boundary, storage: .discard, chunkSize: 5)
        #expect(try small.parse(body) == expected)
    }

    /// Records the largest read it was asked for.
    private struct ReadSizeRecorder: ByteSource {
        var inner: ByteArraySource
        var largestRequest = 0

        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
            largestRequest = max(largestRequest, buffer.count)
            return try inner.read(into: buffer)
        }
    }

    @Test func readsInChunksOfTheChunkSize() throws {
        let body = multipartBody(boundary: boundary, [.file("f", fileName: "big.bin", jpegLikeBytes(300_000))])
        var source = ReadSizeRecorder(inner: ByteArraySource(body))
        let result = try MultipartParser(boundary: boundary, storage: .discard).parse(&source)
        #expect(result.files.first?.size == 300_000)
        #expect(source.largestRequest == MultipartParser.defaultChunkSize)
        #expect(source.inner.position == body.count)
    }

    @Test func contentThatAlmostMatchesTheBoundaryIsKept() throws {
        // A CRLF and dashes, then the boundary without the leading CRLF, then a prefix of it.
        let tricky = "\r\n--\r\n-\(boundary)\r\n--\(boundary.dropLast())"
        let body = multipartBody(boundary: boundary, [.field("a", tricky)])
        var source = DribbleSource(body)
        let result = try MultipartParser(boundary: boundary, storage: .discard).parse(&source)
        #expect(result.fields["a"] == tricky)
    }

    @Test func skipsPreambleAndEpilogue() throws {
        let body = "This is the preamble.\r\n--\(boundary)\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n"
            + "--\(boundary)--\r\nThis is the epilogue, ignored.\r\n--\(boundary)\r\n"
        #expect(try parse(body).fields == ["a": "1"])
    }

    @Test func acceptsTransportPaddingAndAMissingFinalCRLF() throws {
        let body = "--\(boundary) \t\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--\(boundary)--"
        #expect(try parse(body).fields == ["a": "1"])
    }

    @Test func emptyFormIsJustTheCloseDelimiter() throws {
        #expect(try parse("--\(boundary)--\r\n") == MultipartResult(fields: FormFields(), files: []))
    }

    @Test func boundaryInQuotesFromTheContentType() throws {
        let type = try MediaType(parsing: "multipart/form-data; boundary=\"simple boundary\"")
        let parser = try MultipartParser(contentType: type, storage: .discard)
        #expect(parser.boundary == "simple boundary")
        let body = "--simple boundary\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n--simple boundary--\r\n"
        #expect(try parser.parse(Array(body.utf8)).fields == ["a": "x"])
    }

    @Test func headerNamesAreCaseInsensitiveAndUnknownOnesIgnored() throws {
        let body = "--\(boundary)\r\ncontent-disposition: FORM-DATA; NAME=\"a\"\r\nX-Extra: 1\r\n"
            + "Content-Transfer-Encoding: 8bit\r\n\r\nv\r\n--\(boundary)--\r\n"
        #expect(try parse(body).fields == ["a": "v"])
    }

    @Test func foldedHeaderLinesAreJoined() throws {
        let body = "--\(boundary)\r\nContent-Disposition: form-data;\r\n name=\"a\"\r\n\r\nv\r\n--\(boundary)--\r\n"
        #expect(try parse(body).fields == ["a": "v"])
    }

    @Test func fileNameStarWinsAndNamesAreSanitized() throws {
        let body = multipartBody(boundary: boundary, [
            TestPart(
                headers: [#"Content-Disposition: form-data; name="f"; filename="fallback.jpg"; filename*=UTF-8''%E5%85%8D%E8%A8%B1.jpg"#],
                body: [1]),
            TestPart(headers: [#"Content-Disposition: form-data; name="g"; filename="C:\Users\me\photo.png""#], body: [2]),
            TestPart(headers: ["Content-Disposition: form-data; name=\"h\"; filename=\"a\u{202E}gpj.exe\""], body: [3]),
            TestPart(headers: [#"Content-Disposition: form-data; name="i"; filename*=iso-8859-1'en'caf%E9.pdf"#], body: [4]),
        ])
        let result = try parse(body)
        #expect(result.files.map(\.fileName) == ["免許.jpg", "photo.png", "agpj.exe", "café.pdf"])
        #expect(result.files.map(\.declaredContentType) == [nil, nil, nil, nil])
    }

    @Test func emptyFileInputIsSkipped() throws {
        let body = multipartBody(boundary: boundary, [
            .file("id_back", fileName: "", []),
            .field("a", "1"),
            .file("id_front", fileName: "empty.jpg", []),
        ])
        let result = try parse(body)
        #expect(result.fields == ["a": "1"])
        #expect(result.files.map(\.fieldName) == ["id_front"])
        #expect(result.files.first?.size == 0)
        #expect(result.files.first?.head == [])
    }

    // MARK: Malformed bodies

    @Test(arguments: [
        ("", "multipart body has no boundary \"B\""),
        ("--other\r\n\r\n", "multipart body has no boundary \"B\""),
        ("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1",
         "part 1 (\"a\"): multipart body ended before the closing boundary"),
        ("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n1\r\n--B",
         "multipart body ended inside the boundary after part 1"),
        ("--B\r\nContent-Disposition: form-data; name=\"a\"", "part 1: multipart body ended inside the headers"),
        ("--B", "multipart body ended inside the first boundary"),
        ("--BX\r\n", "the first boundary is not followed by CRLF"),
        ("--B\nContent-Disposition: form-data; name=\"a\"\n\n1\n--B--", "the first boundary is not followed by CRLF"),
        ("--B\r\n\r\nv\r\n--B--", "part 1: no Content-Disposition header"),
        ("--B\r\nContent-Disposition: attachment; name=\"a\"\r\n\r\nv\r\n--B--",
         "part 1: Content-Disposition is \"attachment\", not form-data"),
        ("--B\r\nContent-Disposition: form-data; filename=\"a\"\r\n\r\nv\r\n--B--", "part 1: Content-Disposition has no name"),
        ("--B\r\nContent-Disposition: form-data; name=\"a\r\n\r\nv\r\n--B--",
         "part 1: Content-Disposition has an unterminated quoted string at byte 17"),
        ("--B\r\nContent-Disposition: form-data; name=a; name=b\r\n\r\nv\r\n--B--",
         "part 1: Content-Disposition repeats \"name\" at byte 25"),
        ("--B\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Disposition: form-data; name=\"b\"\r\n\r\nv\r\n--B--",
         "part 1: Content-Disposition given twice"),
        ("--B\r\nContent-Disposition: form-data; name=\"a\"\r\nContent-Transfer-Encoding: base64\r\n\r\ndg==\r\n--B--",
         "part 1: Content-Transfer-Encoding \"base64\" is not supported"),
        ("--B\r\nno colon here\r\n\r\nv\r\n--B--", "part 1: header line \"no colon here\" has no name"),
        ("--B\r\n continued\r\n\r\nv\r\n--B--", "part 1: headers start with a continuation line"),
        ("--B\r\nContent-Disposition: form-data; name=\"a\"\rX: y\r\n\r\nv\r\n--B--", "part 1: bare CR or LF in the headers"),
        ("--B\r\nContent-Disposition: form-data; name=\"f\"; filename*=bad\r\n\r\nv\r\n--B--",
         "part 1: filename* is not charset'language'value"),
        ("--B\r\nContent-Disposition: form-data; name=\"f\"; filename*=UTF-8''%ZZ\r\n\r\nv\r\n--B--",
         "part 1: filename* has an invalid percent escape"),
        ("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nv\r\n--B\r\n\r\nw\r\n--B--",
         "part 2: no Content-Disposition header"),
    ])
    func refusesMalformedBodies(text: String, problem: String) throws {
        let parser = try MultipartParser(boundary: "B", storage: .discard)
        #expect(throws: CGIError.malformed(problem)) { try parser.parse(Array(text.utf8)) }
        var dribble = DribbleSource(Array(text.utf8))
        #expect(throws: CGIError.malformed(problem)) { try parser.parse(&dribble) }
    }

    @Test func refusesTextFieldsThatAreNotUTF8() throws {
        let body = Array("--B\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n".utf8) + [0xE3, 0x81]
            + Array("\r\n--B--".utf8)
        #expect(throws: CGIError.malformed("part 1: value of \"a\" is not UTF-8")) {
            try MultipartParser(boundary: "B", storage: .discard).parse(body)
        }
    }

    @Test(arguments: ["", String(repeating: "x", count: 71), "ends in space ", "semi;colon", "ü"])
    func refusesInvalidBoundaries(boundary: String) {
        #expect(throws: CGIError.self) { try MultipartParser(boundary: boundary, storage: .discard) }
    }

    @Test func contentTypeMustBeMultipartFormDataWithBoundary() throws {
        #expect(throws: CGIError.unsupportedMediaType("multipart/mixed")) {
            try MultipartParser(contentType: MediaType(parsing: "multipart/mixed; boundary=x"), storage: .discard)
        }
        #expect(throws: CGIError.malformed("CONTENT_TYPE multipart/form-data has no boundary")) {
            try MultipartParser(contentType: MediaType(parsing: "multipart/form-data"), storage: .discard)
        }
    }

    // MARK: Limits

    @Test func textFieldOverItsCapIsTooLarge() throws {
        let limits = FormLimits(maxFieldBytes: 100)
        #expect(try parse(multipartBody(boundary: boundary, [.field("a", String(repeating: "x", count: 100))]), limits: limits)
            .fields["a"]?.count == 100)
        #expect(throws: CGIError.tooLarge) {
            try parse(multipartBody(boundary: boundary, [.field("a", String(repeating: "x", count: 101))]), limits: limits)
        }
    }

    @Test func fieldAndFileCountsAreCapped() {
        let fields = (0..<4).map { TestPart.field("f\($0)", "v") }
        #expect(throws: CGIError.tooLarge) {
            try parse(multipartBody(boundary: boundary, fields), limits: FormLimits(maxFields: 3))
        }
        let files = (0..<3).map { TestPart.file("f\($0)", fileName: "", []) }
        #expect(throws: CGIError.tooLarge) {
            try parse(multipartBody(boundary: boundary, files), limits: FormLimits(maxFiles: 2))
        }
    }

    @Test func headerBlockOverItsCapIsTooLarge() throws {
        let header = "Content-Disposition: form-data; name=\"a\"\r\nX-Pad: " + String(repeating: "p", count: 200)
        let body = Array("--\(boundary)\r\n\(header)\r\n\r\nv\r\n--\(boundary)--\r\n".utf8)
        let exact = header.utf8.count
        #expect(try parse(body, limits: FormLimits(maxPartHeaderBytes: exact)).fields == ["a": "v"])
        #expect(throws: CGIError.tooLarge) { try parse(body, limits: FormLimits(maxPartHeaderBytes: exact - 1)) }
        let parser = try MultipartParser(boundary: boundary, limits: FormLimits(maxPartHeaderBytes: exact - 1), storage: .discard)
        var dribble = DribbleSource(body)
        #expect(throws: CGIError.tooLarge) { try parser.parse(&dribble) }
    }

    @Test func fileOverItsCapIsTooLarge() throws {
        let body = multipartBody(boundary: boundary, [.file("f", fileName: "a.jpg", jpegLikeBytes(1001))])
        #expect(throws: CGIError.tooLarge) { try parse(body, limits: FormLimits(maxFileBytes: 1000)) }
        #expect(try parse(body, limits: FormLimits(maxFileBytes: 1001)).files.first?.size == 1001)
    }
}
