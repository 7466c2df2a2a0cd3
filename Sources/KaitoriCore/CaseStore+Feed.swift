/// The feed of new customer events (domain.md, "Staff views"): staff read it like a notification
/// list; what was shown once is marked seen.
extension CaseStore {
    /// Feed entries, oldest first.
    ///
    /// - Parameters:
    ///   - includeSeen: also entries shown before (otherwise only new ones).
    ///   - markSeen: mark the returned entries seen, in the same transaction that reads them, so
    ///     two staff running the feed at once do not both get the same new entries.
    ///   - limit: at most this many of the newest entries; nil for all.
    public func feed(includeSeen: Bool = false, markSeen: Bool = true, limit: Int? = nil) throws -> [FeedEntry] {
        try db.transaction {
            var sql = "SELECT e.id, e.kind, e.at, e.detail, e.seen, c.code FROM events e LEFT JOIN cases c ON c.id = e.case_id"
            if !includeSeen { sql += " WHERE e.seen = 0" }
            sql += " ORDER BY e.id DESC"
            var values: [SQLValue] = []
            if let limit { sql += " LIMIT ?"; values.append(.of(max(0, limit))) }
            let entries = try db.query(sql, values).reversed().map {
                FeedEntry(id: $0.int("id"), kind: $0.string("kind"), at: $0.int("at"), detail: $0.string("detail"),
                          code: $0.optionalString("code"), seen: $0.bool("seen"))
            }
            if markSeen {
                for entry in entries where !entry.seen { try db.query("UPDATE events SET seen = 1 WHERE id = ?", [.int(entry.id)]) }
            }
            return entries
        }
    }
}
