#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An owner-only (0600) file written through a buffer and read back in chunks: the spools of the
/// exports (a workbook's rows, the bank file the console sends) and the file an export publishes
/// (`StreamingOutput`). It holds personal data, so it lives in the shop's var/ or beside the
/// export's target, never in /tmp. While it has a name, releasing the object removes it; a spool
/// made with `init(in:)` has none from the start (created and removed at once), so nothing is
/// left behind even when the process is killed.
public final class SpoolFile {
    private let fd: Int32
    /// The file's path while it has one.
    public private(set) var path: String?
    /// What messages call the file (the export's target, "a spool file in …").
    private let label: String
    private var buffer: [UInt8] = []
    static let chunk = 1 << 16

    /// A new file at `path`, which must not exist yet.
    /// - Parameter label: what messages call it (the path by default).
    public init(creating path: String, label: String? = nil) throws {
        let label = label ?? path
        let fd = open(path, O_CREAT | O_EXCL | O_RDWR | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else { throw FileIO.Failure("cannot create", label, errno) }
        // The umask can only clear bits; the owner must keep read and write (a writer may reopen it).
        guard fchmod(fd, 0o600) == 0 else {
            let code = errno
            close(fd)
            unlink(path)
            throw FileIO.Failure("cannot create", label, code)
        }
        self.fd = fd
        self.label = label
        self.path = path
        buffer.reserveCapacity(Self.chunk)
    }

    /// A new file in `folder` that has no name: created and removed at once.
    public convenience init(in folder: String) throws {
        var random = SystemRandomNumberGenerator()
        try self.init(creating: folder + "/.spool-\(getpid())-" + FileIO.hex16(random.next()), label: "a spool file in \(folder)")
        removeName()
    }

    deinit {
        close(fd)
        if let path { unlink(path) }
    }

    /// Takes the file's name away; it stays open here (written and read as before).
    public func removeName() {
        guard let path else { return }
        unlink(path)
        self.path = nil
    }

    public func write(_ bytes: [UInt8]) throws {
        buffer += bytes
        if buffer.count >= Self.chunk { try flush() }
    }

    public func write(_ text: String) throws {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= Self.chunk { try flush() }
    }

    /// Writes what is still in the buffer to the file.
    public func flush() throws {
        try Self.writeAll(fd, buffer[...], label: label)
        buffer.removeAll(keepingCapacity: true)
    }

    /// Flushes, then syncs the file to disk.
    public func sync() throws {
        try flush()
        guard fsync(fd) == 0 else { throw FileIO.Failure("cannot write", label, errno) }
    }

    /// Puts the file in place of `target` (after `sync`), replacing what is there; the file then
    /// has that name and is no longer removed on release.
    public func rename(to target: String) throws {
        guard let path else { throw FileIO.Failure("cannot write", target, ENOENT) }
        guard Glibc.rename(path, target) == 0 else { throw FileIO.Failure("cannot write", target, errno) }
        self.path = nil
        FileIO.syncFolder(of: target)
    }

    /// The file's size: everything written to it, here or through another handle (after `flush`).
    public func size() throws -> Int64 {
        try flush()
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileIO.Failure("cannot read", label, errno) }
        return Int64(info.st_size)
    }

    /// Up to `count` bytes from `offset` (fewer only at the end of the file), after `flush`.
    public func read(at offset: Int64, count: Int) throws -> [UInt8] {
        if !buffer.isEmpty { try flush() }
        var out = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let n = out.withUnsafeMutableBytes { pread(fd, $0.baseAddress! + filled, count - filled, off_t(offset) + off_t(filled)) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw FileIO.Failure("cannot read", label, errno) }
            if n == 0 { break }
            filled += n
        }
        out.removeLast(count - filled)
        return out
    }

    /// Flushes, then a second descriptor of the file placed at its start: a child process's stdin
    /// (a request body `kaitori serve` hands to a CGI program). It shares this object's file
    /// offset, so nothing more is written here once it is taken. Close-on-exec, as this one (a
    /// child gets it only where it is given); the caller closes it.
    public func descriptorAtStart() throws -> Int32 {
        try flush()
        guard lseek(fd, 0, SEEK_SET) == 0 else { throw FileIO.Failure("cannot read", label, errno) }
        let copy = fcntl(fd, F_DUPFD_CLOEXEC, 0)
        guard copy >= 0 else { throw FileIO.Failure("cannot read", label, errno) }
        return copy
    }

    /// Copies the whole file, from its start, to `target` (stdout, a response) in chunks.
    /// - Parameter targetLabel: what messages call the target.
    public func copy(to target: Int32, targetLabel: String) throws {
        var offset: Int64 = 0
        while true {
            let chunk = try read(at: offset, count: Self.chunk)
            if chunk.isEmpty { return }
            try Self.writeAll(target, chunk[...], label: targetLabel)
            offset += Int64(chunk.count)
        }
    }

    /// Writes all of `bytes` to `fd`, resuming after short writes and signals.
    static func writeAll(_ fd: Int32, _ bytes: ArraySlice<UInt8>, label: String) throws {
        var rest = bytes
        while !rest.isEmpty {
            let n = rest.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n > 0 else { throw FileIO.Failure("cannot write", label, n < 0 ? errno : EIO) }
            rest = rest.dropFirst(n)
        }
    }
}
