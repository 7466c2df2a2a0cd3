#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaitoriCore

/// `var/uploads/` of a shop: identity documents and signatures, readable only by the shop's user
/// and never under `public/`.
enum UploadDirectory {
    /// Creates the folder (mode 0700) when needed.
    ///
    /// - Returns: its path.
    /// - Throws: `StoreError.unavailable` when it cannot be created (the answer is 503: nothing
    ///   can be stored).
    static func prepare(site: String) throws -> String {
        let dir = site + "/var/uploads"
        for path in [site + "/var", dir] where mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw StoreError.unavailable("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        return dir
    }

    /// Writes `bytes` to a new file with a random name and mode 0600, synced to disk before it is
    /// recorded in the store.
    ///
    /// - Returns: the file's path.
    /// - Throws: `StoreError.unavailable` naming the folder (a full disk, most often).
    static func store(_ bytes: [UInt8], in dir: String) throws -> String {
        var random = SystemRandomNumberGenerator()
        let name = hex(random.next()) + hex(random.next())
        let path = dir + "/" + name
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
        guard fd >= 0 else {
            throw StoreError.unavailable("cannot create a file in \(dir): \(String(cString: strerror(errno)))")
        }
        // The umask can only clear bits; set the mode so it is exactly 0600.
        var failure: Int32 = fchmod(fd, 0o600) == 0 ? 0 : errno
        bytes.withUnsafeBytes { raw in
            guard failure == 0 else { return }
            var offset = 0
            while offset < raw.count {
                let written = write(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0, errno == EINTR { continue }
                if written <= 0 { failure = written < 0 ? errno : EIO; return }
                offset += written
            }
        }
        if failure == 0, fsync(fd) != 0 { failure = errno }
        if close(fd) != 0, failure == 0 { failure = errno }
        guard failure == 0 else {
            unlink(path)
            throw StoreError.unavailable("cannot write \(path): \(String(cString: strerror(failure)))")
        }
        return path
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
