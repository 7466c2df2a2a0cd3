#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the store's private files need (uploads, keys), without Foundation:
/// the handler links this module. Every write is synced before it is relied on.
public enum FileIO {
    public struct Failure: Error, CustomStringConvertible, Equatable {
        public let description: String
        init(_ what: String, _ path: String, _ code: Int32) { description = "\(what) \(path): \(String(cString: strerror(code)))" }
    }

    /// The whole file, or nil when it does not exist.
    public static func read(_ path: String) throws -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 {
            if errno == ENOENT { return nil }
            throw Failure("cannot open", path, errno)
        }
        defer { close(fd) }
        var out: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw Failure("cannot read", path, errno) }
            if n == 0 { return out }
            out.append(contentsOf: chunk[0..<n])
        }
    }

    /// Writes `bytes` to a new file with a random name in `dir` (mode exactly 0600), synced.
    /// - Returns: the file's path.
    public static func writeNew(_ bytes: [UInt8], in dir: String) throws -> String {
        var random = SystemRandomNumberGenerator()
        let path = dir + "/" + hex16(random.next()) + hex16(random.next())
        try write(bytes, to: path, flags: O_EXCL)
        return path
    }

    /// Writes `bytes` to `path` (replacing what is there, mode exactly `mode`), synced.
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600, flags: Int32 = O_TRUNC) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC | O_NOFOLLOW | flags, mode)
        guard fd >= 0 else { throw Failure("cannot create", path, errno) }
        // The umask can only clear bits; set the mode so it is exactly what was asked.
        var failure: Int32 = fchmod(fd, mode) == 0 ? 0 : errno
        bytes.withUnsafeBytes { raw in
            guard failure == 0 else { return }
            var offset = 0
            while offset < raw.count {
                let written = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0, errno == EINTR { continue }
                if written <= 0 { failure = written < 0 ? errno : EIO; return }
                offset += written
            }
        }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(path)
            throw Failure("cannot write", path, failure)
        }
    }

    /// Replaces `path` atomically: a reader sees the old content or the new, never a part.
    public static func replace(_ path: String, with bytes: [UInt8], mode: mode_t = 0o600) throws {
        let temporary = path + ".new"
        try write(bytes, to: temporary, mode: mode)
        guard rename(temporary, path) == 0 else {
            let code = errno
            unlink(temporary)
            throw Failure("cannot replace", path, code)
        }
        syncFolder(of: path)
    }

    /// Creates a folder (and its parents) with `mode` where missing.
    public static func makeFolder(_ path: String, mode: mode_t = 0o700) throws {
        var prefix = path.hasPrefix("/") ? "" : "."
        for part in path.split(separator: "/") {
            prefix += "/" + part
            if mkdir(prefix, mode) != 0, errno != EEXIST { throw Failure("cannot create", prefix, errno) }
        }
    }

    /// The permission bits of `path`, or nil when it does not exist.
    public static func mode(_ path: String) -> mode_t? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return info.st_mode & 0o7777
    }

    /// Removes a file; one already gone is fine.
    public static func remove(_ path: String) throws {
        if unlink(path) != 0, errno != ENOENT { throw Failure("cannot delete", path, errno) }
    }

    static func syncFolder(of path: String) {
        let dir = path.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        let fd = open(dir.isEmpty ? "." : dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd >= 0 { fsync(fd); close(fd) }
    }

    static func hex16(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
