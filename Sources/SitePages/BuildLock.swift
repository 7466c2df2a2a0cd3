#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exclusive lock on `var/build.lock` held by a full build and by every per-case page write.
/// A case page the handler writes while a build runs waits for the swap, and so lands in the new
/// `public/` instead of in the old tree that is about to be deleted.
public final class BuildLock {
    private var descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Blocks until the lock is free. The lock belongs to this object: never acquire it twice in
    /// one process, the second call would wait for the first forever.
    public static func acquire(site: String) throws -> BuildLock {
        let varFolder = SitePaths.join(site, "var")
        if mkdir(varFolder, 0o700) != 0, errno != EEXIST {
            throw SiteError(file: "var/", message: "cannot create the folder: \(FileSystem.reason())")
        }
        let path = SitePaths.join(site, SitePaths.buildLock)
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o660)
        guard fd >= 0 else { throw SiteError(file: SitePaths.buildLock, message: "cannot open: \(FileSystem.reason())") }
        while flock(fd, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            let message = FileSystem.reason()
            close(fd)
            throw SiteError(file: SitePaths.buildLock, message: "cannot lock: \(message)")
        }
        return BuildLock(descriptor: fd)
    }

    public func release() {
        guard descriptor >= 0 else { return }
        flock(descriptor, LOCK_UN)
        close(descriptor)
        descriptor = -1
    }

    deinit { release() }
}
