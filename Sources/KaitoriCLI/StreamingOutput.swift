import Foundation

/// An export written piece by piece, in memory that does not grow with it, and published only when
/// complete: to a file beside the target (owner-only) that `commit` syncs and renames over it, or,
/// for stdout (`-`), to an unnamed file in `spoolFolder` (the shop's var/, never /tmp: it holds
/// personal data) that `commit` copies out. An export refused half-way (`commit` never called)
/// leaves no file and writes nothing to stdout.
final class StreamingOutput {
    private let path: String
    private let temporary: String?
    private let fd: Int32
    private var buffer: [UInt8] = []
    private var committed = false
    private static let chunk = 1 << 16

    init(path: String, spoolFolder: String) throws {
        self.path = path
        if path == "-" {
            temporary = nil
            // Named only for the moment between open and unlink.
            let spool = spoolFolder + "/.export-spool-\(getpid())"
            fd = open(spool, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC, 0o600)
            if fd >= 0 { unlink(spool) }
        } else {
            let tmp = path + ".tmp-\(getpid())"
            temporary = tmp
            fd = open(tmp, O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0o600)
        }
        guard fd >= 0 else { throw CLIError("cannot write \(path == "-" ? "a spool file in \(spoolFolder)" : path): \(String(cString: strerror(errno)))") }
        buffer.reserveCapacity(Self.chunk)
    }

    deinit {
        close(fd)
        if !committed, let temporary { unlink(temporary) }
    }

    func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= Self.chunk { try flush() }
    }

    /// Syncs the file and renames it over the target, or copies it to stdout.
    func commit() throws {
        try flush()
        guard fsync(fd) == 0 else { throw failure() }
        if let temporary {
            guard rename(temporary, path) == 0 else { throw failure() }
        } else {
            guard lseek(fd, 0, SEEK_SET) == 0 else { throw failure() }
            var chunk = [UInt8](repeating: 0, count: Self.chunk)
            while true {
                let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0, errno == EINTR { continue }
                guard n >= 0 else { throw failure() }
                if n == 0 { break }
                try writeAll(STDOUT_FILENO, chunk[..<n])
            }
        }
        committed = true
    }

    private func flush() throws {
        try writeAll(fd, buffer[...])
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ target: Int32, _ bytes: ArraySlice<UInt8>) throws {
        var rest = bytes
        while !rest.isEmpty {
            let n = rest.withUnsafeBytes { Glibc.write(target, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw failure() }
            rest = rest.dropFirst(n)
        }
    }

    private func failure() -> CLIError {
        CLIError("cannot write \(path == "-" ? "stdout" : path): \(String(cString: strerror(errno)))")
    }
}
