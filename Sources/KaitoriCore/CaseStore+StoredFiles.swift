/// Re-sealing the stored ID images and signatures (`SealedFile`), deleting files safely, and
/// refusing an unmasked image. Reading goes through `readStoredFile` only (CaseStore+Files.swift).
extension CaseStore {
    /// Stored paths are absolute, or relative to the shop folder.
    func resolve(_ path: String) -> String { CaseStore.resolvedPath(path, site: site) }

    func readStored(_ path: String) throws -> [UInt8]? {
        if let id = CaseStore.databaseFileID(path) {
            return try db.query("SELECT bytes FROM stored_file_data WHERE file_id = ?", [.int(id)]).first?.bytes("bytes")
        }
        do { return try FileIO.read(resolve(path)) } catch let failure as FileIO.Failure { throw StoreError.invalid(failure.description) }
    }

    /// Whether `keyID` is the key the shop publishes now; a submission sealed with a key replaced
    /// meanwhile (a rotation) is refused inside its transaction, so no file is ever recorded under
    /// a key that a finishing rotation is about to drop.
    func checkPublishedKey(_ keyID: String?) throws {
        let published = try? KeyFiles.publishedKey(site: site)
        guard published?.id == keyID else {
            throw StoreError.unavailable("the shop's public key changed while the files were being stored; send again")
        }
    }

    /// Records one uploaded file (an ID image or the signature) within the caller's transaction
    /// and returns its id. SQLite stores keep the file where the handler wrote it (`var/uploads`);
    /// PostgreSQL stores copy its bytes into `stored_file_data` (path `db:ID`), so the console on
    /// every host reads the same file.
    func storeUploadedFile(caseID: Int64, checkID: Int64, _ file: (kind: String, path: String, contentType: String, size: Int64),
                           keyID: String?, at now: Int64) throws -> Int64 {
        let sql = "INSERT INTO stored_files (case_id, id_check_id, kind, path, content_type, size, created_at, key_id) VALUES (?,?,?,?,?,?,?,?)"
        guard db.dialect == .postgres else {
            return try db.insert(sql, [.int(caseID), .int(checkID), .text(file.kind), .text(file.path), .text(file.contentType),
                                       .int(file.size), .int(now), .of(keyID)]) ?? 0
        }
        guard let bytes = try readStored(file.path) else { throw StoreError.invalid("the uploaded file \(file.path) is missing") }
        let id = try db.insert(sql, [.int(caseID), .int(checkID), .text(file.kind), .text(""), .text(file.contentType),
                                     .int(Int64(bytes.count)), .int(now), .of(keyID)]) ?? 0
        try db.query("UPDATE stored_files SET path = ? WHERE id = ?", [.text("db:\(id)"), .int(id)])
        try db.query("INSERT INTO stored_file_data (file_id, bytes) VALUES (?, ?)", [.int(id), .blob(bytes)])
        return id
    }

    /// The stored file id of a path `db:ID` (contents in `stored_file_data`), nil for a file path.
    static func databaseFileID(_ path: String) -> Int64? {
        path.hasPrefix("db:") ? Int64(path.dropFirst(3)) : nil
    }

    // MARK: Files to delete

    /// Deletes files whose records are gone (a previous run may have stopped between the commit
    /// and the unlink). Safe to run any time.
    public func deletePendingFiles() throws {
        for row in try db.query("SELECT id, path FROM pending_deletions ORDER BY id") {
            if let fileID = CaseStore.databaseFileID(row.string("path")) {
                try db.query("DELETE FROM stored_file_data WHERE file_id = ?", [.int(fileID)])
                try db.query("DELETE FROM pending_deletions WHERE id = ?", [.int(row.int("id"))])
                continue
            }
            do { try FileIO.remove(resolve(row.string("path"))) } catch let failure as FileIO.Failure { throw StoreError.invalid(failure.description) }
            try db.query("DELETE FROM pending_deletions WHERE id = ?", [.int(row.int("id"))])
        }
    }

    /// Within the caller's transaction: the file at `path` is to be deleted once it commits.
    func queueFileDeletion(_ path: String, reason: String) throws {
        guard !path.isEmpty else { return }
        try db.query("INSERT INTO pending_deletions (path, reason, at) VALUES (?,?,?)", [.text(path), .text(reason), .int(clock.now())])
    }

    func logPrivacy(code: String, action: String, detail: String, by actor: Actor) throws {
        try db.query("INSERT INTO privacy_log (at, case_code, action, detail, actor) VALUES (?,?,?,?,?)",
                     [.int(clock.now()), .text(code), .text(action), .text(detail), .text(actor.description)])
    }

    /// The privacy log (retention, exports, erasures, refused images), oldest first.
    public func privacyLog(code: String? = nil) throws -> [(at: Int64, code: String, action: String, detail: String, actor: String)] {
        let rows = try code.map { try db.query("SELECT * FROM privacy_log WHERE case_code = ? ORDER BY id", [.text(Identifiers.normalizeCode($0))]) }
            ?? db.query("SELECT * FROM privacy_log ORDER BY id")
        return rows.map { ($0.int("at"), $0.string("case_code"), $0.string("action"), $0.string("detail"), $0.string("actor")) }
    }

    // MARK: Refusing an unmasked image

    /// Staff refuse an ID image that shows what must not be kept (a health insurance card's
    /// 記号・番号 or QR code unmasked): the file is deleted, the refusal recorded, the ID request
    /// rejected, a new one opened and the `id_requested` message queued asking again.
    /// - Returns: the case and the new request's token.
    public func rejectUnmaskedImage(code: String, fileID: Int64, by staff: Actor, settings: Settings) throws -> (Case, token: String) {
        let result: (Case, String) = try db.transaction {
            let record = try load(code: code)
            guard let row = try db.query("SELECT * FROM stored_files WHERE id = ? AND case_id = ?", [.int(fileID), .int(record.id)]).first else {
                throw StoreError.refused(code: record.code, reason: "no stored file #\(fileID) in this case (see `kaitori id show \(record.code)`)")
            }
            guard row.string("kind") != "signature" else { throw StoreError.refused(code: record.code, reason: "file #\(fileID) is the signature, not an ID image") }
            let path = row.string("path")
            guard !path.isEmpty else { throw StoreError.refused(code: record.code, reason: "file #\(fileID) was already deleted") }
            guard [.assessed, .approved, .purchased].contains(record.status) else {
                throw StoreError.refused(code: record.code, reason: "the case is \(record.status.rawValue); the customer can only send a new image while it is assessed, approved or purchased")
            }
            try db.query("UPDATE stored_files SET path = '', size = 0 WHERE id = ?", [.int(fileID)])
            try queueFileDeletion(path, reason: "unmasked")
            let reason = "マスキングされていない画像（健康保険証の記号・番号・QRコード等）のため削除し、再提出を依頼"
            if let checkID = row.optionalInt("id_check_id") {
                try db.query("UPDATE id_checks SET state = 'rejected', reviewed_by = ?, reviewed_at = ?, note = ? WHERE id = ? AND state <> 'rejected'",
                             [.text(staff.name ?? staff.description), .int(clock.now()), .text(reason), .int(checkID)])
            }
            try logPrivacy(code: record.code, action: "image_refused_unmasked", detail: "file #\(fileID) (\(row.string("kind"))) deleted", by: staff)
            let token = try openIDCheck(caseID: record.id)
            try touch(caseID: record.id)
            try Notifications(settings: settings).queue(.idRequested, for: record, in: self)
            return (record, token)
        }
        try deletePendingFiles()
        return result
    }

    // MARK: Sealing and key rotation

    /// Points where a re-seal run can be interrupted; tests inject a crash at each.
    public enum ResealStep: Sendable { case wroteNewFile, switchedRecord }

    /// Re-seals every stored file not sealed with `keys.current` (plain files from before the shop
    /// had a key, and files under an older key after a rotation). For each: the new sealed file
    /// is written and synced next to the old one, the record switched to it in one transaction
    /// (which also queues the old file's deletion), then the old file deleted. A run stopped at
    /// any point leaves every record pointing at a complete file its key opens; running again
    /// finishes the work.
    /// - Returns: how many files were re-sealed.
    @discardableResult
    public func resealStoredFiles(keys: KeyRing, interrupt: ((ResealStep, Int) throws -> Void)? = nil) throws -> Int {
        try deletePendingFiles()
        let current = keys.current.publicKey
        var count = 0
        while true {
            let rows = try db.query("""
                SELECT id, path, key_id FROM stored_files WHERE path <> '' AND (key_id IS NULL OR key_id <> ?) ORDER BY id LIMIT 100
                """, [.text(current.id)])
            if rows.isEmpty { return count }
            for row in rows {
                let old = row.string("path")
                guard let content = try readStored(old) else {
                    throw StoreError.invalid("stored file #\(row.int("id")) is missing on disk (\(resolve(old))); nothing was changed for it")
                }
                let plain: [UInt8]
                do {
                    plain = SealedFile.keyID(of: content) == nil ? content : try SealedFile.open(content, with: keys)
                } catch let problem as SealedFile.Problem {
                    throw StoreError.invalid("stored file #\(row.int("id")): \(problem)")
                }
                if let fileID = CaseStore.databaseFileID(old) {
                    // In the database: the new sealed bytes replace the old in one transaction.
                    try db.transaction {
                        try db.query("UPDATE stored_file_data SET bytes = ? WHERE file_id = ?", [.blob(try SealedFile.seal(plain, with: current)), .int(fileID)])
                        try db.query("UPDATE stored_files SET key_id = ? WHERE id = ?", [.text(current.id), .int(row.int("id"))])
                    }
                    count += 1
                    continue
                }
                let base = old.split(separator: "/", omittingEmptySubsequences: false).last.map { String($0.prefix { $0 != "." }) } ?? old
                let folder = old.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
                let new = (folder.isEmpty ? "" : folder + "/") + base + "." + current.id
                do {
                    try FileIO.write(try SealedFile.seal(plain, with: current), to: resolve(new))
                } catch let failure as FileIO.Failure { throw StoreError.invalid(failure.description) }
                try interrupt?(.wroteNewFile, count)
                try db.transaction {
                    try db.query("UPDATE stored_files SET path = ?, key_id = ? WHERE id = ? AND path = ?",
                                 [.text(new), .text(current.id), .int(row.int("id")), .text(old)])
                    if db.changes == 1 { try queueFileDeletion(old, reason: "resealed") }
                }
                try interrupt?(.switchedRecord, count)
                try deletePendingFiles()
                count += 1
            }
        }
    }

    /// Key ids still referenced by stored files.
    public func storedKeyIDs() throws -> Set<String?> {
        Set(try db.query("SELECT DISTINCT key_id FROM stored_files WHERE path <> ''").map { $0.optionalString("key_id") })
    }

    /// `kaitori keys init`: a new key pair (private key at `privateKeyPath`, mode 0600; public key
    /// published for the handler), then every plain file sealed. Refused when a private key
    /// already exists there (use `rotateKeys`).
    /// - Returns: the public key and how many existing files were sealed.
    public func initKeys(privateKeyPath: String) throws -> (PublicKey, sealed: Int) {
        if FileIO.mode(privateKeyPath) != nil {
            let ring = try KeyFiles.readRing(privateKeyPath)
            // A previous init stopped before publishing: finish it instead of refusing.
            if (try? KeyFiles.publishedKey(site: site))?.id == ring.current.publicKey.id || ring.pairs.count > 1 {
                throw StoreError.invalid("a private key already exists at \(privateKeyPath); use `kaitori keys rotate` to replace it")
            }
            try KeyFiles.publish(ring.current.publicKey, site: site)
            return (ring.current.publicKey, try resealStoredFiles(keys: ring))
        }
        let ring = KeyRing(pairs: [try KeyPair.generate()])
        try KeyFiles.writeRing(ring, to: privateKeyPath)
        try KeyFiles.publish(ring.current.publicKey, site: site)
        return (ring.current.publicKey, try resealStoredFiles(keys: ring))
    }

    /// `kaitori keys rotate`: a new pair becomes current (the old kept in the private key file),
    /// the new public key is published, every file is re-sealed under it, and only then are the
    /// old keys dropped. Interrupted, it can be run again: a ring that still holds old keys means
    /// a rotation in progress, which is continued rather than started anew.
    /// - Returns: the new public key and how many files were re-sealed.
    public func rotateKeys(privateKeyPath: String, interrupt: ((ResealStep, Int) throws -> Void)? = nil) throws -> (PublicKey, resealed: Int) {
        var ring = try KeyFiles.readRing(privateKeyPath)
        if ring.pairs.count == 1 {
            ring = KeyRing(pairs: [try KeyPair.generate()] + ring.pairs)
            try KeyFiles.writeRing(ring, to: privateKeyPath)
        }
        try KeyFiles.publish(ring.current.publicKey, site: site)
        let count = try resealStoredFiles(keys: ring, interrupt: interrupt)
        // Dropped under the write lock: a submission sealed with an old key cannot commit now
        // (`checkPublishedKey`), and none is left.
        try db.transaction {
            if try storedKeyIDs().contains(where: { $0 != ring.current.publicKey.id }) {
                throw StoreError.invalid("files still sealed with an old key; run `kaitori keys rotate` again")
            }
            try KeyFiles.writeRing(KeyRing(pairs: [ring.current]), to: privateKeyPath)
        }
        return (ring.current.publicKey, count)
    }
}
