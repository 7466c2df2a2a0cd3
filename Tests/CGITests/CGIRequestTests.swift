import CGI
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct CGIRequestTests {
    private let post: [String: String] = [
        "REQUEST_METHOD": "POST",
        "SCRIPT_NAME": "/cgi-bin/kaitori",
        "PATH_INFO": "/review/abc123",
        "QUERY_STRING": "lang=ja&x=%E3%81%82",
        "CONTENT_TYPE": "application/x-www-form-urlencoded",
        "CONTENT_LENGTH": "12",
        "REMOTE_ADDR": "192.0.2.7",
        "HTTP_USER_AGENT": "Test/1.0",
        "HTTP_X_FORWARDED_FOR": "198.51.100.1",
    ]

    private func request(_ changes: [String: String?]) throws -> CGIRequest {
        var environment = post
        for (name, value) in changes { environment[name] = value }
        return try CGIRequest(environment: environment)
    }

    @Test func readsTheRequestVariables() throws {
        let request = try CGIRequest(environment: post)
        #expect(request.method == "POST")
        #expect(request.scriptName == "/cgi-bin/kaitori")
        #expect(request.pathInfo == "/review/abc123")
        #expect(request.queryString == "lang=ja&x=%E3%81%82")
        #expect(request.contentType?.essence == "application/x-www-form-urlencoded")
        #expect(request.contentLength == 12)
        #expect(request.remoteAddr == "192.0.2.7")
        #expect(try request.queryFields()["x"] == "あ")
    }

    @Test func absentOptionalVariablesHaveDefaults() throws {
        let request = try CGIRequest(environment: ["REQUEST_METHOD": "GET"])
        #expect(request.pathInfo == "")
        #expect(request.scriptName == "")
        #expect(request.queryString == "")
        #expect(request.contentType == nil)
        #expect(request.contentLength == nil)
        #expect(request.remoteAddr == nil)
        #expect(try request.queryFields().isEmpty)
    }

    @Test func emptyContentVariablesMeanNone() throws {
        let request = try self.request(["CONTENT_TYPE": "", "CONTENT_LENGTH": ""])
        #expect(request.contentType == nil)
        #expect(request.contentLength == nil)
    }

    @Test func headersComeFromHTTPVariables() throws {
        let request = try CGIRequest(environment: post)
        #expect(request.header("User-Agent") == "Test/1.0")
        #expect(request.header("user-agent") == "Test/1.0")
        #expect(request.header("X-Forwarded-For") == "198.51.100.1")
        #expect(request.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(request.header("content-length") == "12")
        #expect(request.header("Cookie") == nil)
    }

    @Test func refusesAMissingOrInvalidMethod() {
        #expect(throws: CGIError.malformed("REQUEST_METHOD is missing")) { try request(["REQUEST_METHOD": nil]) }
        #expect(throws: CGIError.malformed("REQUEST_METHOD \"PO ST\" is not a method name")) {
            try request(["REQUEST_METHOD": "PO ST"])
        }
    }

    @Test(arguments: ["-1", "+12", "12 ", "1e3", "０"])
    func refusesContentLengthThatIsNotDigits(text: String) {
        #expect(throws: CGIError.malformed("CONTENT_LENGTH \"\(text)\" is not a byte count")) {
            try request(["CONTENT_LENGTH": text])
        }
    }

    @Test func contentLengthBeyondIntIsTooLarge() throws {
        #expect(try request(["CONTENT_LENGTH": "0009"]).contentLength == 9)
        #expect(throws: CGIError.tooLarge) { try request(["CONTENT_LENGTH": "99999999999999999999999"]) }
    }

    @Test func refusesAnUnparsableContentType() {
        #expect(throws: CGIError.malformed("CONTENT_TYPE \"text\": expected \"/\" at byte 4")) {
            try request(["CONTENT_TYPE": "text"])
        }
    }

    @Test func processEnvironmentIsRead() throws {
        let environment = CGIRequest.processEnvironment()
        // Every process the test runner starts has a PATH; it is the variable getenv sees.
        let path = try #require(environment["PATH"])
        #expect(!path.isEmpty)
        // Every variable as getenv(3) gives it (the first of a repeated name, the whole value after
        // the first "="); read only, as other tests run alongside.
        #expect(environment.count > 1)
        for (name, value) in environment {
            #expect(getenv(name).map { String(cString: $0) } == value, "\(name)")
        }
    }

    // MARK: Body

    @Test func readsExactlyContentLengthBytes() throws {
        let request = try self.request(["CONTENT_LENGTH": "5"])
        let source = RecordingSource(Array("a=1&b=2-trailing".utf8))
        #expect(try request.readBody(from: source, limit: 100) == Array("a=1&b".utf8))
        #expect(source.bytesServed == 5)
    }

    @Test func shortBodyIsMalformed() throws {
        let request = try self.request(["CONTENT_LENGTH": "10"])
        #expect(throws: CGIError.malformed("request body ended after 3 of 10 bytes (CONTENT_LENGTH)")) {
            try request.readBody(from: ByteArraySource(Array("a=1".utf8)), limit: 100)
        }
    }

    @Test func tooLargeContentLengthIsRefusedBeforeAnyRead() throws {
        let request = try self.request(["CONTENT_LENGTH": "101"])
        let source = RecordingSource(Array(repeating: UInt8(ascii: "a"), count: 101))
        #expect(throws: CGIError.tooLarge) { try request.readBody(from: source, limit: 100) }
        #expect(throws: CGIError.tooLarge) { try request.body(from: source, limit: 100) }
        #expect(throws: CGIError.tooLarge) {
            try request.readForm(from: source, maxBodyBytes: 100, uploads: .discard)
        }
        #expect(source.readCount == 0)
    }

    @Test func missingContentLengthIsAnEmptyBody() throws {
        let request = try self.request(["CONTENT_LENGTH": nil])
        let source = RecordingSource(Array("ignored".utf8))
        #expect(try request.readBody(from: source, limit: 100) == [])
        #expect(source.readCount == 0)
    }

    @Test func readFormDecodesURLEncoded() throws {
        let body = Array("name=%E5%B1%B1%E7%94%B0&item=a&item=b".utf8)
        let request = try self.request(["CONTENT_LENGTH": String(body.count)])
        let result = try request.readForm(from: DribbleSource(body), maxBodyBytes: 1000, uploads: nil)
        #expect(result.fields["name"] == "山田")
        #expect(result.fields.all("item") == ["a", "b"])
        #expect(result.files.isEmpty)
    }

    @Test func readFormParsesMultipart() throws {
        let body = multipartBody(boundary: "XyZ", [.field("decision", "all"), .file("id_front", fileName: "a.png", [0x89, 0x50])])
        let request = try self.request([
            "CONTENT_TYPE": "multipart/form-data; boundary=XyZ", "CONTENT_LENGTH": String(body.count),
        ])
        let result = try request.readForm(from: ByteArraySource(body), maxBodyBytes: 1000, uploads: .discard)
        #expect(result.fields["decision"] == "all")
        #expect(result.file("id_front")?.head == [0x89, 0x50])
    }

    @Test func readFormRefusesOtherMediaTypes() throws {
        let body = multipartBody(boundary: "XyZ", [.field("a", "b")])
        let multipart = try request([
            "CONTENT_TYPE": "multipart/form-data; boundary=XyZ", "CONTENT_LENGTH": String(body.count),
        ])
        #expect(throws: CGIError.unsupportedMediaType("multipart/form-data on this route")) {
            try multipart.readForm(from: ByteArraySource(body), maxBodyBytes: 1000, uploads: nil)
        }
        let json = try request(["CONTENT_TYPE": "application/json"])
        #expect(throws: CGIError.unsupportedMediaType("application/json")) {
            try json.readForm(from: ByteArraySource([]), maxBodyBytes: 1000, uploads: .discard)
        }
        let untyped = try request(["CONTENT_TYPE": nil])
        #expect(throws: CGIError.unsupportedMediaType("a body without CONTENT_TYPE")) {
            try untyped.readForm(from: ByteArraySource([]), maxBodyBytes: 1000, uploads: nil)
        }
    }

    @Test func readFormWithoutBodyIsEmpty() throws {
        let request = try self.request(["CONTENT_TYPE": nil, "CONTENT_LENGTH": nil])
        let result = try request.readForm(from: RecordingSource([]), maxBodyBytes: 1000, uploads: nil)
        #expect(result == MultipartResult(fields: FormFields(), files: []))
    }
}
