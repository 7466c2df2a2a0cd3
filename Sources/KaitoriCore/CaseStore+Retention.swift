/// Retention and customers' requests (古物営業法 第18条, 個人情報保護法; docs/compliance.md):
/// purchases, their ledger rows, ID records and images are deleted `retention.purchase_years`
/// (at least 3) after the case's last entry; personal data, ID images and signatures of cases that
/// never became purchases `retention.unpurchased_days` after they ended. A deleted case keeps a
/// tombstone: its `cases` row with the code, dates and status, nothing personal.
public struct RetentionEntry: Equatable, Sendable {
    public enum Kind: String, Sendable { case purchase, unpurchased }
    public var caseID: Int64
    public var code: String
    public var status: CaseStatus
    public var kind: Kind
    /// The last entry (purchase) or the end (other cases) the period runs from.
    public var since: Int64
    /// The first day the case may be deleted.
    public var dueOn: CivilDate

    /// The log line a run writes for it.
    public var line: String {
        switch kind {
        case .purchase: "\(code) purchase (\(status.rawValue)), last entry \(CivilDate(unixTime: since).iso): purchase, ledger rows, ID records and images deleted"
        case .unpurchased: "\(code) \(status.rawValue), ended \(CivilDate(unixTime: since).iso): personal data, ID images and signatures deleted"
        }
    }
}

extension CaseStore {
    /// What `runRetention` would delete today: the console shows it, `--dry-run` prints it.
    public func retentionDue(settings: Settings) throws -> [RetentionEntry] {
        let today = CivilDate(unixTime: clock.now())
        let years = max(settings.compliance.retentionPurchaseYears, Settings.Compliance.minimumRetentionYears)
        let days = settings.compliance.retentionUnpurchasedDays
        var due: [RetentionEntry] = []
        // The larger of several values: SQLite's scalar MAX(a, b, …) is PostgreSQL's GREATEST.
        let greatest = db.dialect == .postgres ? "GREATEST" : "MAX"
        let rows = try db.query("""
            SELECT c.id, c.code, c.status, c.purchased_at,
                   \(greatest)(c.updated_at, COALESCE((SELECT MAX(at) FROM history h WHERE h.case_id = c.id), 0),
                       COALESCE((SELECT MAX(returned_at) FROM items i WHERE i.case_id = c.id), 0)) AS last_entry,
                   (SELECT COUNT(*) FROM items i WHERE i.case_id = c.id AND (i.declined = 1 OR c.status = 'canceled') AND i.returned_at IS NULL) AS awaiting_return
            FROM cases c WHERE c.deleted_at IS NULL AND (c.purchased_at IS NOT NULL OR c.status = 'canceled')
            ORDER BY c.id
            """)
        for r in rows {
            let status = CaseStatus(rawValue: r.string("status")) ?? .canceled
            let last = r.int("last_entry")
            let start = CivilDate(unixTime: last)
            if r.optionalInt("purchased_at") != nil {
                // Kept through the anniversary; deleted from the day after.
                let anniversary = CivilDate(year: start.year + years, month: start.month, day: start.day)
                    ?? CivilDate(year: start.year + years, month: 3, day: 1)!
                let dueOn = anniversary.adding(days: 1)
                if today.daysSinceEpoch >= dueOn.daysSinceEpoch {
                    due.append(RetentionEntry(caseID: r.int("id"), code: r.string("code"), status: status, kind: .purchase, since: last, dueOn: dueOn))
                }
            } else if r.int("awaiting_return") == 0 {
                // Goods still to be sent back need the customer's address.
                let dueOn = start.adding(days: days)
                if today.daysSinceEpoch >= dueOn.daysSinceEpoch {
                    due.append(RetentionEntry(caseID: r.int("id"), code: r.string("code"), status: status, kind: .unpurchased, since: last, dueOn: dueOn))
                }
            }
        }
        return due
    }

    /// Deletes what `retentionDue` lists, one transaction per case, and then the files.
    /// - Returns: the entries deleted, in order (one log line each).
    public func runRetention(settings: Settings) throws -> [RetentionEntry] {
        let due = try retentionDue(settings: settings)
        for entry in due {
            try db.transaction {
                try erasePersonalData(caseID: entry.caseID, everything: true)
                try logPrivacy(code: entry.code, action: "retention_\(entry.kind.rawValue)", detail: entry.line, by: .system)
            }
            try deletePendingFiles()
        }
        let pruned = try pruneSpamRecords(refusalsOlderThanDays: settings.compliance.retentionUnpurchasedDays)
        if !due.isEmpty || pruned > 0 { try compactDeletedPages() }
        return due
    }

    /// Deletes the network addresses the spam limits kept: the rate limit's counters
    /// (`post_counts`, one row per address and route) whose window ended (a window is at most a
    /// day, `abuse.window_minutes` ≤ 1440, and a new post from the address starts a new one
    /// anyway), and the feed's refusals without a case (`refused`, which name the address) after
    /// `retention.unpurchased_days`, as the personal data of a case that never became a purchase.
    /// Without it the store kept every address that ever posted or was refused.
    /// - Returns: how many rows went.
    func pruneSpamRecords(refusalsOlderThanDays days: Int) throws -> Int {
        if db.dialect == .sqlite { try db.execute("PRAGMA secure_delete = ON") }
        let now = clock.now()
        let counters = SQLValue.int(now - 86_400), refusals = SQLValue.int(now - Int64(days) * 86_400)
        return try db.transaction {
            let old = try db.query("""
                SELECT (SELECT COUNT(*) FROM post_counts WHERE window_start < ?)
                     + (SELECT COUNT(*) FROM events WHERE case_id IS NULL AND kind = 'refused' AND at < ?) AS n
                """, [counters, refusals]).first?.int("n") ?? 0
            if old > 0 {
                try db.query("DELETE FROM post_counts WHERE window_start < ?", [counters])
                try db.query("DELETE FROM events WHERE case_id IS NULL AND kind = 'refused' AND at < ?", [refusals])
            }
            return Int(old)
        }
    }

    /// Within the caller's transaction: removes the case's personal data. `everything` also
    /// removes the purchase record (items, stock and ledger rows, ID records); otherwise what the
    /// law keeps (the customer's name, address, birth date and occupation, the items, the ID
    /// records and images) stays.
    func erasePersonalData(caseID: Int64, everything: Bool) throws {
        // SQLite zeroes freed pages; PostgreSQL's dead rows go with VACUUM (`compactDeletedPages`).
        if db.dialect == .sqlite { try db.execute("PRAGMA secure_delete = ON") }
        let now = clock.now()
        let id = SQLValue.int(caseID)
        if everything {
            for row in try db.query("SELECT path FROM stored_files WHERE case_id = ?", [id]) {
                try queueFileDeletion(row.string("path"), reason: "retention")
            }
            for sql in ["DELETE FROM stock WHERE case_id = ?", "DELETE FROM stored_files WHERE case_id = ?",
                        "DELETE FROM address_checks WHERE case_id = ?", "DELETE FROM id_checks WHERE case_id = ?",
                        "DELETE FROM items WHERE case_id = ?", "DELETE FROM declared_items WHERE case_id = ?",
                        "DELETE FROM history WHERE case_id = ?", "DELETE FROM customers WHERE case_id = ?"] {
                try db.query(sql, [id])
            }
            try db.query("""
                UPDATE cases SET submission_id = NULL, review_token = NULL, signature_name = NULL, signature_file_id = NULL,
                    decision = NULL, id_exemption = NULL, deleted_at = ? WHERE id = ?
                """, [.int(now), id])
        } else {
            try db.query("UPDATE customers SET phone = '', email = '', contact = NULL WHERE case_id = ?", [id])
        }
        for sql in ["DELETE FROM memos WHERE case_id = ?", "DELETE FROM outbox WHERE case_id = ?", "DELETE FROM events WHERE case_id = ?"] {
            try db.query(sql, [id])
        }
        try db.query("""
            UPDATE cases SET payout_method = '', bank_code = '', branch_code = '', account_type = 0, account_number = '',
                account_holder = '', notes = '', tracking_number = '', pickup_date = '', pickup_slot = '' WHERE id = ?
            """, [id])
    }

    /// After deletions: the freed pages are zeroed (secure_delete) and the write-ahead log, which
    /// still holds the old pages, is folded in and truncated.
    /// On PostgreSQL, VACUUM of the tables holding personal data removes the deleted rows' old
    /// versions (it runs outside any transaction; a connection through pgbouncer may run it too).
    func compactDeletedPages() throws {
        guard db.dialect == .sqlite else {
            guard !db.inTransaction else { return }
            try db.execute("VACUUM cases, customers, stored_files, stored_file_data, memos, outbox, events, items, declared_items, history, id_checks, address_checks, post_counts")
            return
        }
        _ = try db.query("PRAGMA wal_checkpoint(TRUNCATE)")
    }

    /// Deleted cases (tombstones): code, dates and status, for counts and audits.
    public func tombstones() throws -> [(code: String, status: CaseStatus, createdAt: Int64, deletedAt: Int64)] {
        try db.query("SELECT code, status, created_at, deleted_at FROM cases WHERE deleted_at IS NOT NULL ORDER BY id").map {
            ($0.string("code"), CaseStatus(rawValue: $0.string("status")) ?? .canceled, $0.int("created_at"), $0.int("deleted_at"))
        }
    }

    // MARK: Customers' requests

    /// The cases of one person: by case code, or every case with this email address.
    public func customerCaseIDs(code: String?, email: String?) throws -> [Int64] {
        if let code { return [try load(code: code).id] }
        let address = TextNormalizer.trim(email ?? "").lowercased()
        guard !address.isEmpty else { throw StoreError.invalid("give a case code or --email") }
        let ids = try db.query("SELECT case_id FROM customers WHERE lower(email) = ? ORDER BY case_id", [.text(address)]).map { $0.int("case_id") }
        guard !ids.isEmpty else { throw StoreError.notFound("no case with the email address \(address)") }
        return ids
    }

    /// Everything held about the person of these cases, as one JSON document (個人情報保護法 第33条
    /// 開示). ID images are listed (kind, type, size, date), not embedded. The export is logged.
    public func exportCustomer(caseIDs: [Int64], by staff: Actor) throws -> JSONValue {
        var cases: [JSONValue] = []
        for caseID in caseIDs {
            let record = try load(id: caseID)
            let c = record.customer
            func obj(_ pairs: [(String, JSONValue)]) -> JSONValue { .object(Dictionary(uniqueKeysWithValues: pairs)) }
            func time(_ t: Int64?) -> JSONValue { t.map { .string(Timestamp.iso($0)) } ?? .null }
            let checks = try idChecks(caseID: caseID)
            cases.append(obj([
                ("code", .string(record.code)), ("status", .string(record.status.rawValue)), ("created_at", time(record.createdAt)),
                ("customer", obj([("name", .string(c.name)), ("kana", .string(c.kana)), ("birth_date", .string(c.birthDate)),
                                  ("occupation", .string(c.occupation)), ("postal_code", .string(c.postalCode)),
                                  ("prefecture", .string(c.prefecture)), ("address", .string(c.address)),
                                  ("building", .string(c.building)), ("phone", .string(c.phone)), ("email", .string(c.email))])),
                ("payout", obj([("method", .string(record.payout.method)), ("bank_code", .string(record.payout.bankCode)),
                                ("branch_code", .string(record.payout.branchCode)), ("account_number", .string(record.payout.accountNumber)),
                                ("account_holder", .string(record.payout.accountHolder))])),
                ("notes", .string(record.notes)),
                ("declared_items", .array(record.declaredItems.map { obj([("category", .string($0.category)), ("description", .string($0.description)), ("quantity", .number(Double($0.quantity)))]) })),
                ("items", .array(record.items.map { obj([("name", .string($0.displayName)), ("quantity", .number(Double($0.quantity))), ("unit_price", .number(Double($0.unitPrice))), ("declined", .bool($0.declined))]) })),
                ("decision", record.decision.map { .string($0.rawValue) } ?? .null), ("signature_name", record.signatureName.map { .string($0) } ?? .null),
                ("purchased_at", time(record.purchasedAt)), ("paid_at", time(record.paidAt)),
                ("history", .array(try history(caseID: caseID).map { obj([("to", .string($0.to.rawValue)), ("at", time($0.at)), ("note", .string($0.note))]) })),
                ("id_checks", .array(checks.map { k in obj([
                    ("state", .string(k.state.rawValue)), ("id_type", k.idType.map { .string($0) } ?? .null),
                    ("confirm_name", k.confirmName.map { .string($0) } ?? .null), ("confirm_address", k.confirmAddress.map { .string($0) } ?? .null),
                    ("confirm_birth_date", k.confirmBirthDate.map { .string($0) } ?? .null), ("submitted_at", time(k.submittedAt)),
                    ("address_confirmation", k.addressConfirmation.map { .string($0) } ?? .null),
                    ("files", .array(k.files.filter { !$0.path.isEmpty }.map { obj([("kind", .string($0.kind)), ("content_type", .string($0.contentType)), ("size", .number(Double($0.size))), ("stored_at", time($0.createdAt))]) })),
                ]) })),
                ("address_checks", .array(try addressChecks(caseID: caseID).map { .string($0.summary) })),
                ("messages", .array(try db.query("SELECT channel, recipient, subject, body, created_at FROM outbox WHERE case_id = ? ORDER BY id", [.int(caseID)]).map {
                    obj([("channel", .string($0.string("channel"))), ("recipient", .string($0.string("recipient"))), ("subject", .string($0.string("subject"))),
                         ("body", .string($0.string("body"))), ("queued_at", time($0.int("created_at")))])
                })),
                ("held_until", try db.query("SELECT held_until FROM cases WHERE id = ?", [.int(caseID)]).first?.optionalString("held_until").map { .string($0) } ?? .null),
            ]))
            try logPrivacy(code: record.code, action: "customer_export", detail: "everything held exported on the customer's request", by: staff)
        }
        return .object(["exported_at": .string(Timestamp.iso(clock.now())), "cases": .array(cases)])
    }

    /// Erases the person's data on their request, except what the law obliges the shop to keep:
    /// a purchase keeps its ledger data (name, address, birth date, occupation, items, ID records)
    /// until its retention ends, marked held with that date; contact details, bank details, notes,
    /// memos and messages go. A case that never became a purchase is erased entirely (tombstone
    /// kept). A case still in progress is refused: cancel it first.
    /// - Returns: per case, its code and the date its held data can go (nil when nothing is held).
    public func eraseCustomer(caseIDs: [Int64], settings: Settings, by staff: Actor) throws -> [(code: String, heldUntil: CivilDate?)] {
        var result: [(String, CivilDate?)] = []
        for caseID in caseIDs {
            let outcome: (String, CivilDate?) = try db.transaction {
                let record = try load(id: caseID)
                if record.purchasedAt != nil {
                    let years = max(settings.compliance.retentionPurchaseYears, Settings.Compliance.minimumRetentionYears)
                    let start = CivilDate(unixTime: max(record.updatedAt, clock.now()))
                    let until = CivilDate(year: start.year + years, month: start.month, day: start.day) ?? CivilDate(year: start.year + years, month: 3, day: 1)!
                    guard record.status == .paid else {
                        throw StoreError.refused(code: record.code, reason: "the purchase is not paid yet; erase after the payment (the bank details are needed for it)")
                    }
                    try erasePersonalData(caseID: caseID, everything: false)
                    try db.query("UPDATE cases SET held_until = ? WHERE id = ?", [.text(until.iso), .int(caseID)])
                    try logPrivacy(code: record.code, action: "customer_erase", detail: "erased except the purchase record the law keeps; held until \(until.iso)", by: staff)
                    return (record.code, until)
                }
                guard record.status == .canceled, record.itemsAwaitingReturn.isEmpty else {
                    throw StoreError.refused(code: record.code, reason: "the case is \(record.status.rawValue) (\(record.status.label)) and still needs the customer's details; cancel it and send the goods back first")
                }
                try erasePersonalData(caseID: caseID, everything: true)
                try logPrivacy(code: record.code, action: "customer_erase", detail: "erased on the customer's request", by: staff)
                return (record.code, nil)
            }
            try deletePendingFiles()
            result.append(outcome)
        }
        try compactDeletedPages()
        return result
    }
}
