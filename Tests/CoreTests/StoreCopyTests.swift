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
