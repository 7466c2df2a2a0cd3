/// Sends SMS through an HTTP gateway: each message is POSTed to `sms_http_url` as a form with
/// `to` (digits only) and `text`; a 2xx answer means sent. `https://` is verified against the
/// system's trusted certificates; `user:password@` in the URL becomes Basic authorization.
public struct SMSHTTPTransport: MessageTransport {
    public var url: String
    public var timeout: Int
    public var totalTimeout: Int
    /// A PEM file of certificates trusted instead of the system's (a private CA).
    public var trustedCertificates: String?
    private let target: HTTPFormPost.Target

    /// - Throws: `DeliveryError.configuration` when `url` is not an http:// or https:// URL.
    public init(url: String, timeout: Int = 30, totalTimeout: Int = 120, trustedCertificates: String? = nil) throws {
        guard let target = HTTPFormPost.target(url) else {
            throw DeliveryError.configuration(key: "sms_http_url", message: "\(url) is not an http:// or https:// URL")
        }
        self.url = url; self.timeout = timeout; self.totalTimeout = totalTimeout
        self.trustedCertificates = trustedCertificates; self.target = target
    }

    public func send(_ message: OutgoingMessage) throws {
        let number = try SMSText.number(message.recipient)
        let post = HTTPFormPost(target: target, timeout: timeout, totalTimeout: totalTimeout, trustedCertificates: trustedCertificates)
        let answer = try post.post(HTTPFormPost.encode([("to", number), ("text", SMSText.body(message.body))]))
        guard (200..<300).contains(answer.status) else {
            throw DeliveryError.httpStatus(url: redactedURL, status: answer.status, body: answer.body)
        }
    }

    /// The URL without its password, for messages that end up in the outbox and the feed.
    private var redactedURL: String {
        guard target.userInfo != nil else { return url }
        return (target.secure ? "https://" : "http://") + (target.host.contains(":") ? "[\(target.host)]" : target.host) + ":\(target.port)" + target.path
    }
}
