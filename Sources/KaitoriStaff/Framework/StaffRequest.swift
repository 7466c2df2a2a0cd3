#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CGI
import KaitoriCore

/// The parts of a CGI request the console uses: method, path, cookies, query and form.
struct StaffRequest {
    let cgi: CGIRequest
    let method: HTTPMethod
    /// `HEAD` is answered as `GET` without the body.
    let isHead: Bool
    /// `PATH_INFO`, `/` when empty.
    let path: String
    let cookies: [String: String]
    let query: [String: [String]]
    /// Where the body comes from: standard input, or bytes in tests.
    let body: any ByteSource

    /// - Throws: `StaffFailure` 405 for methods other than GET, HEAD and POST; 400 for a
    ///   malformed request or query string.
    init(environment: [String: String], body: any ByteSource) throws {
        self.body = body
        do {
            cgi = try CGIRequest(environment: environment)
        } catch let error as CGIError {
            throw StaffFailure(status: error.httpStatus, detail: error.message)
        }
        switch cgi.method {
        case "GET": method = .get; isHead = false
        case "HEAD": method = .get; isHead = true
        case "POST": method = .post; isHead = false
        default: throw StaffFailure(status: 405, detail: "method \(cgi.method) is not used by the console", allow: "GET, HEAD, POST")
        }
        path = cgi.pathInfo.isEmpty ? "/" : cgi.pathInfo
        cookies = Self.parseCookies(cgi.header("Cookie") ?? "")
        do {
            query = Self.grouped(try cgi.queryFields())
        } catch let error as CGIError {
            throw StaffFailure(status: 400, detail: "query string: \(error.message)")
        }
    }

    /// Whether the browser reached us over HTTPS (the session cookie is then `Secure`).
    var isHTTPS: Bool {
        let https = cgi.environment["HTTPS"]?.lowercased()
        return https == "on" || https == "1" || cgi.environment["REQUEST_SCHEME"]?.lowercased() == "https"
    }

    var remoteAddress: String { cgi.remoteAddr ?? "" }

    /// Whether the browser says the request came from another site (`Sec-Fetch-Site`); such a
    /// post is refused even before the CSRF token is looked at.
    var isCrossSite: Bool {
        cgi.header("Sec-Fetch-Site")?.lowercased() == "cross-site"
    }

    /// Reads the posted form: urlencoded, or multipart with its files read into memory and their
    /// temporary copies deleted at once.
    ///
    /// - Throws: `StaffFailure` 400, 413 or 415 as the CGI module judges the body.
    func readForm(site: String, settings: Settings) throws -> (fields: [String: [String]], files: [String: UploadedFormFile]) {
        let limits = FormLimits(maxFileBytes: settings.uploads.maxFileBytes)
        let scratch = site + "/var/staff-uploads"
        let storage: UploadStorage?
        if cgi.contentType?.essence == "multipart/form-data" {
            for dir in [site + "/var", scratch] where mkdir(dir, 0o700) != 0 && errno != EEXIST {
                throw StaffFailure(status: 503, detail: "cannot create \(dir): \(String(cString: strerror(errno)))")
            }
            storage = .directory(scratch)
        } else {
            storage = nil
        }
        let result: MultipartResult
        do {
            result = try cgi.readForm(from: body, maxBodyBytes: settings.uploads.maxRequestBytes,
                                      limits: limits, uploads: storage)
        } catch let error as CGIError {
            throw StaffFailure(status: error.httpStatus, detail: "form: \(error.message)")
        }
        defer { result.removeFiles() }
        var files: [String: UploadedFormFile] = [:]
        for file in result.files where files[file.fieldName] == nil && !(file.size == 0 && file.fileName.isEmpty) {
            guard let bytes = Self.readFile(file.path) else {
                throw StaffFailure(status: 500, detail: "cannot read the uploaded \(file.fieldName) back from \(scratch)")
            }
            files[file.fieldName] = UploadedFormFile(name: file.fileName,
                                                     contentType: file.declaredContentType ?? "application/octet-stream",
                                                     bytes: bytes)
        }
        return (Self.grouped(result.fields), files)
    }

    static func grouped(_ fields: FormFields) -> [String: [String]] {
        var out: [String: [String]] = [:]
        for field in fields { out[field.name, default: []].append(field.value) }
        return out
    }

    /// `Cookie: a=1; b=2` (RFC 6265 §5.4); the first of repeated names wins.
    static func parseCookies(_ header: String) -> [String: String] {
        var out: [String: String] = [:]
        for pair in header.split(separator: ";") {
            let trimmed = pair.trimmingSpaces
            guard let equals = trimmed.firstIndex(of: "=") else { continue }
            let name = String(trimmed[..<equals]).trimmingSpaces
            var value = String(trimmed[trimmed.index(after: equals)...]).trimmingSpaces
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
            if out[name] == nil { out[name] = value }
        }
        return out
    }

    private static func readFile(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { return nil }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count >= 0 else { return nil }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[..<count])
        }
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        var text = Substring(self)
        while let first = text.first, first == " " || first == "\t" { text = text.dropFirst() }
        while let last = text.last, last == " " || last == "\t" { text = text.dropLast() }
        return String(text)
    }
}

/// A request the framework refuses, with the status and a detail for the log (never shown).
struct StaffFailure: Error {
    let status: Int
    let detail: String
    var allow: String? = nil
}
