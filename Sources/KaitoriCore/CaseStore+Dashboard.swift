#if canImport(Glibc)
import Glibc
#endif

/// What waits on the shop, by kind (domain.md, "Staff console": the dashboard), and the other
/// reads the staff console needs: unread events and a case's stored files.
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

/// A stored upload's content, read for staff.
public struct StoredFileContent: Sendable {
    public var file: StoredFile
    public var bytes: [UInt8]
}

extension CaseStore {
    /// Reads one file the customer uploaded (ID image, signature) for staff: only a file of this
    /// case, nil for any other id. The one place staff screens read uploads through.
    ///
    /// - Parameter site: the shop folder, for paths stored relative to it.
    /// - Throws: `StoreError.unavailable` when the file is recorded but cannot be read.
    public func storedFile(caseID: Int64, fileID: Int64, site: String) throws -> StoredFileContent? {
        guard let r = try db.query("SELECT * FROM stored_files WHERE id = ? AND case_id = ?", [.int(fileID), .int(caseID)]).first else {
            return nil
        }
        let file = StoredFile(id: r.int("id"), kind: r.string("kind"), path: r.string("path"),
                              contentType: r.string("content_type"), size: r.int("size"), createdAt: r.int("created_at"))
        let path = file.path.hasPrefix("/") ? file.path : site + "/" + file.path
        return StoredFileContent(file: file, bytes: try CaseStore.readWholeFile(path))
    }

    static func readWholeFile(_ path: String) throws -> [UInt8] {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW)
        guard fd >= 0 else { throw StoreError.unavailable("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0, errno == EINTR { continue }
            if n < 0 { throw StoreError.unavailable("cannot read \(path): \(String(cString: strerror(errno)))") }
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        return bytes
    }
}
