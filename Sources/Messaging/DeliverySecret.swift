#if canImport(Glibc)
import Glibc
#endif

/// Reads a delivery secret (the SMTP password, the SMS gateway's `user:password`) from where
/// shop.yml says it is: an environment variable or a file. Never from shop.yml itself. A file
/// must lie outside the site folder (which is published, copied and backed up) and be readable
/// by its owner only (mode 0600 or 0400); anything else is refused before anything is sent.
enum DeliverySecret {
    /// - Parameters:
    ///   - envKey, fileKey: the setting names, for errors.
    ///   - envName, filePath: their values; empty means not set.
    ///   - site: the site folder.
    /// - Returns: nil when neither is set.
    static func read(envKey: String, envName: String, fileKey: String, filePath: String,
                     environment: [String: String], site: String) throws(DeliveryError) -> String? {
        if !envName.isEmpty, !filePath.isEmpty {
            throw .configuration(key: fileKey, message: "set either \(envKey) or \(fileKey), not both")
        }
        if !envName.isEmpty {
            guard let value = environment[envName], !value.isEmpty else {
                throw .configuration(key: envKey, message: "the environment variable \(envName) is not set")
            }
            return value
        }
        guard !filePath.isEmpty else { return nil }
        return try readFile(filePath, key: fileKey, site: site)
    }

    static func readFile(_ path: String, key: String, site: String) throws(DeliveryError) -> String {
        guard path.hasPrefix("/") else {
            throw .configuration(key: key, message: "\(path) must be an absolute path outside the site folder")
        }
        guard let real = realPath(path) else {
            throw .configuration(key: key, message: "cannot read \(path): \(String(cString: strerror(errno)))")
        }
        if let siteReal = realPath(site), real == siteReal || real.hasPrefix(siteReal.hasSuffix("/") ? siteReal : siteReal + "/") {
            throw .configuration(key: key, message: "\(path) is inside the site folder; keep secrets outside it (e.g. /etc/kaitori/)")
        }
        let fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw .configuration(key: key, message: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            throw .configuration(key: key, message: "\(path) is not a regular file")
        }
        guard info.st_mode & 0o077 == 0 else {
            throw .configuration(key: key, message: "\(path) has mode \(String(info.st_mode & 0o777, radix: 8)); it must be readable by its owner only (chmod 600)")
        }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while bytes.count < 65536 {
            let n = Glibc.read(fd, &buffer, buffer.count)
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw .configuration(key: key, message: "cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes += buffer[0..<n]
        }
        while let last = bytes.last, last == 10 || last == 13 { bytes.removeLast() }
        guard !bytes.isEmpty else { throw .configuration(key: key, message: "\(path) is empty") }
        return String(decoding: bytes, as: UTF8.self)
    }

    private static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }
}
