import Foundation

/// A one-connection-at-a-time HTTP server on 127.0.0.1 that answers every request with a fixed
/// status and keeps the requests, for the SMS gateway tests.
final class HTTPTestSink: @unchecked Sendable {
    let port: Int
    private let listener: Int32
    private let status: Int
    private let lock = NSLock()
    private var requests: [String] = []

    /// Seconds to keep each connection open after answering, as a gateway ignoring
    /// `Connection: close` would.
    private let holdOpen: Double

    init(status: Int, holdOpen: Double = 0) throws {
        self.status = status
        self.holdOpen = holdOpen
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard listen(fd, 4) == 0 else { throw SMTPTestServer.StartFailure(description: "listen failed") }
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread { [self] in serve() }.start()
    }

    /// Stops accepting (wakes the thread blocked in accept).
    func stop() {
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
    }

    /// Requests received so far, each as its full text (head and body).
    var received: [String] { lock.withLock { requests } }

    private func serve() {
        while true {
            let client = accept(listener, nil, nil)
            if client < 0 { return }
            var data: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = recv(client, &buffer, buffer.count, 0)
                if n <= 0 { break }
                data += buffer[0..<n]
                let text = String(decoding: data, as: UTF8.self)
                if let head = text.range(of: "\r\n\r\n") {
                    let length = text[..<head.lowerBound].split(separator: "\r\n")
                        .first { $0.lowercased().hasPrefix("content-length:") }
                        .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces)) } ?? 0
                    if text.utf8.count - text.utf8.distance(from: text.startIndex, to: head.upperBound) >= length { break }
                }
            }
            lock.withLock { requests.append(String(decoding: data, as: UTF8.self)) }
            let answer = "HTTP/1.1 \(status) X\r\nContent-Length: 7\r\nConnection: close\r\n\r\nanswer\n"
            _ = answer.withCString { send(client, $0, strlen($0), Int32(MSG_NOSIGNAL)) }
            if holdOpen > 0 { Thread.sleep(forTimeInterval: holdOpen) }
            close(client)
        }
    }
}
