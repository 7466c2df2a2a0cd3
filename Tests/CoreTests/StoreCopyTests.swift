import Foundation
import KaitoriCore
import StoreTestSupport
import Testing

/// `kaitori store copy`: every table, verified, into an empty store only, nothing left behind by a
/// failed copy; from SQLite to each backend and from there back to SQLite.
@Suite struct StoreCopyTests {
    /// A SQLite store with an assessed case and a second application.
    static func filledStore() throws -> CaseStore {
        let store = try Fixtures.store(.sqlite)
        _ = try Fixtures.assessedCase(store)
        _ = try store.create(try Fixtures.application(["submission_id": "copy-2"]), settings: Fixtures.settings)
        return store
    }

    static func rows(_ db: Database) throws -> [String: [String]] {
        var out: [String: [String]] = [:]
        for table in ["cases", "customers", "declared_items", "items", "history", "outbox", "events"] {
            out[table] = try db.query("SELECT * FROM \(table)").map { row in
                row.values.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "|")
            }.sorted()
        }
        return out
    }

    @Test(arguments: StoreBackend.all) func copiesEveryRowThereAndBackVerifyingEachTable(_ backend: StoreBackend) throws {
        let source = try Self.filledStore()
        let target = try Fixtures.store(backend)
        let there = try StoreCopy.copy(from: source, to: target, batch: 2)
        #expect(there.first?.name == "cases")
        #expect(there.first { $0.name == "cases" }?.rows == 2)
        #expect(there.allSatisfy { $0.checksum.count == 64 })
        #expect(try Self.rows(target.db) == Self.rows(source.db))

        // And back to SQLite: the same rows, the same count and checksum for every table.
        let back = try CaseStore(path: Fixtures.tempDir() + "/back.sqlite3")
        let again = try StoreCopy.copy(from: target, to: back)
        #expect(try Self.rows(back.db) == Self.rows(source.db))
        #expect(there.filter { $0.name != StoreCopy.uploadsEntry } == again)

        // The copy is a working store: the next case gets the next id (PostgreSQL: the identity
        // sequence was moved past the copied keys).
        let (next, _) = try target.create(try Fixtures.application(["submission_id": "copy-3"]), settings: Fixtures.settings)
        #expect(next.id == 3)
    }

    @Test(arguments: StoreBackend.all) func aTargetWithRowsIsRefusedAndLeftAsItWas(_ backend: StoreBackend) throws {
        let source = try Self.filledStore()
        let target = try Fixtures.store(backend)
        _ = try target.create(try Fixtures.application(["submission_id": "already-there"]), settings: Fixtures.settings)
        let before = try Self.rows(target.db)
        #expect(throws: StoreError.self) { try StoreCopy.copy(from: source, to: target) }
        #expect(try Self.rows(target.db) == before)
    }

    @Test func aFailedCopyLeavesTheTargetEmptySoItCanRunAgain() throws {
        let source = try Self.filledStore()
        let target = try CaseStore(path: Fixtures.tempDir() + "/fail.sqlite3")
        // A row the target refuses midway (a trigger standing for a full disk or a lost connection).
        try target.db.execute("CREATE TRIGGER refuse BEFORE INSERT ON history BEGIN SELECT RAISE(ABORT, 'disk full'); END")
        #expect(throws: StoreError.self) { try StoreCopy.copy(from: source, to: target) }
        #expect(try target.db.query("SELECT count(*) AS n FROM cases").first?.int("n") == 0)
        try target.db.execute("DROP TRIGGER refuse")
        let tables = try StoreCopy.copy(from: source, to: target)
        #expect(tables.first { $0.name == "history" }?.rows == Int(try source.db.query("SELECT count(*) AS n FROM history").first?.int("n") ?? -1))
    }

    @Test func aPostgresURLNamesTheStoreWithoutAPassword() throws {
        let url = try PostgresLocation(url: "postgresql://kaitori@db.internal:6543/shop?password_file=/etc/kaitori/pw")
        #expect(url == PostgresLocation(host: "db.internal", port: 6543, database: "shop", user: "kaitori", passwordFile: "/etc/kaitori/pw"))
        let socket = try PostgresLocation(url: "postgresql://kaitori@/shop?host=/run/pgbouncer&port=6432")
        #expect(socket.host == "/run/pgbouncer" && socket.port == 6432)
        #expect(throws: StoreError.self) { try PostgresLocation(url: "postgresql://kaitori:secret@db/shop") }
        #expect(throws: StoreError.self) { try PostgresLocation(url: "mysql://kaitori@db/shop") }
    }
}
