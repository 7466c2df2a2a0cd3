/// A CGI/1.1 request (RFC 3875) as the web server describes it in the environment.
///
/// The body is not read here: see `body(from:limit:)`, `readBody(from:limit:)` and
/// `readForm(from:maxBodyBytes:limits:uploads:)`, which check `CONTENT_LENGTH` against a limit
/// before reading anything.
public struct CGIRequest: Sendable {
    /// Every variable the request was built from.
    public let environment: [String: String]
    /// `REQUEST_METHOD`, as sent (methods are case-sensitive).
    public let method: String
    /// `PATH_INFO`, the path below the handler's `SCRIPT_NAME`; empty when absent.
    public let pathInfo: String
    /// `SCRIPT_NAME`, the handler's own path; empty when absent.
    public let scriptName: String
    /// `QUERY_STRING`, still URL-encoded; empty when absent.
    public let queryString: String
    /// `CONTENT_TYPE`, parsed; `nil` when absent or empty.
    public let contentType: MediaType?
    /// `CONTENT_LENGTH`; `nil` when absent or empty, which RFC 3875 uses for "no body".
    public let contentLength: Int?
    /// `REMOTE_ADDR`, the client (or proxy) address.
    public let remoteAddr: String?

    /// Reads the request variables.
    ///
    /// - Throws: `CGIError.malformed` naming the variable when `REQUEST_METHOD` is missing or not a
    ///   token, `CONTENT_LENGTH` is not decimal digits, or `CONTENT_TYPE` does not parse;
    ///   `CGIError.tooLarge` when `CONTENT_LENGTH` does not even fit in an `Int`.
    public init(environment: [String: String]) throws {
        self.environment = environment

        guard let method = environment["REQUEST_METHOD"], !method.isEmpty else {
            throw CGIError.malformed("REQUEST_METHOD is missing")
        }
        guard method.utf8.allSatisfy(ASCII.isTokenCharacter) else {
            throw CGIError.malformed("REQUEST_METHOD \"\(method)\" is not a method name")
        }
        self.method = method

        pathInfo = environment["PATH_INFO"] ?? ""
        scriptName = environment["SCRIPT_NAME"] ?? ""
        queryString = environment["QUERY_STRING"] ?? ""
        remoteAddr = environment["REMOTE_ADDR"]

        if let text = environment["CONTENT_TYPE"], !text.isEmpty {
            contentType = try MediaType(parsing: text, field: "CONTENT_TYPE")
        } else {
            contentType = nil
        }

        if let text = environment["CONTENT_LENGTH"], !text.isEmpty {
            // `Int(_:)` would also take a sign; RFC 3875 allows digits only.
            guard text.utf8.allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }) else {
                throw CGIError.malformed("CONTENT_LENGTH \"\(text)\" is not a byte count")
            }
            guard let length = Int(text) else { throw CGIError.tooLarge }
            contentLength = length
        } else {
            contentLength = nil
        }
    }

    /// A request header, by case-insensitive name (`header("User-Agent")` reads `HTTP_USER_AGENT`).
    ///
    /// `Content-Type` and `Content-Length` come from `CONTENT_TYPE` and `CONTENT_LENGTH`, where
    /// RFC 3875 puts them instead of `HTTP_*`.
    public func header(_ name: String) -> String? {
        let variable = String(decoding: name.utf8.map { byte -> UInt8 in
            if byte == ASCII.hyphen { return UInt8(ascii: "_") }
            if (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) { return byte - 0x20 }
            return byte
        }, as: UTF8.self)
        if variable == "CONTENT_TYPE" || variable == "CONTENT_LENGTH" {
            return environment[variable]
        }
        return environment["HTTP_" + variable]
    }

    /// The decoded query string.
    ///
    /// - Throws: as `URLEncodedForm.decode(_:limits:)`.
    public func queryFields(limits: FormLimits = FormLimits()) throws -> FormFields {
        try URLEncodedForm.decode(Array(queryString.utf8), limits: limits)
    }
}
