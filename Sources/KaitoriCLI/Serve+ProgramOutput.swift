import Foundation
import KaitoriCore
#if canImport(Glibc)
import Glibc
#endif

extension Kaitori.Serve {
    /// A request body as serve hands it to a CGI program: spooled as it arrived to an owner-only
    /// file in the shop's var/ that has no name (`SpoolFile(in:)`), so a customer's ID images are
    /// never in /tmp nor whole in memory, and nothing is left behind, whatever happens.
    struct RequestBody {
        let spool: SpoolFile
        let length: Int
    }

    /// A CGI program's stdout, read in chunks: the head first, then the body as the client takes
    /// it, so a large answer (the console's bank file) never sits whole in serve's memory.
    final class ProgramOutput {
        private let process: Process
        private let output: FileHandle
        /// `kaitori-cgi` or `kaitori-staff`, for the log.
        let program: String
        /// Why reading stopped early, for the log.
        private(set) var readFailure: String?
        /// The body length the program's own `Content-Length` gives, when it gives a valid one.
        private(set) var declaredLength: Int?

        /// The most bytes of head read while looking for its end.
        static let maxHeadBytes = 65_536
        /// The most body bytes read before the response starts: a body that ends within it is sent
        /// whole with its length, as before; a longer one is streamed.
        static let bufferedBodyBytes = 65_536
        static let chunk = 65_536

        init(process: Process, output: FileHandle, program: String) {
            self.process = process
            self.output = output
            self.program = program
        }

        /// Up to one chunk more of the output; empty at its end (or when it cannot be read, with
        /// `readFailure` set).
        func read() -> [UInt8] {
            var bytes = [UInt8](repeating: 0, count: Self.chunk)
            while true {
                let n = bytes.withUnsafeMutableBytes { Glibc.read(output.fileDescriptor, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                if n < 0 { readFailure = "reading \(program)'s output: \(String(cString: strerror(errno)))" }
                bytes.removeLast(bytes.count - max(n, 0))
                return bytes
            }
        }

        /// The response: its head parsed, with the body whole when it ended within
        /// `bufferedBodyBytes` (the program then waited for), else the body's first bytes and this
        /// output as `rest`. Nil when no valid head came (call `finish`).
        func response() -> HTTPResponse? {
            var buffer: [UInt8] = []
            var split: (head: Int, body: Int)?
            var scanned = 0
            var ended = false
            while true {
                if split == nil {
                    // A newline at the end of what was scanned may start the blank line.
                    split = Gateway.headEnd(in: buffer, from: max(0, scanned - 2))
                    scanned = buffer.count
                    if split == nil, buffer.count > Self.maxHeadBytes { return nil }
                }
                if let split, buffer.count - split.body >= Self.bufferedBodyBytes { break }
                let more = read()
                if more.isEmpty { ended = true; break }
                buffer += more
            }
            guard let split, var response = Gateway.parseHead(buffer[..<split.head]) else { return nil }
            response.body = Array(buffer[split.body...])
            if ended {
                process.waitUntilExit()
            } else {
                let declared = response.headers.last { $0.0.lowercased() == "content-length" }?.1
                declaredLength = declared.flatMap { $0.allSatisfy(\.isASCII) ? Int($0) : nil }.flatMap { $0 >= 0 ? $0 : nil }
                response.rest = self
            }
            return response
        }

        /// Reads and drops whatever is left, then waits for the program.
        /// - Returns: how many bytes were dropped, and the program's exit status.
        @discardableResult
        func finish() -> (dropped: Int, status: Int32) {
            var dropped = 0
            while true {
                let more = read()
                if more.isEmpty { break }
                dropped += more.count
            }
            process.waitUntilExit()
            return (dropped, process.terminationStatus)
        }

        /// Sends `response` (its head and first bytes, from `response()`) and then the rest of the
        /// body as it arrives: with the program's `Content-Length` when it gave one, chunked to an
        /// HTTP/1.1 client otherwise (the last chunk only when the program succeeded, so a failed
        /// answer never looks complete), until the connection closes to an HTTP/1.0 one. `HEAD`
        /// gets the head of the full response: its length is counted as the body is dropped.
        /// - Returns: what went wrong, for the log.
        func send(_ response: HTTPResponse, to request: HTTPRequest, on connection: Connection) -> String? {
            if request.method == "HEAD" {
                let (dropped, status) = finish()
                connection.write(response.head(.length(declaredLength ?? response.body.count + dropped)))
                return status == 0 ? readFailure : "\(program) exited with \(status)"
            }
            let framing: HTTPResponse.Framing = declaredLength.map { .length($0) }
                ?? (request.version == "HTTP/1.0" ? .close : .chunked)
            var open = connection.write(response.head(framing))
            var received = 0, sent = 0
            var bytes = response.body
            while open, !bytes.isEmpty {
                received += bytes.count
                switch framing {
                case .length(let length):
                    let part = bytes.prefix(length - sent)
                    if !part.isEmpty { open = connection.write(part) }
                    sent += part.count
                case .chunked:
                    open = connection.write(Array((String(bytes.count, radix: 16) + "\r\n").utf8) + bytes + [13, 10])
                    sent += bytes.count
                case .close:
                    open = connection.write(bytes)
                    sent += bytes.count
                }
                bytes = read()
            }
            let (dropped, status) = finish()
            var notes: [String] = []
            if !open { notes.append("the client went away after \(sent) bytes of the body") }
            if let readFailure { notes.append(readFailure) }
            if status != 0 { notes.append("\(program) exited with \(status) after \(received + dropped) bytes of the body") }
            if case .length(let length) = framing, open {
                if sent < length { notes.append("\(program) sent \(sent) of the \(length) bytes its Content-Length gives") }
                if received + dropped > length { notes.append("\(program) sent \(received + dropped - length) bytes past its Content-Length; not sent") }
            }
            if case .chunked = framing, open, status == 0, readFailure == nil { connection.write(Array("0\r\n\r\n".utf8)) }
            return notes.isEmpty ? nil : notes.joined(separator: "; ")
        }
    }
}
