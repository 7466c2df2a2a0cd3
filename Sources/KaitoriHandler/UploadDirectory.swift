#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaitoriCore

/// `var/uploads/` of a shop: identity documents and signatures, readable only by the shop's user
/// and never under `public/`.
enum UploadDirectory {
    /// Creates the folder (mode 0700) when needed, and refuses one that is not what it must be: a
    /// real directory (not a symbolic link, which would send ID images wherever it points, e.g.
    /// into `public/`), of mode 0700, owned by the user the handler runs as.
    ///
    /// - Returns: its path.
    /// - Throws: `StoreError.unavailable` when it cannot be created or is refused (the answer is
    ///   503 and the reason goes to the log: nothing can be stored safely).
    static func prepare(site: String) throws -> String {
        let dir = site + "/var/uploads"
        for path in [site + "/var", dir] where mkdir(path, 0o700) != 0 && errno != EEXIST {
            throw StoreError.unavailable("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        // Opened without following a link, then checked on the opened folder itself.
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard fd >= 0 else {
            let reason = errno == ELOOP || errno == ENOTDIR ? "is a symbolic link or not a directory" : String(cString: strerror(errno))
            throw StoreError.unavailable("refusing \(dir): \(reason); it must be a real directory of mode 0700")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw StoreError.unavailable("cannot inspect \(dir): \(String(cString: strerror(errno)))") }
        guard info.st_uid == geteuid() else {
            throw StoreError.unavailable("refusing \(dir): owned by uid \(info.st_uid), not by this user (uid \(geteuid()))")
        }
        guard info.st_mode & 0o777 == 0o700 else {
            throw StoreError.unavailable("refusing \(dir): mode \(String(info.st_mode & 0o777, radix: 8)); it must be 0700 (chmod 700)")
        }
        return dir
    }

    /// Writes `bytes` to a new file with a random name and mode 0600, synced to disk before it is
    /// recorded in the store.
    ///
    /// - Returns: the file's path.
    /// - Throws: `StoreError.unavailable` naming the folder (a full disk, most often).
    static func store(_ bytes: [UInt8], in dir: String) throws -> String {
        do {
            return try FileIO.writeNew(bytes, in: dir)
        } catch let failure as FileIO.Failure {
            throw StoreError.unavailable(failure.description)
        }
    }
}
