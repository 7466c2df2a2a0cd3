/// Sends SMS through a shop-provided command (a gateway's CLI, a curl script): run once per
/// message with the number (digits only) as its last argument — `$1` of a script — and in
/// `KAITORI_SMS_TO`, the text on standard input. Exit status 0 means sent.
public struct SMSCommandTransport: MessageTransport {
    public var command: String
    public var timeout: Int

    public init(command: String, timeout: Int = 120) {
        self.command = command; self.timeout = timeout
    }

    public func send(_ message: OutgoingMessage) throws {
        let number = try SMSText.number(message.recipient)
        // `"$@"` hands the number to the command as its last argument without the shop's
        // command line having to mention it.
        let runner = CommandRunner(command: command + " \"$@\"", arguments: [number],
                                   environment: ["KAITORI_SMS_TO": number], timeout: timeout)
        let outcome = try runner.run(input: Array(SMSText.body(message.body).utf8))
        guard outcome.status == 0 else {
            throw DeliveryError.commandFailed(command: command, status: outcome.status, output: outcome.output)
        }
    }
}
