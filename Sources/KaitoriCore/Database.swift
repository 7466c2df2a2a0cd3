import CSQLite

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A thin, typed wrapper over one database connection: SQLite (the default, a file under `var/`)
/// or PostgreSQL through libpq (`PostgresConnection`, for several web hosts on one database).
/// The store is the only user; everything else speaks in domain types. The store's SQL is the
/// subset both engines run (`?` placeholders, `RETURNING id`, `ON CONFLICT`); where the dialects
/// differ (schema types, pragmas) the store asks `dialect`.
public final class Database {
    /// Which SQL engine is behind this connection.
    public enum Dialect: Sendable { case sqlite, postgres }

    /// The SQLite connection (nil for PostgreSQL).
    let sqlite: OpaquePointer?
    private let postgres: PostgresConnection?
    var handle: OpaquePointer { sqlite! }
    private var statements: [StatementKey: OpaquePointer] = [:]
    /// When the current wait for a lock began (monotonic nanoseconds), for `retryWhileBusy`.
    private let busySince = UnsafeMutablePointer<UInt64>.allocate(capacity: 1)
    /// The queue writers wait in before `BEGIN IMMEDIATE` (nil for a read-only connection).
    private let writeQueue: WriteQueue?
    /// Disk blocks for the WAL index, taken before a transaction writes (nil when read-only).
    private let indexSpace: IndexReservation?

    /// Called right after a transaction commits, and after a write outside any transaction. The
    /// store uses it to publish the pages of the cases the transaction changed.
    var afterCommit: (() -> Void)?
    /// Called after a transaction rolls back: whatever it changed never happened.
    var afterRollback: (() -> Void)?

    public var dialect: Dialect { postgres == nil ? .sqlite : .postgres }

    /// True while a transaction is open on this connection.
    public var inTransaction: Bool {
        if let postgres { return postgres.inTransaction }
        return sqlite3_get_autocommit(handle) == 0
    }

    /// Connects to a PostgreSQL store (one connection per process, or per request in CGI).
    public init(postgres location: PostgresLocation) throws {
        postgres = try PostgresConnection(location)
        sqlite = nil
        writeQueue = nil
        indexSpace = nil
        busySince.initialize(to: 0)
    }

    /// SQLite's process-wide settings, made before the process's first connection opens: memory
    /// statistics off (`CSQLite/shim.h` says why).
    private static let sqliteConfigured: Void = {
        _ = kaitori_sqlite3_config_no_memory_statistics()
    }()

    /// Opens (creating if needed) the database at `path` with the settings every process shares:
    /// WAL, synchronous=FULL (a 303 means the case is on disk), foreign keys, and a busy timeout so
    /// concurrent handlers queue instead of failing.
    public init(path: String, readOnly: Bool = false) throws {
        postgres = nil
        _ = Database.sqliteConfigured
        var db: OpaquePointer?
        let flags = readOnly ? SQLITE_OPEN_READONLY : (SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE)
        let rc = sqlite3_open_v2(path, &db, flags | SQLITE_OPEN_NOMUTEX, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            if let db { sqlite3_close_v2(db) }
            throw StoreError.unavailable("\(path): \(message)")
        }
        sqlite = db
        // Only a database file has other writers to queue with and an index file to back.
        let shared = !readOnly && !path.isEmpty && path != ":memory:"
        writeQueue = shared ? WriteQueue(databasePath: path) : nil
        indexSpace = shared ? IndexReservation(databasePath: path) : nil
        busySince.initialize(to: 0)
        sqlite3_busy_handler(db, retryWhileBusy, UnsafeMutableRawPointer(busySince))
        sqlite3_extended_result_codes(db, 1)
        do {
            if !readOnly { try useWriteAheadLog() }
            try execute("PRAGMA synchronous=FULL")
            try execute("PRAGMA foreign_keys=ON")
        } catch {
            sqlite3_close_v2(db)
            throw error
        }
    }

    /// Puts the file in WAL mode, once: only a new store is not in it yet. Setting the mode answers
    /// SQLITE_BUSY at once, without the busy handler, while another connection creates or writes
    /// the file (seen with kaitori-fcgi's threads opening a new store together), so a busy answer
    /// is retried like any other wait for a lock, and a store already in WAL mode is left alone.
    private func useWriteAheadLog() throws {
        var since: UInt64 = 0
        // (A file that cannot be in WAL mode, e.g. in memory, keeps its mode: set once, no loop.)
        while try query("PRAGMA journal_mode").first?.string("journal_mode") != "wal" {
            do {
                try execute("PRAGMA journal_mode=WAL")
                return
            } catch let error as StoreError {
                guard sqlite3_errcode(handle) == SQLITE_BUSY, retryWhileBusy(&since, since == 0 ? 0 : 1) != 0 else { throw error }
            }
        }
    }

    deinit {
        for (_, stmt) in statements { sqlite3_finalize(stmt) }
        if let sqlite { sqlite3_close_v2(sqlite) }
        indexSpace?.close()
        busySince.deallocate()
    }

    /// Runs SQL that returns no rows (several statements allowed).
    public func execute(_ sql: String) throws {
        if let postgres { return try postgres.execute(sql) }
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let message = err.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(err)
            throw StoreError.from(code: rc, message: message)
        }
    }

    /// Runs one statement with bound values and returns its rows.
    @discardableResult
    public func query(_ sql: String, _ values: [SQLValue] = []) throws -> [Row] {
        if let postgres { return try postgres.query(sql, values) }
        let stmt = try prepare(sql)
        defer { sqlite3_reset(stmt); sqlite3_clear_bindings(stmt) }
        for (i, value) in values.enumerated() {
            let index = Int32(i + 1)
            let rc: Int32
            switch value {
            case .null: rc = sqlite3_bind_null(stmt, index)
            case .int(let v): rc = sqlite3_bind_int64(stmt, index, v)
            // Bound with its byte length: a NUL inside the text is stored, never a cut-off point.
            // From the string's own UTF-8 (SQLite copies it): passing the `String` itself made a
            // C string copy of each value first (45 allocations an application post).
            case .text(var v):
                rc = v.withUTF8 { utf8 in
                    guard let base = utf8.baseAddress, utf8.count > 0 else { return sqlite3_bind_text(stmt, index, "", 0, sqliteTransient) }
                    return UnsafeRawPointer(base).withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                        sqlite3_bind_text(stmt, index, $0, Int32(utf8.count), sqliteTransient)
                    }
                }
            case .real(let v): rc = sqlite3_bind_double(stmt, index, v)
            case .blob(let v): rc = v.isEmpty ? sqlite3_bind_zeroblob(stmt, index, 0) : v.withUnsafeBytes { sqlite3_bind_blob(stmt, index, $0.baseAddress, Int32(v.count), sqliteTransient) }
            }
            if rc != SQLITE_OK { throw lastError(rc) }
        }
        var rows: [Row] = []
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { break }
            guard rc == SQLITE_ROW else { throw lastError(rc) }
            var row = Row()
            let n = sqlite3_column_count(stmt)
            for c in 0..<n {
                let name = String(cString: sqlite3_column_name(stmt, c))
                switch sqlite3_column_type(stmt, c) {
                case SQLITE_INTEGER: row.values[name] = .int(sqlite3_column_int64(stmt, c))
                case SQLITE_FLOAT: row.values[name] = .real(sqlite3_column_double(stmt, c))
                case SQLITE_NULL: row.values[name] = .null
                case SQLITE_BLOB:
                    let count = Int(sqlite3_column_bytes(stmt, c))
                    let bytes = sqlite3_column_blob(stmt, c).map { Array(UnsafeRawBufferPointer(start: $0, count: count)) } ?? []
                    row.values[name] = .blob(bytes)
                default:
                    // Read with its byte length too (text with a NUL in it comes back whole).
                    let count = Int(sqlite3_column_bytes(stmt, c))
                    let text = sqlite3_column_text(stmt, c).map { String(decoding: UnsafeBufferPointer(start: $0, count: count), as: UTF8.self) } ?? ""
                    row.values[name] = .text(text)
                }
            }
            rows.append(row)
        }
        return rows
    }

    /// The id of the row the last INSERT made. SQLite only; store code uses `insert`, which both
    /// engines answer with `RETURNING id`.
    public var lastInsertID: Int64 { postgres?.lastInsertID ?? sqlite3_last_insert_rowid(handle) }
    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { postgres?.changes ?? Int(sqlite3_changes(handle)) }

    /// Runs an INSERT of one row and returns its id; nil when nothing was inserted (`ON CONFLICT
    /// DO NOTHING`). For tables whose `id` is `INTEGER PRIMARY KEY` (every table of the schema
    /// that gets rows this way), and not for upserts (`DO UPDATE`: use `query` with `RETURNING`).
    /// PostgreSQL answers `RETURNING id`. SQLite answers from the connection (the row just
    /// inserted, when the statement changed one): its `RETURNING` collects the rows in a temporary
    /// table first, a second b-tree, pager and page cache (87 KB, 20 pages touched) for each
    /// application post.
    @discardableResult
    public func insert(_ sql: String, _ values: [SQLValue] = []) throws -> Int64? {
        if postgres != nil { return try query(sql + " RETURNING id", values).first?.int("id") }
        try query(sql, values)
        return sqlite3_changes(handle) > 0 ? sqlite3_last_insert_rowid(handle) : nil
    }

    /// Runs `body` in a write transaction taken at the start, so two processes never both
    /// read-then-write the same case. Any error rolls everything back.
    /// - SQLite: writers queue for it first, in the order they came (`WriteQueue`; a wait past its
    ///   limit is a busy store), then BEGIN IMMEDIATE takes the database's single write lock.
    /// - PostgreSQL: the same rule with a transaction-level advisory lock every write transaction
    ///   of the store takes first (`pg_advisory_xact_lock`), so write transactions of all hosts run
    ///   one at a time in READ COMMITTED, each statement seeing everything committed before: every
    ///   rule written for SQLite's single writer (case codes, counters, status checks before a
    ///   move) holds unchanged. The lock ends with the transaction (pgbouncer's transaction
    ///   pooling keeps no session state); waiting is bounded by `lock_timeout` like SQLite's busy
    ///   limit, and a timeout is `StoreError.unavailable` (503, nothing changed).
    ///
    /// Inside a transaction already (a batch of applications, `CaseStore.createBatch`), `body`
    /// runs in a savepoint of it: an error undoes that part only and is thrown, and the commit is
    /// the outer transaction's.
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        if inTransaction {
            try execute("SAVEPOINT nested")
            do {
                let value = try body()
                try execute("RELEASE nested")
                return value
            } catch {
                try? execute("ROLLBACK TO nested")
                try? execute("RELEASE nested")
                throw error
            }
        }
        let queue = postgres != nil ? nil : writeQueue
        if let queue, !queue.acquire() {
            throw StoreError.unavailable("busy: waited \(WriteQueue.limitSeconds) s for the write queue")
        }
        let outcome: Result<T, any Error>
        do {
            // Out of the queue as soon as the transaction ends: what follows the commit (publishing
            // the case's pages) runs while the next writer commits.
            defer { queue?.release() }
            if postgres != nil {
                try execute("BEGIN; SET LOCAL lock_timeout = '\(WriteQueue.limitSeconds * 1000)ms'; SELECT pg_advisory_xact_lock(\(Database.writeLockKey))")
            } else {
                try execute("BEGIN IMMEDIATE")
            }
            do {
                try indexSpace?.reserve()
                let value = try body()
                try execute("COMMIT")
                outcome = .success(value)
            } catch {
                try? execute("ROLLBACK")
                outcome = .failure(error)
            }
        }
        switch outcome {
        case .success(let value):
            afterCommit?()
            return value
        case .failure(let error):
            afterRollback?()
            throw error
        }
    }

    /// Compiles statements into the connection's cache before the transaction that runs them
    /// takes the write queue, so that the queue is held for binding, stepping and committing
    /// only. Compiling an INSERT into a table with foreign keys and triggers is SQLite generating
    /// its whole program (about a fifth of an application post's instructions): inside the
    /// transaction, 32 concurrent posts on two cores each held the queue that much longer while
    /// the others waited in it (docs/performance.md, "Statements compiled before the write
    /// queue"). A statement that cannot be compiled here is left for its transaction, which reports
    /// the error where it runs. Statements already cached (every later post of a persistent
    /// handler) cost a lookup each. PostgreSQL compiles on the server: nothing to do.
    public func prepareAhead(_ sqls: [String]) {
        guard postgres == nil else { return }
        for sql in sqls { _ = try? prepare(sql) }
    }

    /// The advisory lock key of the store's write transactions on PostgreSQL ("KAITORI" in ASCII).
    static let writeLockKey: Int64 = 0x4B_4149_544F_5249

    private func prepare(_ sql: String) throws -> OpaquePointer {
        let key = StatementKey(sql: sql)
        if let stmt = statements[key] { return stmt }
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(handle, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw lastError(rc) }
        statements[key] = stmt
        return stmt
    }

    private func lastError(_ rc: Int32) -> StoreError {
        StoreError.from(code: rc, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// The statement cache's key: the SQL text, hashed by its length and three of its 8-byte words
/// (start, middle, end) rather than every byte. A statement is looked up and stored once each in a
/// CGI process, and hashing the whole text of the application's 300-byte INSERTs twice each cost
/// 20 K instructions a post. Keys that hash alike are told apart by comparing the whole text.
struct StatementKey: Hashable {
    let sql: String

    static func == (a: StatementKey, b: StatementKey) -> Bool { a.sql == b.sql }

    func hash(into hasher: inout Hasher) {
        var sql = sql
        sql.withUTF8 { bytes in
            hasher.combine(bytes.count)
            guard let base = bytes.baseAddress, bytes.count >= 8 else {
                hasher.combine(bytes: UnsafeRawBufferPointer(bytes))
                return
            }
            let raw = UnsafeRawPointer(base)
            hasher.combine(raw.loadUnaligned(as: UInt64.self))
            hasher.combine(raw.loadUnaligned(fromByteOffset: (bytes.count - 8) / 2, as: UInt64.self))
            hasher.combine(raw.loadUnaligned(fromByteOffset: bytes.count - 8, as: UInt64.self))
        }
    }
}

/// How long a connection waits for a lock another process holds before giving up (SQLITE_BUSY).
/// Writers in a transaction wait in the `WriteQueue` first, so what is left to wait for here is
/// short: another connection's checkpoint at close, its WAL recovery at open, or a write from
/// outside the queue (the `sqlite3` shell).
private let busyLimitNanoseconds: UInt64 = 10_000_000_000

/// The busy handler: retry every 1–2 ms (random, so waiting processes do not wake in step) for
/// up to 10 s. SQLite's own (`sqlite3_busy_timeout`) sleeps in growing steps up to 100 ms, so under
/// many concurrent posts a process that has waited longest sleeps longest and newcomers keep
/// taking the lock before it: most posts waited a few ms, and the unlucky ones over a second.
/// With short fixed sleeps every waiter has the same chance at each release of the write lock.
/// Durability is untouched: this only decides when to try the lock again.
private func retryWhileBusy(_ context: UnsafeMutableRawPointer?, _ attempts: Int32) -> Int32 {
    guard let since = context?.assumingMemoryBound(to: UInt64.self) else { return 0 }
    var now = timespec()
    clock_gettime(CLOCK_MONOTONIC, &now)
    let nanoseconds = UInt64(now.tv_sec) * 1_000_000_000 + UInt64(now.tv_nsec)
    if attempts == 0 { since.pointee = nanoseconds }
    guard nanoseconds - since.pointee < busyLimitNanoseconds else { return 0 }
    pauseBeforeRetry()
    return 1
}

/// 1–2 ms, random, so processes waiting for the same lock do not wake in step (the busy handler,
/// and the write queue when it has no timer).
func pauseBeforeRetry() {
    var pause = timespec(tv_sec: 0, tv_nsec: 1_000_000 + Int(UInt32.random(in: 0..<1_000_000)))
    nanosleep(&pause, nil)
}

private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

public enum SQLValue: Equatable, Sendable {
    case null
    case int(Int64)
    case real(Double)
    case text(String)
    /// Bytes (SQLite BLOB, PostgreSQL bytea).
    case blob([UInt8])
}

extension SQLValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByNilLiteral {
    public init(stringLiteral value: String) { self = .text(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(nilLiteral: ()) { self = .null }
    public static func of(_ v: String?) -> SQLValue { v.map { .text($0) } ?? .null }
    public static func of(_ v: Int64?) -> SQLValue { v.map { .int($0) } ?? .null }
    public static func of(_ v: Int?) -> SQLValue { v.map { .int(Int64($0)) } ?? .null }
    public static func of(_ v: Bool) -> SQLValue { .int(v ? 1 : 0) }
}

public struct Row: Sendable {
    public var values: [String: SQLValue] = [:]
    public func string(_ c: String) -> String {
        switch values[c] {
        case .text(let s): s
        case .int(let i): String(i)
        default: ""
        }
    }
    public func optionalString(_ c: String) -> String? {
        if case .text(let s) = values[c] { return s }
        return nil
    }
    public func int(_ c: String) -> Int64 {
        switch values[c] {
        case .int(let i): i
        case .text(let s): Int64(s) ?? 0
        case .real(let d): Int64(d)
        default: 0
        }
    }
    public func optionalInt(_ c: String) -> Int64? {
        if case .int(let i) = values[c] { return i }
        return nil
    }
    public func bool(_ c: String) -> Bool { int(c) != 0 }
    public func bytes(_ c: String) -> [UInt8]? {
        switch values[c] {
        case .blob(let b): b
        case .text(let s): Array(s.utf8)
        default: nil
        }
    }
}
