/// What waits on the shop, by kind (domain.md, "Staff console": the dashboard), and the other
/// reads the staff console needs: unread events and their read marks.
public enum WaitingKind: String, CaseIterable, Sendable {
    case applications, parcels, assessment, answers, ids, payments, returns

    /// How the console names the kind.
    public var label: String {
        switch self {
        case .applications: "新しい申込（確定待ち）"
        case .parcels: "到着待ちの荷物"
        case .assessment: "査定待ちの商品"
        case .answers: "承認済み・買取確定待ち"
        case .ids: "本人確認書類の確認待ち"
        case .payments: "支払い待ち"
        case .returns: "返送待ちの不成約品"
        }
    }

    /// The condition on `cases c` that puts a case in this kind, and the moment it started waiting.
    var sql: (condition: String, since: String) {
        let statusSince = "(SELECT MAX(h.at) FROM history h WHERE h.case_id = c.id AND h.to_status = c.status)"
        switch self {
        case .applications: return ("c.status = 'received'", "c.created_at")
        case .parcels: return ("c.status = 'confirmed'", statusSince)
        case .assessment: return ("c.status IN ('arrived', 'assessing')", statusSince)
        case .answers: return ("c.status = 'approved'", statusSince)
        case .ids:
            return ("EXISTS (SELECT 1 FROM id_checks k WHERE k.case_id = c.id AND k.state = 'submitted')",
                    "(SELECT MIN(k.submitted_at) FROM id_checks k WHERE k.case_id = c.id AND k.state = 'submitted')")
        case .payments: return ("c.status = 'purchased' AND c.paid_at IS NULL", statusSince)
        case .returns:
            // The same rule as the case list's "return the declined items" (CaseStore.list).
            return ("""
                c.assessed_at IS NOT NULL AND c.status IN ('approved','purchased','paid','canceled')
                AND EXISTS (SELECT 1 FROM items i WHERE i.case_id = c.id AND i.returned_at IS NULL
                            AND (i.declined = 1 OR c.status = 'canceled'))
                AND NOT EXISTS (SELECT 1 FROM cases r WHERE r.parent_id = c.id)
                """, statusSince)
        }
    }
}

/// One line of the dashboard.
public struct WaitingCount: Equatable, Sendable {
    public var kind: WaitingKind
    public var count: Int
    /// When the longest-waiting case started waiting; nil when none waits.
    public var oldestSince: Int64?

    /// Whole days the oldest case has waited at `now`.
    public func daysWaited(at now: Int64) -> Int? {
        oldestSince.map { Int(max(0, now - $0) / 86_400) }
    }
}

extension CaseStore {
    /// Every kind with its count and the oldest case's start of waiting.
    public func waiting() throws -> [WaitingCount] {
        try WaitingKind.allCases.map { kind in
            let (condition, since) = kind.sql
            let row = try db.query("SELECT COUNT(*) AS n, MIN(\(since)) AS oldest FROM cases c WHERE \(condition)").first
            return WaitingCount(kind: kind, count: Int(row?.int("n") ?? 0), oldestSince: row?.optionalInt("oldest"))
        }
    }

    /// The codes of the cases waiting in `kind` (the dashboard's links filter the case list by it).
    public func codes(waiting kind: WaitingKind) throws -> Set<String> {
        Set(try db.query("SELECT c.code FROM cases c WHERE \(kind.sql.condition)").map { $0.string("code") })
    }

    /// Events no one has marked read yet (the bell). Read marks are shop-wide, as `kaitori feed`'s.
    public func unreadEventCount() throws -> Int {
        Int(try db.query("SELECT COUNT(*) AS n FROM events WHERE seen = 0").first?.int("n") ?? 0)
    }

    /// Marks read every event up to and including `lastID` (what the reader was shown), so an
    /// event that arrives meanwhile stays unread.
    /// - Returns: how many events were marked.
    @discardableResult
    public func markEventsRead(upTo lastID: Int64) throws -> Int {
        try db.transaction {
            try db.query("UPDATE events SET seen = 1 WHERE seen = 0 AND id <= ?", [.int(lastID)])
            return db.changes
        }
    }
}
