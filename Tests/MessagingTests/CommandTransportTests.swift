import Foundation
import Messaging
import Testing

@Suite struct CommandTransportTests {
    let from = try! MailAddress(parsing: "まる福 宅配買取センター <kaitori@marufuku-reuse.example.jp>", field: "From")
    let message = OutgoingMessage(recipient: "taro@example.jp", subject: "【まる福】査定結果のご案内", body: "山田 太郎 様\n査定が完了しました。\n", date: 1_790_000_000)

    /// A command running the script through `/bin/sh`: executing the file itself failed now and
    /// then with "Text file busy" when a process another test forked meanwhile still held the
    /// file's descriptor open for writing.
    func script(_ dir: String, _ text: String) throws -> String {
        let path = dir + "/command.sh"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return "/bin/sh " + path
    }

    @Test func sendmailGetsTheWholeMessageOnStdinWithLocalLineBreaks() throws {
        let dir = TestShop.tempDir()
        try SendmailTransport(command: "cat > \(dir)/message.eml", from: from).send(message)
        let written = try String(contentsOfFile: dir + "/message.eml", encoding: .utf8)
        #expect(!written.contains("\r"))
        let lines = written.components(separatedBy: "\n")
        #expect(lines.contains("To: taro@example.jp"))
        #expect(lines.contains("Content-Transfer-Encoding: base64"))
        #expect(lines.contains { $0.hasPrefix("Subject: =?UTF-8?B?") })
        let body = lines.drop { !$0.isEmpty }.joined()
        #expect(String(decoding: try #require(Data(base64Encoded: body)), as: UTF8.self) == "山田 太郎 様\r\n査定が完了しました。\r\n")
    }

    @Test func sendmailFailureCarriesItsStatusAndMessage() throws {
        let command = "echo 'sendmail: fatal: queue file write error' >&2; exit 75"
        #expect(throws: DeliveryError.commandFailed(command: command, status: 75, output: "sendmail: fatal: queue file write error")) {
            try SendmailTransport(command: command, from: from).send(message)
        }
    }

    @Test func aMissingCommandIsAFailureNotACrash() throws {
        #expect(throws: DeliveryError.commandFailed(command: "/nonexistent/sendmail -t", status: 127,
                                                    output: "kaitori: 1: /nonexistent/sendmail: not found")) {
            try SendmailTransport(command: "/nonexistent/sendmail -t", from: from).send(message)
        }
    }

    @Test func aHangingCommandIsStopped() throws {
        let started = Date()
        #expect(throws: DeliveryError.commandTimedOut(command: "sleep 30", seconds: 1)) {
            try SendmailTransport(command: "sleep 30", from: from, timeout: 1).send(message)
        }
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func aDaemonLeftBehindDoesNotHoldTheSend() throws {
        // The background sleep keeps the output pipe open; the command itself is done.
        let started = Date()
        try SendmailTransport(command: "cat >/dev/null; (sleep 20 &); exit 0", from: from, timeout: 30).send(message)
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func smsCommandGetsTheDigitsAsLastArgumentAndInTheEnvironment() throws {
        let dir = TestShop.tempDir()
        let command = try script(dir, """
            cat > \(dir)/text
            printf '%s' "$1" > \(dir)/argument
            printf '%s' "$KAITORI_SMS_TO" > \(dir)/environment
            """)
        let sms = OutgoingMessage(recipient: "090-1234-5678", subject: "", body: "【まる福】査定が完了しました。\n", date: 0)
        try SMSCommandTransport(command: command).send(sms)
        #expect(try String(contentsOfFile: dir + "/text", encoding: .utf8) == "【まる福】査定が完了しました。")
        #expect(try String(contentsOfFile: dir + "/argument", encoding: .utf8) == "09012345678")
        #expect(try String(contentsOfFile: dir + "/environment", encoding: .utf8) == "09012345678")
    }

    @Test func smsCommandFailure() throws {
        let dir = TestShop.tempDir()
        let command = try script(dir, "echo \"gateway: number $1 unreachable\"; exit 2\n")
        #expect(throws: DeliveryError.commandFailed(command: command, status: 2, output: "gateway: number 09012345678 unreachable")) {
            try SMSCommandTransport(command: command).send(OutgoingMessage(recipient: "090-1234-5678", subject: "", body: "x", date: 0))
        }
    }

    @Test func smsWithoutDigitsIsRefusedBeforeRunningAnything() throws {
        #expect(throws: DeliveryError.invalidPhoneNumber("なし")) {
            try SMSCommandTransport(command: "exit 1").send(OutgoingMessage(recipient: "なし", subject: "", body: "x", date: 0))
        }
    }

    @Test func smsHTTPPostsTheForm() throws {
        let sink = try HTTPTestSink(status: 200)
        defer { sink.stop() }
        let transport = try SMSHTTPTransport(url: "http://127.0.0.1:\(sink.port)/api/send?key=abc")
        try transport.send(OutgoingMessage(recipient: "090-1234-5678", subject: "", body: "【まる福】査定額 16,000円 & 受付番号 K7QX\n", date: 0))
        let request = try #require(sink.received.first)
        #expect(request.hasPrefix("POST /api/send?key=abc HTTP/1.1\r\n"))
        #expect(request.contains("\r\nContent-Type: application/x-www-form-urlencoded\r\n"))
        #expect(request.contains("\r\nHost: 127.0.0.1:\(sink.port)\r\n"))
        let form = try #require(request.components(separatedBy: "\r\n\r\n").last)
        var components = URLComponents()
        components.percentEncodedQuery = form.replacingOccurrences(of: "+", with: "%20")
        let fields = Dictionary(uniqueKeysWithValues: (components.queryItems ?? []).map { ($0.name, $0.value ?? "") })
        #expect(fields == ["to": "09012345678", "text": "【まる福】査定額 16,000円 & 受付番号 K7QX"])
    }

    @Test func smsHTTPErrorStatusAndBasicAuthWithoutLeakingThePassword() throws {
        let sink = try HTTPTestSink(status: 503)
        defer { sink.stop() }
        let transport = try SMSHTTPTransport(url: "http://127.0.0.1:\(sink.port)/send?key=gateway-key", credentials: "shop:p@ss")
        #expect(throws: DeliveryError.httpStatus(url: "http://127.0.0.1:\(sink.port)/send", status: 503, body: "answer")) {
            try transport.send(OutgoingMessage(recipient: "09012345678", subject: "", body: "x", date: 0))
        }
        let expected = "Basic " + Data("shop:p@ss".utf8).base64EncodedString()
        #expect(sink.received.first?.contains("\r\nAuthorization: \(expected)\r\n") == true)
    }

    @Test func smsHTTPDoesNotWaitForAGatewayThatKeepsTheConnectionOpen() throws {
        let sink = try HTTPTestSink(status: 200, holdOpen: 4)
        defer { sink.stop() }
        let started = Date()
        try SMSHTTPTransport(url: "http://127.0.0.1:\(sink.port)/", timeout: 10)
            .send(OutgoingMessage(recipient: "09012345678", subject: "", body: "x", date: 0))
        #expect(Date().timeIntervalSince(started) < 2)
    }

    @Test func smsHTTPNeedsAnHTTPURL() {
        #expect(throws: DeliveryError.configuration(key: "sms_http_url", message: "ftp://gw.example.jp/ is not an https:// URL (http:// only to a loopback address such as 127.0.0.1)")) {
            try SMSHTTPTransport(url: "ftp://gw.example.jp/")
        }
    }
}
