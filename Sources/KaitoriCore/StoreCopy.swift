import CSodium

/// Moving a shop's store to another database (`kaitori store copy`, docs/scaling.md): SQLite to
/// PostgreSQL when the shop grows to several web hosts, and back. Generic over the tables: every
/// table the migrations create, in the order they create them (so a row's references are copied
/// before it), every column, every row.
///
/// The target must be empty (a migrated schema, no rows); everything is written in one target
/// transaction and verified before it commits, so a failure at any point leaves the target as
/// empty as it was and the copy can simply be run again.
public enum StoreCopy {
    /// What was copied into one table, and how it was checked.
    public struct Table: Equatable, Sendable {
        public var name: String
        public var rows: Int
        /// BLAKE2b-256 (hex) over the rows, independent of their order and of either engine's
        /// collation: both stores must give the same one.
        public var checksum: String
    }

    /// The store's tables in creation order with their columns and single-column primary key (nil
    /// when the key spans columns), read from a scratch SQLite database migrated by `Schema`: the
    /// same list whichever engine is copied from or to.
    static func tables() throws -> [(name: String, columns: [String], key: String?)] {
        let scratch = try Database(path: ":memory:")
        try Schema.migrate(scratch)
        let names = try scratch.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
            .map { $0.string("name") }
        return try names.map { name in
            let info = try scratch.query("PRAGMA table_info(\(name))")
            let keys = info.filter { $0.int("pk") > 0 }
            let key = keys.count == 1 && keys[0].string("type").uppercased() == "INTEGER" ? keys[0].string("name") : nil
            return (name, info.map { $0.string("name") }, key)
        }
    }

    /// Copies every row of `source` into `target`. Into PostgreSQL, uploads still kept as files
    /// (a SQLite store's `var/uploads`) are moved into the database as well (`stored_file_data`,
    /// path `db:ID`, as a PostgreSQL store keeps them), so every host reads them; their bytes are
    /// compared after writing.
    ///
    /// - Parameters:
    ///   - source: an open, migrated store (its schema is brought up to date by `CaseStore`).
    ///   - target: an open, migrated store without any row.
    ///   - progress: called after each table.
    /// - Returns: each table with its row count and checksum, equal in both stores (before the
    ///   uploads were moved in), and for PostgreSQL an `uploads moved into the database` entry.
    /// - Throws: `StoreError.invalid` when the target holds rows, an upload file is missing or the
    ///   verification finds a difference (nothing is committed then); `StoreError` from either database.
    @discardableResult
    public static func copy(from sourceStore: CaseStore, to targetStore: CaseStore, batch: Int = 500,
                            progress: (Table) -> Void = { _ in }) throws -> [Table] {
        let source = sourceStore.db, target = targetStore.db
        guard sodium_init() >= 0 else { throw StoreError.unavailable("libsodium could not be initialized") }
        let tables = try tables()
        let filled = try tables.compactMap { table -> String? in
            if seeded.contains(table.name) { return nil }
            let rows = try target.query("SELECT count(*) AS n FROM \(table.name)").first?.int("n") ?? 0
            return rows > 0 ? "\(table.name) (\(rows) rows)" : nil
        }
        guard filled.isEmpty else {
            throw StoreError.invalid("the target store is not empty: \(filled.joined(separator: ", ")); copy only into a new, empty store")
        }
        // The source inside a transaction too: one consistent state, and (SQLite) no post
        // committed there while the copy runs.
        return try source.transaction {
            try target.transaction {
                var copied: [Table] = []
                for table in tables {
                    if seeded.contains(table.name) { try target.query("DELETE FROM \(table.name)") }
                    let list = table.columns.joined(separator: ", ")
                    let insert = "INSERT INTO \(table.name) (\(list)) VALUES (\(table.columns.map { _ in "?" }.joined(separator: ", ")))"
                    try eachBatch(source, table, batch: batch) { rows in
                        for row in rows { try target.query(insert, table.columns.map { row.values[$0] ?? .null }) }
                    }
                    try StoreCopy.afterExplicitKeys(target, table: table.name, key: table.key)
                    let expected = try summary(source, table, batch: batch)
                    let found = try summary(target, table, batch: batch)
                    guard expected == found else {
                        throw StoreError.invalid("verification failed for \(table.name): the source has \(expected.rows) rows (checksum \(expected.checksum)), the copy \(found.rows) (checksum \(found.checksum)); nothing was committed")
                    }
                    progress(expected)
                    copied.append(expected)
                }
                if target.dialect == .postgres {
                    let moved = try moveUploadsIn(from: sourceStore, to: target)
                    progress(moved)
                    copied.append(moved)
                }
                return copied
            }
        }
    }

    /// Tables a new store fills when it is created (the confirmation page's secret): not a sign of
    /// a used target. The copy replaces their rows with the source's, so the secret moves with the
    /// shop and confirmation pages already shown stay valid.
    static let seeded: Set<String> = ["shop_secrets"]

    /// Rows count and checksum of one table of `db`.
    static func summary(_ db: Database, _ table: (name: String, columns: [String], key: String?), batch: Int) throws -> Table {
        var digests: [[UInt8]] = []
        try eachBatch(db, table, batch: batch) { rows in
            for row in rows { digests.append(digest(table.columns.map { row.values[$0] ?? .null })) }
        }
        digests.sort { $0.lexicographicallyPrecedes($1) }
        let all = digest(bytes: digests.flatMap { $0 })
        return Table(name: table.name, rows: digests.count, checksum: all.map { hex($0) }.joined())
    }

    /// The table's rows in batches ordered by its integer key (keyset paging), or all at once.
    private static func eachBatch(_ db: Database, _ table: (name: String, columns: [String], key: String?), batch: Int,
                                  _ body: ([Row]) throws -> Void) throws {
        let list = table.columns.joined(separator: ", ")
        guard let key = table.key else {
            try body(try db.query("SELECT \(list) FROM \(table.name)"))
            return
        }
        var after = Int64.min
        while true {
            let rows = try db.query("SELECT \(list) FROM \(table.name) WHERE \(key) > ? ORDER BY \(key) LIMIT \(batch)", [.int(after)])
            if rows.isEmpty { return }
            try body(rows)
            after = rows[rows.count - 1].int(key)
        }
    }

    /// One row: each value with its kind and length, so ("ab", "c") and ("a", "bc") differ and a
    /// number never equals its text.
    static func digest(_ values: [SQLValue]) -> [UInt8] {
        var bytes: [UInt8] = []
        func add(_ tag: UInt8, _ payload: [UInt8]) {
            bytes.append(tag)
            withUnsafeBytes(of: UInt64(payload.count).littleEndian) { bytes.append(contentsOf: $0) }
            bytes.append(contentsOf: payload)
        }
        for value in values {
            switch value {
            case .null: add(0, [])
            case .int(let v): add(1, Array(String(v).utf8))
            case .real(let v): add(2, Array(String(v).utf8))
            case .text(let v): add(3, Array(v.utf8))
            case .blob(let v): add(4, v)
            }
        }
        return digest(bytes: bytes)
    }

    static func digest(bytes: [UInt8]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: 32)
        _ = bytes.withUnsafeBufferPointer { input in
            crypto_generichash(&out, 32, input.baseAddress, UInt64(input.count), nil, 0)
        }
        return out
    }

    static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 15)]])
    }
}

extension StoreCopy {
    /// The name of the entry reporting the uploads moved into PostgreSQL (not a table).
    public static let uploadsEntry = "uploads moved into the database"

    /// Moves the bytes of every upload kept as a file into `stored_file_data` of `target` (within
    /// the copy's transaction), reading them back to compare.
    static func moveUploadsIn(from source: CaseStore, to target: Database) throws -> Table {
        var digests: [[UInt8]] = []
        for row in try target.query("SELECT id, path FROM stored_files WHERE path <> '' AND path NOT LIKE 'db:%' ORDER BY id") {
            let id = row.int("id"), path = row.string("path")
            guard let bytes = try source.readStored(path) else {
                throw StoreError.invalid("stored file \(id): \(path) is missing; restore it (or its backup) under the shop folder and copy again")
            }
            try target.query("INSERT INTO stored_file_data (file_id, bytes) VALUES (?, ?)", [.int(id), .blob(bytes)])
            try target.query("UPDATE stored_files SET path = ? WHERE id = ?", [.text("db:\(id)"), .int(id)])
            guard try target.query("SELECT bytes FROM stored_file_data WHERE file_id = ?", [.int(id)]).first?.values["bytes"] == .blob(bytes) else {
                throw StoreError.invalid("verification failed for stored file \(id): the bytes read back differ; nothing was committed")
            }
            digests.append(digest([.blob(bytes)]))
        }
        digests.sort { $0.lexicographicallyPrecedes($1) }
        return Table(name: uploadsEntry, rows: digests.count,
                     checksum: digest(bytes: digests.flatMap { $0 }).map { hex($0) }.joined())
    }

    /// After rows were inserted with their own keys: nothing for SQLite (its next key follows the
    /// largest); on PostgreSQL the `id` identity sequence is moved past them, or the next insert
    /// would draw a key already taken.
    static func afterExplicitKeys(_ db: Database, table: String, key: String?) throws {
        guard db.dialect == .postgres, key == "id" else { return }
        try db.query("SELECT setval(pg_get_serial_sequence('\(table)', 'id'), coalesce(max(id), 1), max(id) IS NOT NULL) FROM \(table)")
    }
}
