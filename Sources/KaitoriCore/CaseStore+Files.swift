#if canImport(Glibc)
import Glibc
#endif

/// Reading what the customer uploaded (ID images, the drawn signature): the one way the CLI, the
/// documents and the console's file route get at a stored file's bytes, so the rule of who may
/// read which file, and how it is stored on disk, lives here once.
extension CaseStore {
    /// The path a stored file's record names, resolved against the shop folder (older records
    /// hold absolute paths, newer ones paths under `var/uploads`).
    public static func resolvedPath(_ stored: String, site: String) -> String {
        stored.hasPrefix("/") ? stored : site + "/" + stored
    }

    /// One stored file of one case. A file id of another case is "not found", exactly like an id
    /// that does not exist, so a URL cannot be used to probe other cases.
    public func storedFile(caseID: Int64, fileID: Int64) throws -> StoredFile {
        guard let r = try db.query("SELECT * FROM stored_files WHERE id = ? AND case_id = ?", [.int(fileID), .int(caseID)]).first else {
            throw StoreError.notFound("no stored file \(fileID) for this case")
        }
        return StoredFile(id: r.int("id"), kind: r.string("kind"), path: r.string("path"), contentType: r.string("content_type"),
                          size: r.int("size"), createdAt: r.int("created_at"))
    }

    /// The bytes of one stored file of one case, read whole.
    /// - Throws: `StoreError.notFound` for another case's or an unknown id, `StoreError.failed`
    ///   naming the path when the file is gone or unreadable.
    public func readStoredFile(caseID: Int64, fileID: Int64, site: String) throws -> (file: StoredFile, bytes: [UInt8]) {
        let file = try storedFile(caseID: caseID, fileID: fileID)
        return (file, try StoredFileBytes.read(CaseStore.resolvedPath(file.path, site: site)))
    }
}

/// Whole-file reads without Foundation (the core stays free of it).
enum StoredFileBytes {
    static func read(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw StoreError.failed("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = chunk.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            guard n >= 0 else { throw StoreError.failed("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<n])
        }
    }
}
