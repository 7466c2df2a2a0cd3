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
                          size: r.int("size"), createdAt: r.int("created_at"), keyID: r.optionalString("key_id"))
    }

    /// The plain bytes of one stored file of one case, read whole. A sealed file (`SealedFile`,
    /// how the handler stores ID images and signatures) is opened with `keys`, the shop's private
    /// key ring (`KeyFiles.shopRing`); a file stored before the shop had a key is read as is.
    /// - Throws: `StoreError.notFound` for another case's or an unknown id, or a deleted file;
    ///   `StoreError.failed` naming the path when the file is gone or unreadable;
    ///   `StoreError.invalid` for a sealed file without the key that opens it.
    public func readStoredFile(caseID: Int64, fileID: Int64, site: String, keys: KeyRing? = nil) throws -> (file: StoredFile, bytes: [UInt8]) {
        let file = try storedFile(caseID: caseID, fileID: fileID)
        guard !file.path.isEmpty else { throw StoreError.notFound("stored file \(fileID) was deleted") }
        let content: [UInt8]
        if let id = CaseStore.databaseFileID(file.path) {
            guard let bytes = try readStored(file.path) else { throw StoreError.failed("stored file \(id) has no contents in the database") }
            content = bytes
        } else {
            content = try StoredFileBytes.read(CaseStore.resolvedPath(file.path, site: site))
        }
        guard SealedFile.keyID(of: content) != nil else { return (file, content) }
        guard let keys else {
            throw StoreError.invalid("stored file \(fileID) is sealed; the shop's private key (keys.private_key) is needed to open it")
        }
        do {
            return (file, try SealedFile.open(content, with: keys))
        } catch let problem as SealedFile.Problem {
            throw StoreError.invalid("stored file \(fileID): \(problem)")
        }
    }
}

/// Whole-file reads without Foundation (the core stays free of it).
enum StoredFileBytes {
    static func read(_ path: String) throws -> [UInt8] {
        do {
            guard let bytes = try FileIO.read(path) else { throw StoreError.failed("cannot read \(path): No such file or directory") }
            return bytes
        } catch let failure as FileIO.Failure {
            throw StoreError.failed(failure.description)
        }
    }
}
