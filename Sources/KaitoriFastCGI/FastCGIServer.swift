import CLinux
import CFastCGI
import CGI
import KaitoriCore
import KaitoriHandler

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kaitori-fcgi`: the customer handler as a persistent FastCGI application (libfcgi's `fcgiapp`
/// API). It answers exactly what `kaitori-cgi` answers, through the same `CGIHandler.respond`,
/// but keeps the published settings, the parsed templates and the store open between requests
/// (`HandlerCache`, which rereads them when `kaitori build` or a restore replaced their files).
///
/// - Several requests at a time: `--threads N` (or `KAITORI_FCGI_THREADS`; default 16) threads
///   each answer one request at a time with their own kept settings and store connection, and the
///   applications they receive together are committed in batches (`GroupCommit`: one `fdatasync`
///   for many posts, each answered only after the commit holding it). Several processes may share
///   one socket too (`spawn-fcgi -F N`, lighttpd's `max-procs`). The listening socket is
///   non-blocking, so a thread or process losing the race for a connection goes back to waiting.
/// - A failed request (malformed record, broken connection, a handler error) ends that request
///   only; the process carries on with the next.
/// - SIGTERM or SIGINT stop the process after the requests it is answering. Both signals are
///   blocked while a request runs (a signal must not cut a read or the commit's fsync short) and
///   delivered only while a thread waits for the next connection; the handler wakes every waiting
///   thread through a pipe.
public enum FastCGIServer {
    /// Requests one process answers at once. With 4, 32 clients posting through lighttpd kept the
    /// two processes waiting on the disk half the time; with 16 a batch holds more applications
    /// per `fdatasync` (docs/performance.md, "FastCGI threads"), for about 0.7 MB of resident memory a thread (15 MB with 4, 23 MB with 16, 33 MB with 32).
    public static let defaultThreads = 16

    /// Runs the process.
    ///
    /// Where the listening socket comes from, in order:
    /// - `--socket PATH`: a Unix socket created here (mode 0660; an existing one is replaced);
    /// - systemd socket activation (`LISTEN_PID`/`LISTEN_FDS`): descriptor 3;
    /// - a socket on standard input, the FastCGI convention (`spawn-fcgi`, lighttpd's `bin-path`).
    /// Started with none of these (standard input is not a socket), it answers the one request in
    /// its environment as `kaitori-cgi` would, so a server that runs it as a CGI still works.
    ///
    /// - Returns: the exit status.
    public static func runProcess(arguments: [String]) -> Int32 {
        var socketPath: String?
        var threads = getenv("KAITORI_FCGI_THREADS").flatMap { Int(String(cString: $0)) } ?? defaultThreads
        var index = 1
        while index < arguments.count {
            switch arguments[index] {
            case "--socket" where index + 1 < arguments.count:
                socketPath = arguments[index + 1]
                index += 2
            case "--threads" where index + 1 < arguments.count && Int(arguments[index + 1]) != nil:
                threads = Int(arguments[index + 1])!
                index += 2
            case "--help", "-h":
                print("usage: kaitori-fcgi [--socket PATH] [--threads N]\n"
                    + "  Answers the shop's form posts as a FastCGI application. Without --socket it listens on the\n"
                    + "  socket it was given (standard input, or systemd's descriptor 3); KAITORI_SITE names the shop\n"
                    + "  (from the request's parameters or this process's environment). --threads (or\n"
                    + "  KAITORI_FCGI_THREADS): requests answered at once, their applications committed together (\(defaultThreads)).")
                return 0
            default:
                HandlerLog.write("kaitori-fcgi: unknown argument \"\(arguments[index])\" (usage: kaitori-fcgi [--socket PATH] [--threads N])")
                return 2
            }
        }

        guard FCGX_Init() == 0 else {
            HandlerLog.write("kaitori-fcgi: libfcgi failed to initialise")
            return 1
        }
        let listener: Int32
        if let socketPath {
            let previous = umask(0o117)
            listener = FCGX_OpenSocket(socketPath, 128)
            umask(previous)
            guard listener >= 0 else {
                HandlerLog.write("kaitori-fcgi: cannot listen on \(socketPath): \(String(cString: strerror(errno)))")
                return 1
            }
        } else if let fd = systemdSocket() {
            listener = fd
        } else if FCGX_IsCGI() == 0 {
            listener = 0
        } else {
            return CGIHandler.runProcess()
        }
        guard (1...256).contains(threads) else {
            HandlerLog.write("kaitori-fcgi: --threads (or KAITORI_FCGI_THREADS) must be from 1 to 256, not \(threads)")
            return 2
        }
        return serve(listener: listener, threads: threads)
    }

    /// Descriptor 3 when systemd passed exactly this process one socket.
    private static func systemdSocket() -> Int32? {
        guard let pid = getenv("LISTEN_PID").map({ String(cString: $0) }), pid == String(getpid()),
              let count = getenv("LISTEN_FDS").map({ String(cString: $0) }), count == "1" else { return nil }
        return 3
    }

    /// Set by SIGTERM/SIGINT; read only between requests.
    nonisolated(unsafe) private static var stopRequested: sig_atomic_t = 0
    /// Written to by the stop signal's handler and never read: once it holds a byte, every thread
    /// waiting in `ppoll` wakes and sees the stop.
    nonisolated(unsafe) private static var stopPipe: (read: Int32, write: Int32) = (-1, -1)

    private static func serve(listener: Int32, threads: Int) -> Int32 {
        var pipeEnds: [Int32] = [-1, -1]
        guard pipe(&pipeEnds) == 0, fcntl(pipeEnds[0], F_SETFD, FD_CLOEXEC) == 0, fcntl(pipeEnds[1], F_SETFD, FD_CLOEXEC) == 0,
              fcntl(pipeEnds[1], F_SETFL, O_NONBLOCK) == 0 else {
            HandlerLog.write("kaitori-fcgi: cannot make the stop pipe: \(String(cString: strerror(errno)))")
            return 1
        }
        stopPipe = (pipeEnds[0], pipeEnds[1])
        // Stop signals: blocked from here on (the threads started below inherit it), let through
        // only inside ppoll.
        var stopSignals = sigset_t()
        sigemptyset(&stopSignals)
        sigaddset(&stopSignals, SIGTERM)
        sigaddset(&stopSignals, SIGINT)
        var waiting = sigset_t()
        pthread_sigmask(SIG_BLOCK, &stopSignals, &waiting)
        sigdelset(&waiting, SIGTERM)
        sigdelset(&waiting, SIGINT)
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            FastCGIServer.stopRequested = 1
            var byte: UInt8 = 1
            _ = write(FastCGIServer.stopPipe.write, &byte, 1)
        }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGTERM, &action, nil)
        sigaction(SIGINT, &action, nil)
        // A client gone mid-answer is a failed write, not the end of the process.
        signal(SIGPIPE, SIG_IGN)

        let flags = fcntl(listener, F_GETFL)
        if flags < 0 || fcntl(listener, F_SETFL, flags | O_NONBLOCK) < 0 {
            HandlerLog.write("kaitori-fcgi: cannot make the listening socket non-blocking: \(String(cString: strerror(errno)))")
            return 1
        }

        let group = threads > 1 ? GroupCommit() : nil
        let mask = waiting
        var workers: [pthread_t] = []
        for _ in 1..<threads {
            let work = Box { _ = acceptLoop(listener: listener, waiting: mask, group: group) }
            var thread = pthread_t()
            let started = pthread_create(&thread, nil, { raw in
                Unmanaged<Box>.fromOpaque(raw!).takeRetainedValue().run()
                return nil
            }, Unmanaged.passRetained(work).toOpaque())
            guard started == 0 else {
                HandlerLog.write("kaitori-fcgi: cannot start a thread: \(String(cString: strerror(started)))")
                Unmanaged.passUnretained(work).release()
                break
            }
            workers.append(thread)
        }
        let status = acceptLoop(listener: listener, waiting: mask, group: group)
        for worker in workers { pthread_join(worker, nil) }
        if let group {
            HandlerLog.write("kaitori-fcgi: stopped; \(group.stored) application(s) stored in \(group.batches) commit(s), "
                             + "at most \(group.largestBatch) in one")
        }
        return status
    }

    /// A thread's work, handed to `pthread_create`.
    private final class Box {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }

    /// One thread's requests, one at a time, until a stop signal.
    private static func acceptLoop(listener: Int32, waiting: sigset_t, group: GroupCommit?) -> Int32 {
        var waiting = waiting
        // A Unix socket (lighttpd, spawn-fcgi -s, a systemd socket unit, as deploy/ sets them up):
        // accepted here. A TCP socket keeps libfcgi's accept, which honours FCGI_WEB_SERVER_ADDRS.
        var address = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        let acceptsHere = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(listener, $0, &length) }
        } == 0 && address.ss_family == sa_family_t(AF_UNIX)
        var request = FCGX_Request()
        // When connections are accepted here, libfcgi gets no listening socket at all: after a
        // connection it could not read, FCGX_Accept_r goes on to accept the next one itself, with
        // the 2 s wait that drops slow connections (a -1 makes that accept fail at once instead).
        guard FCGX_InitRequest(&request, acceptsHere ? -1 : listener, 0) == 0 else {
            HandlerLog.write("kaitori-fcgi: cannot set up a request")
            return 1
        }
        defer { FCGX_Free(&request, 1) }
        let cache = HandlerCache(groupCommit: group)
        let clock = EnvironmentClock()
        let process = CGIRequest.processEnvironment()

        while stopRequested == 0 {
            // Wait for a new connection, the next request on a connection the server kept open,
            // or the stop.
            var fds = [pollfd(fd: stopPipe.read, events: Int16(POLLIN), revents: 0),
                       pollfd(fd: listener, events: Int16(POLLIN), revents: 0)]
            if request.ipcFd >= 0 { fds.append(pollfd(fd: request.ipcFd, events: Int16(POLLIN), revents: 0)) }
            let ready = ppoll(&fds, nfds_t(fds.count), nil, &waiting)
            if ready < 0 {
                if errno == EINTR { continue }
                HandlerLog.write("kaitori-fcgi: waiting for connections failed: \(String(cString: strerror(errno)))")
                return 1
            }
            if fds[0].revents != 0 { break }
            var handed = false
            if request.ipcFd < 0, acceptsHere {
                // The connection is accepted here rather than by libfcgi, whose accept waits up to
                // 2 s for the new connection's first bytes and closes it unread when they are late
                // or the wait is interrupted: lighttpd then logs "connection was dropped after
                // accept()" and the customer gets a 500 (seen once in 250,000 benchmark posts).
                // A connection with nothing to read yet simply blocks this thread's read instead.
                let connection = kaitori_accept_cloexec(listener)
                if connection < 0 {
                    // Another thread or process took it (EAGAIN), or the client left first.
                    if errno != EAGAIN, errno != EWOULDBLOCK, errno != EINTR, errno != ECONNABORTED {
                        HandlerLog.write("kaitori-fcgi: accepting a connection failed: \(String(cString: strerror(errno)))")
                    }
                    continue
                }
                // FCGX_Accept_r first finishes the previous request and would close a connection
                // not marked as kept: this one is read from as a kept connection is. The begin
                // record it reads next sets the flag to what the server asked for.
                request.ipcFd = connection
                request.keepConnection = 1
                handed = true
            }
            let accepted = FCGX_Accept_r(&request)
            if accepted < 0, handed {
                // libfcgi could not read the begin or parameter records of the connection accepted
                // above: it closed it without a word and looked for another (none was waiting).
                // The web server answers that request with an error, so say so: once in about
                // 250,000 benchmark posts this happened unseen (docs/performance.md).
                HandlerLog.write("kaitori-fcgi: a connection was closed before its request could be read "
                                 + "(its first records could not be read); the web server answers it with an error")
                continue
            }
            if accepted < 0 {
                // Another thread or process took the connection (EAGAIN), the client left before
                // its request was read, or its first records were malformed: wait again.
                if -accepted != EAGAIN && -accepted != EWOULDBLOCK {
                    HandlerLog.write("kaitori-fcgi: a connection failed before its request was read: \(FastCGIError.describe(-accepted))")
                }
                continue
            }
            answer(&request, cache: cache, clock: clock, process: process)
            FCGX_Finish_r(&request)
        }
        return 0
    }

    private static func answer(_ request: inout FCGX_Request, cache: HandlerCache, clock: any Clock,
                               process: [String: String]) {
        guard let input = request.in, let output = request.out else { return }
        let environment = FastCGIParameters.environment(request.envp, process: process)
        let response = CGIHandler.respond(environment: environment, body: FastCGIInput(stream: input),
                                          clock: clock, cache: cache)
        // A server error may come from the connection (I/O error, full disk): the next request
        // opens the store afresh rather than inherit it.
        if response.status >= 500 { cache.dropStore() }
        do {
            try response.write(to: output)
        } catch {
            HandlerLog.write("kaitori-fcgi: \(error)")
        }
    }
}
