import Foundation
#if canImport(Glibc)
import Glibc
#endif

extension Kaitori.Serve {
    /// One accepted client socket, read as an HTTP request head then a body of known length.
    final class Connection {
        private let fd: Int32
        /// Bytes read past the head: the start of the body.
        private var pending: [UInt8] = []
        /// When the whole request must have arrived (monotonic clock, seconds): a client sending
        /// one byte a second cannot hold its thread past it.
        private let deadline: Double

        init(fd: Int32, deadlineSeconds: Int) {
            self.fd = fd
            deadline = Self.monotonicNow() + Double(deadlineSeconds)
            var timeout = timeval(tv_sec: deadlineSeconds, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        }

        static func monotonicNow() -> Double {
            var now = timespec()
            clock_gettime(CLOCK_MONOTONIC, &now)
            return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
        }

        /// Reads up to the blank line ending the head.
        ///
        /// - Returns: the head without its final CRLF CRLF, or `nil` when the client closed
        ///   without sending anything.
        /// - Throws: `HTTPRequest.Refusal` 431 past `limit`, 400 when the client stops mid-head.
        func readHead(limit: Int) throws -> [UInt8]? {
            var buffer: [UInt8] = []
            let terminator: [UInt8] = [13, 10, 13, 10]
            var searchFrom = 0
            while true {
                if buffer.count >= 4 {
                    var index = max(0, searchFrom - 3)
                    while index + 4 <= buffer.count {
                        if buffer[index..<(index + 4)].elementsEqual(terminator) {
                            pending = Array(buffer[(index + 4)...])
                            return Array(buffer[..<index])
                        }
                        index += 1
                    }
                    searchFrom = buffer.count
                }
                guard buffer.count < limit else {
                    throw HTTPRequest.Refusal(status: 431, reason: "request head over \(limit) bytes")
                }
                let chunk = try receive(max: 8192)
                if chunk.isEmpty {
                    if buffer.isEmpty { return nil }
                    throw HTTPRequest.Refusal(status: 400, reason: "the connection closed in the middle of the request head")
                }
                buffer += chunk
            }
        }

        /// Reads exactly `length` body bytes and hands them to `sink` as they arrive, so the body
        /// is never whole in memory (`kaitori serve` spools it to the shop's var/).
        ///
        /// - Throws: `HTTPRequest.Refusal` 400 when the client sends fewer; what `sink` throws.
        func readBody(length: Int, into sink: ([UInt8]) throws -> Void) throws {
            var received = min(pending.count, length)
            if received > 0 { try sink(Array(pending.prefix(length))) }
            pending.removeAll()
            while received < length {
                let chunk = try receive(max: min(65_536, length - received))
                if chunk.isEmpty {
                    throw HTTPRequest.Refusal(status: 400, reason: "the body ended after \(received) of \(length) bytes")
                }
                try sink(chunk)
                received += chunk.count
            }
        }

        /// Writes everything it can; false when the client went away (not an error worth
        /// reporting, but nothing more need be sent).
        @discardableResult
        func write(_ bytes: ArraySlice<UInt8>) -> Bool {
            bytes.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let sent = send(fd, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
                    if sent < 0, errno == EINTR { continue }
                    if sent <= 0 { return false }
                    offset += sent
                }
                return true
            }
        }

        @discardableResult
        func write(_ bytes: [UInt8]) -> Bool { write(bytes[...]) }

        /// Closes after telling the client we are done and reading what it still sends, so an
        /// unread body (a refused upload) does not turn into a reset that eats the response.
        func close() {
            shutdown(fd, Int32(SHUT_WR))
            var timeout = timeval(tv_sec: 2, tv_usec: 0)
            setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            var scratch = [UInt8](repeating: 0, count: 65_536)
            var drained = 0
            // At most 2 s in all, however slowly the client keeps sending.
            let until = Self.monotonicNow() + 2
            while drained < 64 << 20, Self.monotonicNow() < until {
                let n = scratch.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                drained += n
            }
            Glibc.close(fd)
        }

        private func receive(max: Int) throws -> [UInt8] {
            var chunk = [UInt8](repeating: 0, count: max)
            while true {
                // Each wait is cut to what is left of the request's deadline.
                let left = deadline - Self.monotonicNow()
                guard left > 0 else {
                    throw HTTPRequest.Refusal(status: 408, reason: "the request did not arrive within its deadline")
                }
                var timeout = timeval(tv_sec: Int(left), tv_usec: Int((left - left.rounded(.down)) * 1e6) + 1)
                setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
                let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n >= 0 { return Array(chunk[..<n]) }
                if errno == EINTR { continue }
                throw HTTPRequest.Refusal(status: 408, reason: "reading the request: \(String(cString: strerror(errno)))")
            }
        }
    }
}
