#if canImport(Glibc)
import Glibc
#endif

/// `email_method: file` and `sms_method: file`: instead of sending, writes each message as a file
/// in the shop's `var/mail/` folder, so a shop can be tried (and its messages read) without a mail
/// server or an SMS gateway. An email becomes `ID-email.eml` (the complete RFC 5322 message, as a
/// mail program opens it), an SMS `ID-sms.txt` (the number on the first line, then the text). `ID`
/// is the outbox id (`kaitori outbox show ID`). Folder 0700, files 0600: they hold personal data.
public struct FileTransport: MessageTransport {
    public enum Kind: Sendable { case email(from: MailAddress), sms }

    public var directory: String
    public var kind: Kind

    public init(directory: String, kind: Kind) {
        self.directory = directory; self.kind = kind
    }

    /// Where the message with this outbox id is (or would be) written.
    public static func path(directory: String, outboxID: Int64, channel: String) -> String {
        let number = String(outboxID)
        let padded = String(repeating: "0", count: max(0, 6 - number.count)) + number
        return directory + "/" + padded + "-" + channel + (channel == "sms" ? ".txt" : ".eml")
    }

    public func send(_ message: OutgoingMessage) throws {
        let text: String
        let channel: String
        switch kind {
        case .email(let from):
            let to = try MailAddress(parsing: message.recipient, field: "To")
            text = EmailMessage(from: from, to: to, subject: message.subject, body: message.body, date: message.date).rendered(lineBreak: .lf)
            channel = "email"
        case .sms:
            text = "To: " + (try SMSText.number(message.recipient)) + "\n\n" + SMSText.body(message.body) + "\n"
            channel = "sms"
        }
        let target: String
        if let id = message.outboxID {
            target = Self.path(directory: directory, outboxID: id, channel: channel)
        } else {
            var rng = SystemRandomNumberGenerator()
            target = directory + "/" + String(message.date) + "-" + String(rng.next() as UInt32, radix: 16) + "-" + channel
                + (channel == "sms" ? ".txt" : ".eml")
        }
        try write(Array(text.utf8), to: target)
    }

    /// Written beside the target and renamed, so a reader never sees half a message.
    private func write(_ bytes: [UInt8], to target: String) throws {
        if mkdir(directory, 0o700) != 0, errno != EEXIST {
            throw DeliveryError.configuration(key: "email_method", message: "cannot create \(directory): \(String(cString: strerror(errno)))")
        }
        let tmp = target + ".tmp"
        let fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw DeliveryError.configuration(key: "email_method", message: "cannot write \(tmp): \(String(cString: strerror(errno)))")
        }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd); unlink(tmp)
                throw DeliveryError.configuration(key: "email_method", message: "cannot write \(tmp): \(reason)")
            }
            offset += n
        }
        fsync(fd)
        close(fd)
        guard rename(tmp, target) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw DeliveryError.configuration(key: "email_method", message: "cannot write \(target): \(reason)")
        }
    }
}
