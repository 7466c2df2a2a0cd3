/// One SMTP conversation (RFC 5321) over a `TCPConnection`: commands, multi-line replies, the
/// EHLO extension list and the DATA transfer with dot-stuffing.
final class SMTPSession {
    let connection: TCPConnection
    private var buffer: [UInt8] = []
    /// A server that never ends a line must not grow the buffer without bound.
    private static let maxLine = 4096

    init(connection: TCPConnection) { self.connection = connection }

    /// Reads one reply, joining the lines of a multi-line reply (`250-…` then `250 …`).
    func readReply(stage: String) throws(DeliveryError) -> SMTPReply {
        var lines: [String] = []
        while true {
            let line = try readLine(stage: stage)
            let bytes = Array(line.utf8)
            guard bytes.count >= 3, let code = Int(String(decoding: bytes[0..<3], as: UTF8.self)),
                  bytes.count == 3 || bytes[3] == UInt8(ascii: " ") || bytes[3] == UInt8(ascii: "-") else {
                throw .connectionLost(host: connection.host, stage: stage, reason: "not an SMTP reply: \(line.prefix(80))")
            }
            lines.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
            if bytes.count == 3 || bytes[3] == UInt8(ascii: " ") { return SMTPReply(code: code, lines: lines) }
        }
    }

    /// Reads a reply and refuses it unless its code is one of `accepted`.
    @discardableResult
    func expect(_ accepted: Set<Int>, stage: String) throws(DeliveryError) -> SMTPReply {
        let reply = try readReply(stage: stage)
        guard accepted.contains(reply.code) else { throw .smtpRefused(host: connection.host, stage: stage, reply: reply) }
        return reply
    }

    /// Sends one command line and checks the reply. `stage` names the command in errors, so a
    /// password sent as part of AUTH never appears in one.
    @discardableResult
    func command(_ line: String, expect accepted: Set<Int>, stage: String) throws(DeliveryError) -> SMTPReply {
        try send(Array((line + "\r\n").utf8), stage: stage)
        return try expect(accepted, stage: stage)
    }

    /// EHLO, falling back to HELO for a server without extensions.
    /// - Returns: the extension keywords in upper case, each with its parameters
    ///   (`["STARTTLS": [], "AUTH": ["PLAIN", "LOGIN"]]`).
    func hello(_ name: String) throws(DeliveryError) -> [String: [String]] {
        try send(Array("EHLO \(name)\r\n".utf8), stage: "EHLO")
        let reply = try readReply(stage: "EHLO")
        if reply.code == 250 {
            var features: [String: [String]] = [:]
            for line in reply.lines.dropFirst() {
                // "AUTH=PLAIN LOGIN" is the pre-standard spelling some servers still send.
                let words = line.split(whereSeparator: { $0 == " " || $0 == "=" }).map { String($0).uppercased() }
                guard let keyword = words.first else { continue }
                features[keyword, default: []] += words.dropFirst()
            }
            return features
        }
        guard reply.code >= 500 else { throw .smtpRefused(host: connection.host, stage: "EHLO", reply: reply) }
        try command("HELO \(name)", expect: [250], stage: "HELO")
        return [:]
    }

    /// Sends the message after a 354 and waits for the server to accept it. Lines starting with
    /// a dot get a second one (RFC 5321 4.5.2) so no line ends the transfer early.
    func sendData(_ message: String) throws(DeliveryError) {
        var out: [UInt8] = []
        out.reserveCapacity(message.utf8.count + 8)
        var atLineStart = true
        for byte in message.utf8 {
            if atLineStart, byte == UInt8(ascii: ".") { out.append(byte) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
        }
        if !atLineStart { out += Array("\r\n".utf8) }
        out += Array(".\r\n".utf8)
        try send(out, stage: "DATA")
        try expect([250], stage: "DATA")
    }

    private func send(_ bytes: [UInt8], stage: String) throws(DeliveryError) {
        do { try connection.write(bytes) } catch { throw fault(error, stage: stage) }
    }

    private func readLine(stage: String) throws(DeliveryError) -> String {
        while true {
            if let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                var line = Array(buffer[..<newline])
                buffer.removeSubrange(...newline)
                if line.last == UInt8(ascii: "\r") { line.removeLast() }
                return String(decoding: line, as: UTF8.self)
            }
            guard buffer.count < SMTPSession.maxLine else {
                throw .connectionLost(host: connection.host, stage: stage, reason: "reply line longer than \(SMTPSession.maxLine) bytes")
            }
            do { buffer += try connection.read() } catch { throw fault(error, stage: stage) }
        }
    }

    private func fault(_ error: ConnectionError, stage: String) -> DeliveryError {
        switch error {
        case .timedOut: .timedOut(host: connection.host, stage: stage)
        case .closed: .connectionLost(host: connection.host, stage: stage, reason: "closed by the server")
        case .failed(let reason): .connectionLost(host: connection.host, stage: stage, reason: reason)
        }
    }
}
