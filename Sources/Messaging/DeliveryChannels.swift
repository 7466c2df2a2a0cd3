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
    ///   - environment: where `smtp.password_env` is looked up.
    ///   - mailFolder: where the `file` method writes messages (the shop's `var/mail`).
    /// - Throws: `DeliveryError.configuration` for settings that cannot work, before anything is sent.
    public init(delivery: Settings.Delivery, environment: [String: String], mailFolder: String = "var/mail") throws {
        transports = [:]
        disabled = [:]
        switch delivery.emailMethod {
        case .none:
            disabled["email"] = "delivery.email_method is none"
        case .file:
            transports["email"] = FileTransport(directory: mailFolder, kind: .email(from: try DeliveryChannels.from(delivery)))
        case .sendmail:
            transports["email"] = SendmailTransport(command: delivery.sendmailCommand, from: try DeliveryChannels.from(delivery))
        case .smtp:
            let smtp = delivery.smtp
            var password = ""
            if !smtp.username.isEmpty {
                guard smtp.starttls || SMTPTransport.isLoopback(smtp.host) else {
                    throw DeliveryError.configuration(key: "smtp.starttls", message: "must be true when smtp.username is set and \(smtp.host) is another machine: the password would travel unencrypted")
                }
                guard !smtp.passwordEnv.isEmpty else {
                    throw DeliveryError.configuration(key: "smtp.password_env", message: "required when smtp.username is set")
                }
                guard let value = environment[smtp.passwordEnv], !value.isEmpty else {
                    throw DeliveryError.configuration(key: "smtp.password_env", message: "the environment variable \(smtp.passwordEnv) is not set")
                }
                password = value
            }
            transports["email"] = SMTPTransport(host: smtp.host, port: smtp.port, starttls: smtp.starttls,
                                                username: smtp.username, password: password,
                                                from: try DeliveryChannels.from(delivery))
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
            transports["sms"] = try SMSHTTPTransport(url: delivery.smsHTTPURL)
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
