import Foundation
import KaitoriCore
#if canImport(Glibc)
import Glibc
#endif

extension Kaitori.Serve {
    /// A small HTTP/1.1 server on 127.0.0.1: one thread per connection, one request per
    /// connection (`Connection: close`). For trying a shop locally, not for production.
    final class Server: @unchecked Sendable {
        /// The most request body bytes taken; the handler refuses larger bodies by their
        /// `Content-Length` alone, so they are never read in full.
        let maxBodyBytes: Int
        /// Where request bodies are spooled for the programs: the shop's var/ (never /tmp: an ID
        /// image is personal data).
        let spoolFolder: String
        let files: StaticFiles
        /// The CGI programs, each under its path: the handler and the staff console.
        let gateways: [Gateway]
        /// How long one request may take to arrive, and how many connections are served at once.
        struct Limits {
            var requestSeconds: Int
            var maxConnections: Int
        }
        let limits: Limits
        /// Connections being served now (only changed under `lock`).
        private var open = 0
        private let lock = NSLock()
        private let listener: Int32
        /// The port actually bound (the one asked for, or the system's pick for 0).
        let port: Int

        /// Binds 127.0.0.1:`port`.
        ///
        /// - Throws: `CLIError` naming the port when it cannot be bound.
        init(port requested: Int, files: StaticFiles, gateways: (Int) -> [Gateway], maxBodyBytes: Int, spoolFolder: String,
             limits: Limits = Limits(requestSeconds: 20, maxConnections: 32)) throws {
            self.limits = limits
            signal(SIGPIPE, SIG_IGN)
            // A parent may start us with these blocked (Foundation's Process does, from some
            // threads); Ctrl-C and `kill` must still stop the server.
            var stopSignals = sigset_t()
            sigemptyset(&stopSignals)
            for stop in [SIGINT, SIGTERM, SIGHUP] { sigaddset(&stopSignals, stop) }
            pthread_sigmask(SIG_UNBLOCK, &stopSignals, nil)
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw CLIError("cannot create a socket: \(String(cString: strerror(errno)))") }
            var yes: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(requested).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard bound == 0, listen(fd, 64) == 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw CLIError("cannot listen on 127.0.0.1:\(requested): \(reason) (is another server using it? try --port)")
            }
            var actual = sockaddr_in()
            var length = socklen_t(MemoryLayout<sockaddr_in>.size)
            _ = withUnsafeMutablePointer(to: &actual) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
            }
            listener = fd
            port = Int(UInt16(bigEndian: actual.sin_port))
            self.files = files
            self.gateways = gateways(port)
            self.maxBodyBytes = maxBodyBytes
            self.spoolFolder = spoolFolder
        }

        /// Accepts connections until the process is stopped. A failing `accept` (no descriptors
        /// left, no memory) backs off, from 10 ms doubling to 1 s, instead of spinning; past
        /// `maxConnections` a client is answered 503 at once, without a thread.
        func run() -> Never {
            var backoff: useconds_t = 0
            while true {
                var peer = sockaddr_in()
                var length = socklen_t(MemoryLayout<sockaddr_in>.size)
                let client = withUnsafeMutablePointer(to: &peer) {
                    $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { accept(listener, $0, &length) }
                }
                if client < 0 {
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    backoff = min(max(backoff * 2, 10_000), 1_000_000)
                    log("-", "-", 0, "accept failed: \(String(cString: strerror(errno))); waiting \(backoff / 1000) ms")
                    usleep(backoff)
                    continue
                }
                backoff = 0
                let remotePort = Int(UInt16(bigEndian: peer.sin_port))
                switch reserve() {
                case .serve:
                    Thread.detachNewThread { [self] in
                        serve(Connection(fd: client, deadlineSeconds: limits.requestSeconds), remotePort: remotePort)
                        release(rejecting: false)
                    }
                case .reject:
                    // Answered on a thread of its own (closing drains for up to 2 s, so that the
                    // client reads the 503 rather than a reset); those threads are capped too.
                    Thread.detachNewThread { [self] in
                        let connection = Connection(fd: client, deadlineSeconds: 2)
                        connection.write(HTTPResponse.page(503, "ただいま混み合っています。少し待ってから、もう一度お試しください。")
                            .serialized(headOnly: false))
                        connection.close()
                        log("-", "-", 503, "over \(limits.maxConnections) connections")
                        release(rejecting: true)
                    }
                case .drop:
                    close(client)
                }
            }
        }

        private enum Admission { case serve, reject, drop }
        /// Threads answering 503 now (only changed under `lock`).
        private var rejecting = 0

        private func reserve() -> Admission {
            lock.lock(); defer { lock.unlock() }
            if open < limits.maxConnections { open += 1; return .serve }
            if rejecting < limits.maxConnections { rejecting += 1; return .reject }
            return .drop
        }

        private func release(rejecting wasRejecting: Bool) {
            lock.lock()
            if wasRejecting { rejecting -= 1 } else { open -= 1 }
            lock.unlock()
        }

        private func serve(_ connection: Connection, remotePort: Int) {
            defer { connection.close() }
            let request: HTTPRequest
            let gateway: Gateway?
            var body: RequestBody?
            do {
                guard let head = try connection.readHead(limit: HTTPRequest.maxHeadBytes) else { return }
                request = try HTTPRequest(head: head)
                let length = try request.contentLength()
                if length > maxBodyBytes {
                    // Answered from the length alone, like the handler does; the body is never read.
                    respond(.page(413, "送信内容が大きすぎます。"), to: request, on: connection)
                    return
                }
                if length > 0, request.header("expect")?.lowercased() == "100-continue" {
                    connection.write(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
                }
                gateway = gateways.first { $0.handles(request.path) }
                if length > 0, gateway != nil {
                    // Spooled as it arrives; the file has no name from the start, so it is gone
                    // with `body` whatever happens next.
                    let spool = try SpoolFile(in: spoolFolder)
                    body = RequestBody(spool: spool, length: length)
                    try connection.readBody(length: length, into: spool.write)
                } else {
                    // Nothing runs that would read it: read and dropped.
                    try connection.readBody(length: length) { _ in }
                }
            } catch let refusal as HTTPRequest.Refusal {
                connection.write(HTTPResponse.page(refusal.status, "リクエストを読み取れませんでした。").serialized(headOnly: false))
                log("-", "-", refusal.status, refusal.reason)
                return
            } catch let failure as FileIO.Failure {
                // The spool could not be made or written (var/ missing, not writable or full).
                connection.write(HTTPResponse.page(500, "送信内容を受け取れませんでした。").serialized(headOnly: false))
                log("-", "-", 500, "the request body cannot be spooled: \(failure)")
                return
            } catch {
                return
            }
            var response = gateway.map {
                $0.response(for: request, body: body, remoteAddress: "127.0.0.1", remotePort: remotePort)
            } ?? files.response(method: request.method, path: request.path, query: request.query)
            body = nil
            // A customer page with no file (a new case's status page; every page with
            // `site.case_pages: handler`) comes from the handler, as the deploy configs route it.
            if response.status == 404, request.method == "GET" || request.method == "HEAD",
               let page = CustomerPageKind.page(atPath: request.path), let handler = gateways.first {
                var forwarded = request
                forwarded.target = handler.scriptName + "/\(page.kind.rawValue)/\(page.token)"
                    + (request.query.isEmpty ? "" : "?" + request.query)
                response.rest?.finish()
                response = handler.response(for: forwarded, body: nil, remoteAddress: "127.0.0.1", remotePort: remotePort)
            }
            respond(response, to: request, on: connection)
        }

        private func respond(_ response: HTTPResponse, to request: HTTPRequest, on connection: Connection) {
            // No header may carry a line break (a handler's or a file's value split into two
            // headers would let one inject the other): such a response becomes a 502.
            if let bad = response.unsafeHeader {
                response.rest?.finish()
                connection.write(HTTPResponse.page(502, "応答を返せませんでした。").serialized(headOnly: request.method == "HEAD"))
                log(request.method, request.target, 502, "header \(bad) holds a control character; not sent")
                return
            }
            guard let rest = response.rest else {
                connection.write(response.serialized(headOnly: request.method == "HEAD"))
                log(request.method, request.target, response.status, nil)
                return
            }
            log(request.method, request.target, response.status, rest.send(response, to: request, on: connection))
        }

        private func log(_ method: String, _ target: String, _ status: Int, _ note: String?) {
            let line = TerminalText.escape("\(method) \(target) \(status)" + (note.map { " (\($0))" } ?? ""))
            FileHandle.standardError.write(Data((line + "\n").utf8))
        }
    }
}
