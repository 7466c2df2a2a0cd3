/// One row of the staff's case list.
public struct CaseSummary: Equatable, Sendable {
    public var code: String
    public var status: CaseStatus
    public var name: String
    public var kana: String
    public var phone: String
    public var email: String
    public var createdAt: Int64
    public var updatedAt: Int64
    /// Assessed total of all items.
    public var total: Int
    /// What was or will be paid: the items the customer did not decline; 0 once canceled.
    public var acceptedTotal: Int
    /// Why the case waits on the shop, if it does (domain.md, "Staff views").
    public var needsAction: String?
    /// Whole days since the case last changed.
    public var daysWaited: Int
}

/// What `kaitori case list` filters on; every part optional.
public struct CaseQuery: Sendable {
    public var status: CaseStatus?
    /// Matches code, name, kana, phone, email or tracking number (substring, normalized).
    public var text: String?
    public var from: CivilDate?
    public var to: CivilDate?
    public var needsActionOnly: Bool

    public init(status: CaseStatus? = nil, text: String? = nil, from: CivilDate? = nil, to: CivilDate? = nil, needsActionOnly: Bool = false) {
        self.status = status; self.text = text; self.from = from; self.to = to; self.needsActionOnly = needsActionOnly
    }
}

extension CaseStore {
    public func list(_ q: CaseQuery = CaseQuery()) throws -> [CaseSummary] {
        var out: [CaseSummary] = []
        try eachCase(q) { out.append($0) }
        return out
    }

    /// The same list handed over one case at a time, read a page at a time: an export of any
    /// size runs in memory that does not grow with the shop's history.
    public func eachCase(_ q: CaseQuery = CaseQuery(), _ body: (CaseSummary) throws -> Void) throws {
        let sql = """
            SELECT c.code, c.status, c.created_at, c.updated_at, u.name, u.kana, u.phone, u.email,
              c.created_at AS page_time, c.id AS page_id,
              (SELECT COALESCE(SUM(quantity * unit_price), 0) FROM items i WHERE i.case_id = c.id) AS total,
              CASE WHEN c.status = 'canceled' THEN 0 ELSE (SELECT COALESCE(SUM(quantity * unit_price), 0) FROM items i
                WHERE i.case_id = c.id AND i.declined = 0) END AS accepted_total,
              EXISTS (SELECT 1 FROM id_checks k WHERE k.case_id = c.id AND k.state = 'submitted') AS id_waiting,
              EXISTS (SELECT 1 FROM items i WHERE i.case_id = c.id AND i.returned_at IS NULL
                      AND (i.declined = 1 OR c.status = 'canceled') AND c.status IN ('approved','purchased','paid','canceled')
                      AND c.assessed_at IS NOT NULL
                      AND NOT EXISTS (SELECT 1 FROM cases r WHERE r.parent_id = c.id)) AS return_waiting
            FROM cases c JOIN customers u ON u.case_id = c.id WHERE
            """
        var filter = ""
        var values: [SQLValue] = []
        if let status = q.status { filter += " AND c.status = ?"; values.append(.text(status.rawValue)) }
        if let text = q.text.map(TextNormalizer.trim), !text.isEmpty {
            let digits = TextNormalizer.digits(text)
            let kana = TextNormalizer.katakana(text)
            filter += """
                 AND (c.code LIKE ? OR u.name LIKE ? OR u.kana LIKE ? OR u.email LIKE ? OR c.tracking_number LIKE ?
                      OR EXISTS (SELECT 1 FROM items i WHERE i.case_id = c.id AND i.return_tracking LIKE ?)
                      OR (? <> '' AND u.phone LIKE ?))
                """
            let like = "%\(text)%"
            values += [.text("%\(Identifiers.normalizeCode(text))%"), .text(like), .text("%\(kana)%"), .text(like),
                       .text("%\(digits.isEmpty ? text : digits)%"), .text("%\(digits.isEmpty ? text : digits)%"),
                       .text(digits), .text("%\(digits)%")]
        }
        if let from = q.from { filter += " AND c.created_at >= ?"; values.append(.int(from.daysSinceEpoch * 86400 - CivilDate.jstOffset)) }
        if let to = q.to { filter += " AND c.created_at < ?"; values.append(.int(to.adding(days: 1).daysSinceEpoch * 86400 - CivilDate.jstOffset)) }
        let now = clock.now()
        let page = KeysetPage(time: "c.created_at", id: "c.id", descending: true)
        try page.each({ condition, keys in try db.query(sql + " " + condition + filter + page.orderAndLimit, keys + values) }) { r in
            let status = CaseStatus(rawValue: r.string("status")) ?? .received
            let reason = CaseStore.needsAction(status: status, idWaiting: r.bool("id_waiting"), returnWaiting: r.bool("return_waiting"))
            if q.needsActionOnly, reason == nil { return }
            try body(CaseSummary(code: r.string("code"), status: status, name: r.string("name"), kana: r.string("kana"),
                                 phone: r.string("phone"), email: r.string("email"), createdAt: r.int("created_at"),
                                 updatedAt: r.int("updated_at"), total: Int(r.int("total")),
                                 acceptedTotal: Int(r.int("accepted_total")), needsAction: reason,
                                 daysWaited: Int(max(0, now - r.int("updated_at")) / 86400)))
        }
    }

    static func needsAction(status: CaseStatus, idWaiting: Bool, returnWaiting: Bool) -> String? {
        if idWaiting { return "ID submitted, not verified" }
        switch status {
        case .received: return "confirm the application"
        case .arrived: return "assess the items"
        case .approved: return "verify ID and purchase"
        case .purchased: return "pay"
        default: break
        }
        if returnWaiting { return "return the declined items" }
        return nil
    }

    /// The case's memos, oldest first.
    public func memos(caseID: Int64) throws -> [(at: Int64, author: String, text: String)] {
        try db.query("SELECT at, author, text FROM memos WHERE case_id = ? ORDER BY id", [.int(caseID)]).map {
            (at: $0.int("at"), author: $0.string("author"), text: $0.string("text"))
        }
    }

    public func addMemo(code: String, by staff: Actor, text: String) throws {
        try db.transaction {
            let record = try load(code: code)
            try db.query("INSERT INTO memos (case_id, at, author, text) VALUES (?,?,?,?)",
                         [.int(record.id), .int(clock.now()), .text(staff.name ?? staff.description), .text(text)])
        }
    }
}
