/// Hands each email to the local MTA's `sendmail` (`/usr/sbin/sendmail -t -i` by default): the
/// complete message on standard input, recipients taken from the headers (`-t`). Exit status 0
/// means the MTA took responsibility for it.
public struct SendmailTransport: MessageTransport {
    public var command: String
    public var from: MailAddress
    public var timeout: Int

    public init(command: String = "/usr/sbin/sendmail -t -i", from: MailAddress, timeout: Int = 120) {
        self.command = command; self.from = from; self.timeout = timeout
    }

    public func send(_ message: OutgoingMessage) throws {
        let to = try MailAddress(parsing: message.recipient, field: "To")
        let email = EmailMessage(from: from, to: to, subject: message.subject, body: message.body, date: message.date)
        let outcome = try CommandRunner(command: command, timeout: timeout).run(input: Array(email.rendered(lineBreak: .lf).utf8))
        guard outcome.status == 0 else {
            throw DeliveryError.commandFailed(command: command, status: outcome.status, output: outcome.output)
        }
    }
}
