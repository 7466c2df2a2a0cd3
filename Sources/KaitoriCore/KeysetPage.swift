/// Reads a long list a page at a time, in an order given by a time column and the row id, so an
/// export holds one page in memory however many rows the shop has. Keyset paging ("after the last
/// row seen") rather than OFFSET: each page starts where the last ended through the index, and a
/// row added while the export runs does not shift the rows still to come. Portable SQL, the same
/// on SQLite and PostgreSQL.
struct KeysetPage {
    /// Rows per page.
    static let size = 512

    let time: String
    let id: String
    let descending: Bool

    /// - Parameters: `time` and `id` are the SQL expressions the query orders by (e.g. `s.created_at`, `s.id`).
    init(time: String, id: String, descending: Bool = false) {
        self.time = time
        self.id = id
        self.descending = descending
    }

    /// The condition to AND into the query's WHERE after the row `last` (`1 = 1` for the first
    /// page) and its values: a row-value comparison, which SQLite and PostgreSQL both answer with a
    /// seek in an index on (time, id) (`cases_created`, `stock_created`), so a page costs the same
    /// at the end of a long list as at its start.
    func condition(after last: (time: Int64, id: Int64)?) -> (sql: String, values: [SQLValue]) {
        guard let last else { return ("1 = 1", []) }
        return ("(\(time), \(id)) \(descending ? "<" : ">") (?, ?)", [.int(last.time), .int(last.id)])
    }

    /// ORDER BY and LIMIT for the query's end.
    var orderAndLimit: String {
        let direction = descending ? " DESC" : ""
        return " ORDER BY \(time)\(direction), \(id)\(direction) LIMIT \(Self.size)"
    }

    /// Runs `query` (which must select the key columns as `page_time` and `page_id`) page by page
    /// until a page comes back short, handing over every row.
    func each(_ query: (_ condition: String, _ values: [SQLValue]) throws -> [Row], _ body: (Row) throws -> Void) throws {
        var last: (time: Int64, id: Int64)?
        while true {
            let (sql, values) = condition(after: last)
            let rows = try query(sql, values)
            for row in rows { try body(row) }
            guard rows.count == Self.size, let tail = rows.last else { return }
            last = (tail.int("page_time"), tail.int("page_id"))
        }
    }
}
