import Foundation

/// A FastCGI client, as a web server speaks to the application (FastCGI 1.0: records of type
/// BEGIN_REQUEST, PARAMS, STDIN in; STDOUT, STDERR, END_REQUEST out), over a Unix socket. Written
/// here so the tests can also send what no web server would: malformed records, a body cut short.
struct FastCGIClient {
    let socketPath: String

    struct Reply {
        var status: Int
        var headers: [(name: String, value: String)]
        var body: String
        var stderr: String
        var appStatus: UInt32

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    enum RecordType: UInt8 {
        case beginRequest = 1, abortRequest = 2, endRequest = 3, params = 4, stdin = 5, stdout = 6, stderr = 7
    }

    /// One request on a new connection, answered in full.
    func request(_ params: [String: String], body: [UInt8] = []) throws -> Reply {
        let connection = try Connection(path: socketPath)
        try connection.send(Self.requestRecords(params, body: body))
        return try connection.readReply()
    }

    /// The records of a complete request with id 1.
    static func requestRecords(_ params: [String: String], body: [UInt8], endStdin: Bool = true) -> [UInt8] {
        var bytes = record(.beginRequest, [0, 1, 0, 0, 0, 0, 0, 0]) // role RESPONDER, flags 0 (close after)
        var encoded: [UInt8] = []
        for (name, value) in params.sorted(by: { $0.key < $1.key }) {
            encoded += length(name.utf8.count) + length(value.utf8.count) + Array(name.utf8) + Array(value.utf8)
        }
        var offset = 0
        while offset < encoded.count {
            let end = min(offset + 65535, encoded.count)
            bytes += record(.params, Array(encoded[offset..<end]))
            offset = end
        }
        bytes += record(.params, [])
        offset = 0
        while offset < body.count {
            let end = min(offset + 65535, body.count)
            bytes += record(.stdin, Array(body[offset..<end]))
            offset = end
        }
        if endStdin { bytes += record(.stdin, []) }
        return bytes
    }

    static func record(_ type: RecordType, _ content: [UInt8], requestID: UInt16 = 1) -> [UInt8] {
        precondition(content.count <= 65535)
        let padding = (8 - content.count % 8) % 8
        return [1, type.rawValue, UInt8(requestID >> 8), UInt8(requestID & 0xFF),
                UInt8(content.count >> 8), UInt8(content.count & 0xFF), UInt8(padding), 0]
            + content + [UInt8](repeating: 0, count: padding)
    }

    private static func length(_ n: Int) -> [UInt8] {
        n < 128 ? [UInt8(n)] : [UInt8((n >> 24) | 0x80), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)]
    }

    /// A connection to the application; closed when released.
    final class Connection {
        let fd: Int32

        init(path: String) throws {
            fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failure("socket: \(String(cString: strerror(errno)))") }
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            let pathBytes = Array(path.utf8)
            precondition(pathBytes.count < MemoryLayout.size(ofValue: address.sun_path))
            withUnsafeMutableBytes(of: &address.sun_path) { raw in
                raw.copyBytes(from: pathBytes)
                raw[pathBytes.count] = 0
            }
            // A client that waits forever would hang the test run: give every read a deadline.
            var timeout = timeval(tv_sec: 60, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            let rc = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            guard rc == 0 else {
                // No close here: every stored property is set, so deinit runs and closes `fd`. A second
                // close could shut a descriptor another test thread has just opened (seen as EBADF).
                let reason = String(cString: strerror(errno))
                throw Failure("connect \(path): \(reason)")
            }
        }

        deinit { close(fd) }

        func send(_ bytes: [UInt8]) throws {
            var offset = 0
            while offset < bytes.count {
                let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                guard n > 0 else { throw Failure("send: \(String(cString: strerror(errno)))") }
                offset += n
            }
        }

        private func readExactly(_ count: Int) throws -> [UInt8]? {
            var bytes = [UInt8](repeating: 0, count: count)
            var filled = 0
            while filled < count {
                let n = bytes[filled...].withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n == 0 {
                    if filled == 0 { return nil }
                    throw Failure("connection closed mid-record")
                }
                guard n > 0 else {
                    if errno == EINTR { continue }
                    throw Failure("recv: \(String(cString: strerror(errno)))")
                }
                filled += n
            }
            return bytes
        }

        /// Reads records up to END_REQUEST; nil when the application closed without answering.
        func readReplyIfAny() throws -> Reply? {
            var stdout: [UInt8] = [], stderr: [UInt8] = []
            while true {
                guard let header = try readExactly(8) else { return nil }
                let length = Int(header[4]) << 8 | Int(header[5])
                let content = try readExactly(length + Int(header[6])) ?? []
                switch RecordType(rawValue: header[1]) {
                case .stdout: stdout += content.prefix(length)
                case .stderr: stderr += content.prefix(length)
                case .endRequest:
                    let appStatus = UInt32(content[0]) << 24 | UInt32(content[1]) << 16 | UInt32(content[2]) << 8 | UInt32(content[3])
                    var reply = try parse(stdout)
                    reply.stderr = String(decoding: stderr, as: UTF8.self)
                    reply.appStatus = appStatus
                    return reply
                default:
                    throw Failure("unexpected record type \(header[1])")
                }
            }
        }

        func readReply() throws -> Reply {
            guard let reply = try readReplyIfAny() else { throw Failure("the application closed the connection without answering") }
            return reply
        }

        private func parse(_ bytes: [UInt8]) throws -> Reply {
            let text = String(decoding: bytes, as: UTF8.self)
            guard let end = text.range(of: "\r\n\r\n") else { throw Failure("no header block in: \(text.prefix(300))") }
            var status = 200
            var headers: [(String, String)] = []
            for line in text[..<end.lowerBound].components(separatedBy: "\r\n") {
                guard let colon = line.firstIndex(of: ":") else { continue }
                let name = String(line[..<colon]), value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
                if name.lowercased() == "status" { status = Int(value.prefix(3)) ?? 0 } else { headers.append((name, value)) }
            }
            return Reply(status: status, headers: headers, body: String(text[end.upperBound...]), stderr: "", appStatus: 0)
        }
    }
}

struct Failure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
