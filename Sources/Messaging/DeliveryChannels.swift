import KaitoriCore

/// The transport for each outbox channel, as `delivery:` in shop.yml configures them.
///
/// `email_method: none` leaves email without a transport: the messages stay queued until email
/// is set up (docs/settings.md). `sms_method: none` means the shop sends no SMS at all, so SMS
/// messages are given up at once and show in the feed, for staff to reach those customers.
public struct DeliveryChannels {
    public var transports: [String: any MessageTransport]
    /// Channel → why it has no transport (its messages wait), for `kaitori outbox send` to say.
    public var disabled: [String: String]

    public init(transports: [String: any MessageTransport], disabled: [String: String] = [:]) {
        self.transports = transports; self.disabled = disabled
    }

    /// - Parameters:
    ///   - environment: where `smtp.password_env` and `sms_http_auth_env` are looked up.
    ///   - site: the site folder, which secret files must lie outside of.
    ///   - mailFolder: where the `file` method writes messages (default: the shop's `var/mail`).
    /// - Throws: `DeliveryError.configuration` for settings that cannot work, before anything is sent.
    public init(delivery: Settings.Delivery, environment: [String: String], site: String, mailFolder: String? = nil) throws {
        let mailFolder = mailFolder ?? site + "/var/mail"
        transports = [:]
        disabled = [:]
        let caFile = delivery.caFile.isEmpty ? nil : delivery.caFile
        switch delivery.emailMethod {
        case .none:
            disabled["email"] = "delivery.email_method is none"
        case .file:
            transports["email"] = FileTransport(directory: mailFolder, kind: .email(from: try DeliveryChannels.from(delivery)))
        case .sendmail:
            transports["email"] = SendmailTransport(command: delivery.sendmailCommand, from: try DeliveryChannels.from(delivery))
        case .smtp:
            let smtp = delivery.smtp
            guard !(smtp.starttls && smtp.implicitTLS) else {
                throw DeliveryError.configuration(key: "smtp.implicit_tls", message: "choose one of smtp.starttls and smtp.implicit_tls")
            }
            guard smtp.starttls || smtp.implicitTLS || LoopbackAddress.isLiteral(smtp.host) else {
                throw DeliveryError.configuration(key: "smtp.starttls", message: "must be true (or smtp.implicit_tls) when \(smtp.host) is not a loopback address such as 127.0.0.1: mail and the password would travel unencrypted")
            }
            var password = ""
            if !smtp.username.isEmpty {
                guard let secret = try DeliverySecret.read(envKey: "smtp.password_env", envName: smtp.passwordEnv,
                                                           fileKey: "smtp.password_file", filePath: smtp.passwordFile,
                                                           environment: environment, site: site) else {
                    throw DeliveryError.configuration(key: "smtp.password_env", message: "required (or smtp.password_file) when smtp.username is set")
                }
                password = secret
            }
            transports["email"] = SMTPTransport(host: smtp.host, port: smtp.port, starttls: smtp.starttls, implicitTLS: smtp.implicitTLS,
                                                username: smtp.username, password: password,
                                                from: try DeliveryChannels.from(delivery), trustedCertificates: caFile)
        }
        switch delivery.smsMethod {
        case .none:
            transports["sms"] = DisabledChannelTransport(channel: "sms", reason: "delivery.sms_method is none")
        case .file:
            transports["sms"] = FileTransport(directory: mailFolder, kind: .sms)
        case .command:
            guard !delivery.smsCommand.isEmpty else {
                throw DeliveryError.configuration(key: "sms_command", message: "required when sms_method is command")
            }
            transports["sms"] = SMSCommandTransport(command: delivery.smsCommand)
        case .http:
            let credentials = try DeliverySecret.read(envKey: "sms_http_auth_env", envName: delivery.smsHTTPAuthEnv,
                                                      fileKey: "sms_http_auth_file", filePath: delivery.smsHTTPAuthFile,
                                                      environment: environment, site: site)
            transports["sms"] = try SMSHTTPTransport(url: delivery.smsHTTPURL, credentials: credentials, trustedCertificates: caFile)
        }
    }

    private static func from(_ delivery: Settings.Delivery) throws -> MailAddress {
        guard !delivery.emailFrom.isEmpty else {
            throw DeliveryError.configuration(key: "email_from", message: "required when email_method is \(delivery.emailMethod.rawValue)")
        }
        do {
            return try MailAddress(parsing: delivery.emailFrom, field: "From")
        } catch let error as DeliveryError {
            throw DeliveryError.configuration(key: "email_from", message: error.description)
        }
    }
}
