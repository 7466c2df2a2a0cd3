import Foundation
import KaitoriCore
import Testing

/// `kaitori store copy`: every table, verified, into an empty store only, nothing left behind by a
/// failed copy. SQLite to SQLite here; the PostgreSQL directions run the same code against a
/// PostgreSQL store.
@Suite struct StoreCopyTests {
    /// A store with an assessed case, an application, a second case's answer and a renegotiation.
    static func filledStore() throws -> CaseStore {
        let store = try Fixtures.store()
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

    @Test func copiesEveryRowAndVerifiesEachTable() throws {
        let source = try Self.filledStore()
        let target = try CaseStore(path: Fixtures.tempDir() + "/copy.sqlite3")
        let tables = try StoreCopy.copy(from: source, to: target, batch: 2)
        #expect(tables.first?.name == "cases")
        #expect(tables.first { $0.name == "cases" }?.rows == 2)
        #expect(tables.allSatisfy { $0.checksum.count == 64 })
        #expect(try Self.rows(target.db) == Self.rows(source.db))
        // The copy is a working store: a new case gets the next id, and its code is found.
        let (next, _) = try target.create(try Fixtures.application(["submission_id": "copy-3"]), settings: Fixtures.settings)
        #expect(next.id == 3)
        // And on: the copy copies again, whole.
        let back = try CaseStore(path: Fixtures.tempDir() + "/back.sqlite3")
        let again = try StoreCopy.copy(from: target, to: back)
        #expect(again.first { $0.name == "cases" }?.rows == 3)
        #expect(try Self.rows(back.db) == Self.rows(target.db))
    }

    @Test func aTargetWithRowsIsRefusedAndLeftAsItWas() throws {
        let source = try Self.filledStore()
        let target = try Self.filledStore()
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
}

/// The same copy to PostgreSQL and back, against the server `scripts/pg-test-server.sh` starts
/// (`KAITORI_TEST_POSTGRES`: libpq keywords; the password in `KAITORI_TEST_POSTGRES_PASSWORD`).
@Suite(.enabled(if: TestPostgres.server != nil, "KAITORI_TEST_POSTGRES is not set (scripts/pg-test-server.sh start)"))
struct StoreCopyPostgresTests {
    /// A new, empty database on the test server.
    static func newDatabase() throws -> PostgresLocation {
        var location = try #require(TestPostgres.server)
        let name = "kaitori_copy_" + Identifiers.token().prefix(12)
        try Database(postgres: location).execute("CREATE DATABASE \(name)")
        location.database = name
        return location
    }


    @Test func sqliteToPostgresAndBackGivesTheSameRows() throws {
        let source = try StoreCopyTests.filledStore()
        let pg = try CaseStore(postgres: try Self.newDatabase(), site: source.site)
        let there = try StoreCopy.copy(from: source, to: pg, batch: 2)
        #expect(try StoreCopyTests.rows(pg.db) == StoreCopyTests.rows(source.db))

        let back = try CaseStore(path: Fixtures.tempDir() + "/back.sqlite3")
        let again = try StoreCopy.copy(from: pg, to: back)
        #expect(try StoreCopyTests.rows(back.db) == StoreCopyTests.rows(source.db))
        // Every table: the same count and checksum in all three stores.
        #expect(there.filter { $0.name != "uploads moved into the database" } == again)

        // The identity sequences moved past the copied keys: the next case gets the next id.
        let (next, _) = try pg.create(try Fixtures.application(["submission_id": "pg-next"]), settings: Fixtures.settings)
        #expect(next.id == 3)
    }

    @Test func aPostgresTargetWithRowsIsRefused() throws {
        let source = try StoreCopyTests.filledStore()
        let pg = try CaseStore(postgres: try Self.newDatabase(), site: source.site)
        _ = try StoreCopy.copy(from: source, to: pg)
        let before = try StoreCopyTests.rows(pg.db)
        #expect(throws: StoreError.self) { try StoreCopy.copy(from: source, to: pg) }
        #expect(try StoreCopyTests.rows(pg.db) == before)
    }
}

enum TestPostgres {
    /// The test server from `KAITORI_TEST_POSTGRES`, nil when none was started.
    static let server: PostgresLocation? = {
        guard let text = ProcessInfo.processInfo.environment["KAITORI_TEST_POSTGRES"], !text.isEmpty else { return nil }
        var keywords: [String: String] = [:]
        for pair in text.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { keywords[parts[0]] = parts[1] }
        }
        return PostgresLocation(host: keywords["host"] ?? "127.0.0.1", port: Int(keywords["port"] ?? "") ?? 5432,
                                database: keywords["dbname"] ?? "postgres", user: keywords["user"] ?? "kaitori",
                                passwordEnv: "KAITORI_TEST_POSTGRES_PASSWORD")
    }()
}
