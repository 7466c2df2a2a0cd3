import CCurl
import KaitoriCore

/// Sends SMS through an HTTPS gateway with libcurl: each message is POSTed to `sms_http_url` as
/// a form with `to` (digits only) and `text`; a 2xx answer means sent. The certificate and host
/// name are always verified. `http://` is refused unless the host is a literal loopback address
/// (a relay on this machine). Credentials never sit in the URL (that is shop.yml text): they come
/// from `sms_http_auth_env` or `sms_http_auth_file` and are sent as Basic authorization.
public struct SMSHTTPTransport: MessageTransport {
    public var url: String
    public var timeout: Int
    public var totalTimeout: Int
    /// A PEM file of certificate authorities trusted instead of the system's (a private CA).
    public var trustedCertificates: String?
    /// `user:password` for Basic authorization.
    var credentials: String?
    private let secure: Bool
    private let host: String
    private let port: Int
    /// The URL without its query (which may hold a gateway key), for errors.
    private let shownURL: String

    /// - Throws: `DeliveryError.configuration` when `url` is not an https:// URL (or http:// to
    ///   a loopback address), or carries a user or password.
    public init(url: String, credentials: String? = nil, timeout: Int = 30, totalTimeout: Int = 120, trustedCertificates: String? = nil) throws {
        guard let parts = SMSHTTPTransport.parse(url) else {
            throw DeliveryError.configuration(key: "sms_http_url", message: "\(url) is not an https:// URL")
        }
        guard !parts.hasUserInfo else {
            throw DeliveryError.configuration(key: "sms_http_url", message: "the URL must not carry a user or password: name them with sms_http_auth_env or sms_http_auth_file")
        }
        guard parts.scheme == "https" || (parts.scheme == "http" && LoopbackAddress.isLiteral(parts.host)) else {
            throw DeliveryError.configuration(key: "sms_http_url", message: "\(url) is not an https:// URL (http:// only to a loopback address such as 127.0.0.1)")
        }
        if let credentials, !credentials.contains(":") {
            throw DeliveryError.configuration(key: "sms_http_auth", message: "the gateway credentials must be written user:password")
        }
        self.url = url; self.credentials = credentials; self.timeout = timeout; self.totalTimeout = totalTimeout
        self.trustedCertificates = trustedCertificates
        secure = parts.scheme == "https"; host = parts.host; port = parts.port; shownURL = parts.withoutQuery
    }

    public func send(_ message: OutgoingMessage) throws {
        let number = try SMSText.number(message.recipient)
        let transfer = try CurlTransfer()
        transfer.set(CURLOPT_URL, url)
        transfer.set(CURLOPT_PROTOCOLS_STR, secure ? "https" : "http")
        transfer.set(CURLOPT_COPYPOSTFIELDS, SMSHTTPTransport.encode([("to", number), ("text", SMSText.body(message.body))]))
        transfer.set(CURLOPT_USERAGENT, "kaitori")
        if let credentials, let colon = credentials.firstIndex(of: ":") {
            transfer.set(CURLOPT_HTTPAUTH, 1) // CURLAUTH_BASIC (a cast macro Swift cannot import)
            transfer.set(CURLOPT_USERNAME, String(credentials[..<colon]))
            transfer.set(CURLOPT_PASSWORD, String(credentials[credentials.index(after: colon)...]))
        }
        if let trustedCertificates { transfer.set(CURLOPT_CAINFO, trustedCertificates) }
        transfer.setTimeouts(connect: timeout, total: totalTimeout)
        let (code, reason) = transfer.perform()
        if CurlTransfer.isTLSFailure(code) { throw DeliveryError.tls(host: host, reason: reason) }
        switch code {
        case CURLE_OK: break
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            throw DeliveryError.connectFailed(host: host, port: port, reason: transfer.systemError ?? reason)
        case CURLE_OPERATION_TIMEDOUT:
            throw DeliveryError.timedOut(host: host, stage: "request")
        default:
            throw DeliveryError.connectionLost(host: host, stage: "request", reason: reason)
        }
        let status = transfer.responseCode
        guard (200..<300).contains(status) else {
            let body = String(decoding: transfer.body, as: UTF8.self).split(whereSeparator: \.isNewline).joined(separator: " ")
            throw DeliveryError.httpStatus(url: shownURL, status: status, body: body)
        }
    }

    /// The URL's parts as libcurl's own parser reads them (the same parser that makes the call).
    static func parse(_ url: String) -> (scheme: String, host: String, port: Int, hasUserInfo: Bool, withoutQuery: String)? {
        guard let handle = curl_url() else { return nil }
        defer { curl_url_cleanup(handle) }
        guard curl_url_set(handle, CURLUPART_URL, url, 0) == CURLUE_OK else { return nil }
        func part(_ which: CURLUPart, _ flags: UInt32 = 0) -> String? {
            var value: UnsafeMutablePointer<CChar>?
            guard curl_url_get(handle, which, &value, flags) == CURLUE_OK, let value else { return nil }
            defer { curl_free(value) }
            return String(cString: value)
        }
        guard let scheme = part(CURLUPART_SCHEME)?.lowercased(), let host = part(CURLUPART_HOST), !host.isEmpty else { return nil }
        let hasUserInfo = part(CURLUPART_USER) != nil || part(CURLUPART_PASSWORD) != nil
        _ = curl_url_set(handle, CURLUPART_QUERY, nil, 0)
        let port = part(CURLUPART_PORT, UInt32(CURLU_DEFAULT_PORT)).flatMap { Int($0) } ?? 0
        return (scheme, host, port, hasUserInfo, part(CURLUPART_URL) ?? "\(scheme)://\(host)")
    }

    /// `application/x-www-form-urlencoded` (WHATWG URL standard): UTF-8, space as `+`.
    static func encode(_ fields: [(String, String)]) -> String {
        func component(_ text: String) -> String {
            var out = ""
            for byte in text.utf8 {
                switch byte {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                     UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                    out.unicodeScalars.append(Unicode.Scalar(byte))
                case UInt8(ascii: " "): out += "+"
                default:
                    let hex = String(byte, radix: 16, uppercase: true)
                    out += "%" + (hex.count == 1 ? "0" + hex : hex)
                }
            }
            return out
        }
        return fields.map { component($0.0) + "=" + component($0.1) }.joined(separator: "&")
    }
}
