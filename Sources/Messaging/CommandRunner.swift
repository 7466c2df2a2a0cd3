#if canImport(Glibc)
import Glibc
#endif

/// Runs a shop-configured command line through `/bin/sh -c` with given input on stdin, its
/// stdout and stderr captured together, and a time limit.
///
/// The input comes from an unlinked temporary file rather than a pipe, so a command that exits
/// without reading it neither blocks us nor kills us with SIGPIPE. The command runs in its own
/// process group so a timeout also stops whatever it started.
struct CommandRunner {
    var command: String
    /// `$1`, `$2`, … of the command line.
    var arguments: [String] = []
    /// Added to (or replacing in) the current environment.
    var environment: [String: String] = [:]
    var timeout: Int = 120
    /// Output kept for the error message.
    static let maxOutput = 2000

    struct Outcome: Equatable {
        var status: Int32
        var output: String
    }

    func run(input: [UInt8]) throws(DeliveryError) -> Outcome {
        let stdin = try inputFile(input)
        defer { close(stdin) }
        var pipeFDs: [Int32] = [0, 0]
        guard pipe(&pipeFDs) == 0 else { throw .commandNotStarted(command: command, reason: String(cString: strerror(errno))) }
        let (readEnd, writeEnd) = (pipeFDs[0], pipeFDs[1])
        _ = fcntl(readEnd, F_SETFD, FD_CLOEXEC)
        defer { close(readEnd) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, stdin, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)
        posix_spawn_file_actions_addclose(&actions, writeEnd)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Own process group; SIGPIPE back to default in case this process ignores it.
        var defaults = sigset_t()
        sigemptyset(&defaults)
        sigaddset(&defaults, SIGPIPE)
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setpgroup(&attributes, 0)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF))

        let argv = ["/bin/sh", "-c", command, "kaitori"] + arguments
        var merged: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let pair = String(cString: pointer)
            if let eq = pair.firstIndex(of: "=") { merged[String(pair[..<eq])] = String(pair[pair.index(after: eq)...]) }
            entry += 1
        }
        for (k, v) in environment { merged[k] = v }
        let envp = merged.map { "\($0.key)=\($0.value)" }

        var pid: pid_t = 0
        let spawned = withCStrings(argv) { cArgv in
            withCStrings(envp) { cEnv in posix_spawn(&pid, "/bin/sh", &actions, &attributes, cArgv, cEnv) }
        }
        close(writeEnd)
        guard spawned == 0 else { throw .commandNotStarted(command: command, reason: String(cString: strerror(spawned))) }

        guard let outcome = collect(readEnd, pid: pid) else {
            kill(-pid, SIGKILL)
            var status: Int32 = 0
            while waitpid(pid, &status, 0) < 0, errno == EINTR {}
            throw .commandTimedOut(command: command, seconds: timeout)
        }
        return outcome
    }

    /// Reads the command's output until the command has exited and the output has ended.
    /// - Returns: the outcome (the start of the output when long), or nil when the time ran out.
    private func collect(_ fd: Int32, pid: pid_t) -> Outcome? {
        let deadline = CommandRunner.monotonicNow() + Int64(timeout)
        var collected: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        var status: Int32?
        var outputOpen = true
        while true {
            if !outputOpen, let status {
                let text = String(decoding: collected.prefix(CommandRunner.maxOutput), as: UTF8.self)
                return Outcome(status: status, output: text.split(whereSeparator: \.isNewline).joined(separator: " / ").trimmed(of: " "))
            }
            let left = deadline - CommandRunner.monotonicNow()
            if left <= 0 { return nil }
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid { status = CommandRunner.exitStatus(raw) }
            }
            guard outputOpen else { usleep(20_000); continue }
            var pfd = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&pfd, 1, status == nil ? Int32(min(left, 1) * 1000) : 0)
            if ready > 0 {
                let n = read(fd, &buffer, buffer.count)
                if n > 0 {
                    if collected.count < CommandRunner.maxOutput { collected += buffer[0..<n] }
                } else if n == 0 || errno != EINTR {
                    outputOpen = false
                }
            } else if ready < 0, errno != EINTR {
                outputOpen = false
            } else if ready == 0, status != nil {
                // Exited, and nothing more is buffered: whatever still holds the pipe open (a
                // daemon the command started) is not waited for.
                outputOpen = false
            }
        }
    }

    /// The exit status, or 128 + the signal that ended the command (as shells report it).
    private static func exitStatus(_ raw: Int32) -> Int32 {
        let signal = raw & 0x7F
        return signal == 0 ? (raw >> 8) & 0xFF : 128 + signal
    }

    private func inputFile(_ input: [UInt8]) throws(DeliveryError) -> Int32 {
        let dir = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array((dir + "/kaitori-message-XXXXXX").utf8CString)
        let fd = mkstemp(&template)
        guard fd >= 0 else { throw .commandNotStarted(command: command, reason: "cannot create a temporary file in \(dir): \(String(cString: strerror(errno)))") }
        unlink(template)
        var offset = 0
        while offset < input.count {
            let n = input[offset...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                close(fd)
                throw .commandNotStarted(command: command, reason: "cannot write the message to a temporary file: \(reason)")
            }
            offset += n
        }
        lseek(fd, 0, SEEK_SET)
        return fd
    }
}

/// Calls `body` with a NULL-terminated C array of `strings`.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafeMutablePointer<CChar>?]) -> R) -> R {
    let pointers = strings.map { strdup($0) } + [nil]
    defer { pointers.forEach { free($0) } }
    return body(pointers)
}

extension CommandRunner {
    /// Seconds on a clock that never jumps (for deadlines).
    static func monotonicNow() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Int64(ts.tv_sec)
    }
}
