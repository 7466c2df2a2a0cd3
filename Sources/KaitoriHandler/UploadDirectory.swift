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
        do {
            return try FileIO.writeNew(bytes, in: dir)
        } catch let failure as FileIO.Failure {
            throw StoreError.unavailable(failure.description)
        }
    }
}
