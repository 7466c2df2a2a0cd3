#if canImport(Glibc)
import Glibc
#endif

/// How a read or write on a connection failed; the protocol layer adds the host and the stage.
enum ConnectionError: Error, Equatable {
    case timedOut
    case closed
    case failed(String)
}

/// A TCP client connection with a timeout per operation and a deadline for the whole exchange,
/// optionally upgraded to TLS. Blocking I/O with socket timeouts: one message at a time needs
/// no event loop.
final class TCPConnection {
    let host: String
    let port: Int
    private var socket: Int32
    private var tls: TLSSession?
    private let operationTimeout: Int
    private let deadline: Int64

    var isEncrypted: Bool { tls != nil }

    /// Connects to the first address of `host` that answers.
    /// - Parameters:
    ///   - timeout: seconds allowed for the connect and for each read or write.
    ///   - totalTimeout: seconds allowed from now until the connection is no longer used.
    init(host: String, port: Int, timeout: Int, totalTimeout: Int) throws(DeliveryError) {
        self.host = host
        self.port = port
        operationTimeout = timeout
        deadline = TCPConnection.monotonicNow() + Int64(totalTimeout)
        socket = try TCPConnection.connect(host: host, port: port, timeout: timeout)
    }

    deinit { close() }

    func close() {
        guard socket >= 0 else { return }
        tls?.close()
        tls = nil
        Glibc.close(socket)
        socket = -1
    }

    /// Upgrades the connection (after the protocol's STARTTLS exchange).
    func startTLS(trustedCertificates: String?) throws(DeliveryError) {
        guard applyTimeout() else { throw .timedOut(host: host, stage: "TLS handshake") }
        tls = try TLSSession(socket: socket, host: host, trustedCertificates: trustedCertificates)
    }

    func write(_ bytes: [UInt8]) throws(ConnectionError) {
        guard socket >= 0 else { throw .closed }
        guard applyTimeout() else { throw .timedOut }
        let result: Result<Void, ConnectionError> = bytes.withUnsafeBytes { raw in
            if let tls {
                do throws(ConnectionError) { try tls.write(raw); return .success(()) } catch { return .failure(error) }
            }
            var offset = 0
            while offset < raw.count {
                let n = send(socket, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                if n < 0 {
                    if errno == EINTR { continue }
                    return .failure(errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .failed(String(cString: strerror(errno))))
                }
                offset += n
            }
            return .success(())
        }
        try result.get()
    }

    /// Reads what has arrived (at least one byte).
    func read() throws(ConnectionError) -> [UInt8] {
        guard socket >= 0 else { throw .closed }
        guard applyTimeout() else { throw .timedOut }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let result: Result<Int, ConnectionError> = buffer.withUnsafeMutableBytes { raw in
            if let tls {
                do throws(ConnectionError) { return .success(try tls.read(into: raw)) } catch { return .failure(error) }
            }
            while true {
                let n = recv(socket, raw.baseAddress, raw.count, 0)
                if n > 0 { return .success(n) }
                if n == 0 { return .failure(.closed) }
                if errno == EINTR { continue }
                return .failure(errno == EAGAIN || errno == EWOULDBLOCK ? .timedOut : .failed(String(cString: strerror(errno))))
            }
        }
        return Array(buffer.prefix(try result.get()))
    }

    /// Sets the socket's timeouts to what is left of the operation timeout and the deadline.
    /// - Returns: false when the deadline has passed.
    private func applyTimeout() -> Bool {
        let left = deadline - TCPConnection.monotonicNow()
        guard left > 0 else { return false }
        var tv = timeval(tv_sec: Int(min(Int64(operationTimeout), left)), tv_usec: 0)
        let size = socklen_t(MemoryLayout<timeval>.size)
        _ = setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &tv, size)
        _ = setsockopt(socket, SOL_SOCKET, SO_SNDTIMEO, &tv, size)
        return true
    }

    static func monotonicNow() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec)
    }

    private static func connect(host: String, port: Int, timeout: Int) throws(DeliveryError) -> Int32 {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let first = list else {
            throw .connectFailed(host: host, port: port, reason: "cannot resolve the host name (\(String(cString: gai_strerror(rc))))")
        }
        defer { freeaddrinfo(list) }
        var reasons: [String] = []
        var entry: UnsafeMutablePointer<addrinfo>? = first
        while let info = entry?.pointee {
            entry = info.ai_next
            let fd = Glibc.socket(info.ai_family, info.ai_socktype | Int32(SOCK_CLOEXEC.rawValue), info.ai_protocol)
            if fd < 0 { reasons.append(String(cString: strerror(errno))); continue }
            if let reason = connectNonBlocking(fd, info.ai_addr, info.ai_addrlen, timeout: timeout) {
                reasons.append(reason)
                Glibc.close(fd)
                continue
            }
            return fd
        }
        // The same reason for every address (IPv6 and IPv4 both refused) is said once.
        var unique: [String] = []
        for r in reasons where !unique.contains(r) { unique.append(r) }
        throw .connectFailed(host: host, port: port, reason: unique.joined(separator: "; "))
    }

    /// Connects with `timeout`, then puts the socket back into blocking mode.
    /// - Returns: why it failed, or nil.
    private static func connectNonBlocking(_ fd: Int32, _ address: UnsafeMutablePointer<sockaddr>?, _ length: socklen_t, timeout: Int) -> String? {
        let flags = fcntl(fd, F_GETFL)
        _ = fcntl(fd, F_SETFL, flags | O_NONBLOCK)
        if Glibc.connect(fd, address, length) != 0 {
            guard errno == EINPROGRESS else { return String(cString: strerror(errno)) }
            var pfd = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
            var ready: Int32
            repeat { ready = poll(&pfd, 1, Int32(timeout * 1000)) } while ready < 0 && errno == EINTR
            if ready == 0 { return "no answer within \(timeout) seconds" }
            if ready < 0 { return String(cString: strerror(errno)) }
            var error: Int32 = 0
            var size = socklen_t(MemoryLayout<Int32>.size)
            _ = getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &size)
            if error != 0 { return String(cString: strerror(error)) }
        }
        _ = fcntl(fd, F_SETFL, flags)
        return nil
    }
}
