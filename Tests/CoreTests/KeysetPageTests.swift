@testable import KaitoriCore
import StoreTestSupport
import Testing

/// The exports read their rows a page at a time (`KeysetPage`): every row exactly once, in the
/// order one full query gives, across page boundaries that fall inside a run of equal times.
@Suite struct KeysetPageTests {
    @Test(arguments: StoreBackend.all, [1, KeysetPage.size, 2 * KeysetPage.size, 1_300])
    func everyRowOnceInOrder(_ backend: StoreBackend, count: Int) throws {
        let store = try Fixtures.store(backend)
        let db = store.db
        try db.execute("CREATE TABLE page_test (id INTEGER PRIMARY KEY, at INTEGER NOT NULL)")
        // Ids inserted out of order, seven rows to a time: page ends land inside runs of ties.
        var rng = SystemRandomNumberGenerator()
        let ids = (1...count).shuffled(using: &rng)
        try db.transaction {
            for id in ids { try db.query("INSERT INTO page_test (id, at) VALUES (?, ?)", [.int(Int64(id)), .int(Int64(id % 97 / 7))]) }
        }
        for descending in [false, true] {
            let direction = descending ? " DESC" : ""
            let expected = try db.query("SELECT id FROM page_test ORDER BY at\(direction), id\(direction)").map { $0.int("id") }
            let page = KeysetPage(time: "at", id: "id", descending: descending)
            var seen: [Int64] = []
            var queries = 0
            try page.each({ condition, keys in
                queries += 1
                return try db.query("SELECT id, at AS page_time, id AS page_id FROM page_test WHERE \(condition)" + page.orderAndLimit, keys)
            }) { seen.append($0.int("id")) }
            #expect(seen == expected, "descending: \(descending)")
            #expect(queries == count / KeysetPage.size + 1)
        }
        withExtendedLifetime(store) {}
    }
}
