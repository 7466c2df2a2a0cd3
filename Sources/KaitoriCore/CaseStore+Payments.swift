/// Payouts: which cases are due, export batches, and marking cases paid singly or in bulk.
extension CaseStore {
    /// Purchased, unpaid bank-transfer cases, oldest first. Cases already in an exported batch are
    /// left out unless `includeExported`, so the same transfer never goes into two files by accident.
    public func payableBankTransfers(includeExported: Bool = false) throws -> [Case] {
        let sql = "SELECT id FROM cases WHERE status = 'purchased' AND paid_at IS NULL AND payout_method = ?"
            + (includeExported ? "" : " AND payout_batch_id IS NULL") + " ORDER BY purchased_at, id"
        return try db.query(sql, [.text(Payout.bankTransfer)]).map { try load(id: $0.int("id")) }
    }

    /// Records an export batch and ties its cases to it, in one transaction.
    @discardableResult
    public func recordPayoutBatch(transferDate: String, fileName: String, cases: [Case]) throws -> Int64 {
        try db.transaction {
            let batch = try db.insert("INSERT INTO payout_batches (created_at, transfer_date, file_name, record_count, total) VALUES (?,?,?,?,?)",
                                      [.int(clock.now()), .text(transferDate), .text(fileName), .int(Int64(cases.count)),
                                       .int(Int64(cases.reduce(0) { $0 + $1.acceptedTotal }))]) ?? 0
            for c in cases {
                try db.query("UPDATE cases SET payout_batch_id = ? WHERE id = ?", [.int(batch), .int(c.id)])
            }
            return batch
        }
    }

    /// An export batch as recorded: its number, how many cases it holds and their total.
    public struct PayoutBatch: Equatable, Sendable {
        public var id: Int64
        public var count: Int
        public var total: Int
    }

    /// Streams every purchased, unpaid bank-transfer case (oldest first; cases already in a batch
    /// only if `includeExported`) to `each`, then calls `finish` and records the cases `each`
    /// accepted (returned true) as one batch, all in one write transaction: a throw from `each` or
    /// `finish` records nothing, and a case `each` left out stays due. Cases are read a page at a
    /// time and not kept, so memory does not grow with their number; the SQL is the subset both
    /// store engines run. While it runs, other writers wait for it.
    ///
    /// - Parameter finish: called with the count and total of the accepted cases before the batch
    ///   is recorded (the CLI completes and syncs its file there).
    public func exportPayoutBatch(transferDate: String, fileName: String, includeExported: Bool,
                                  each: (Case) throws -> Bool, finish: (_ count: Int, _ total: Int) throws -> Void) throws -> PayoutBatch {
        let due = "status = 'purchased' AND paid_at IS NULL AND payout_method = ?" + (includeExported ? "" : " AND payout_batch_id IS NULL")
        let method = SQLValue.text(Payout.bankTransfer)
        return try db.transaction {
            // The batch row first, so each accepted case is marked as it is written; its count and
            // total are filled in at the end. All of it rolls back together on a throw.
            guard let batch = try db.insert("INSERT INTO payout_batches (created_at, transfer_date, file_name, record_count, total) VALUES (?,?,?,0,0)",
                                            [.int(clock.now()), .text(transferDate), .text(fileName)]) else {
                throw StoreError.failed("the payout batch was not recorded")
            }
            var count = 0, total = 0
            // Keyset paging in file order (purchase time, then id): marking a case does not move
            // the cases still to come. The `>=` lets both engines seek in `cases_payout_due`
            // (SQLite uses no row value on an indexed expression).
            var afterTime: Int64 = .min, afterID: Int64 = 0
            while true {
                let page = try db.query("""
                    SELECT id, COALESCE(purchased_at, 0) AS at FROM cases
                    WHERE \(due) AND COALESCE(purchased_at, 0) >= ? AND (COALESCE(purchased_at, 0) > ? OR id > ?)
                    ORDER BY COALESCE(purchased_at, 0), id LIMIT 256
                    """, [method, .int(afterTime), .int(afterTime), .int(afterID)])
                guard let last = page.last else { break }
                for row in page {
                    let record = try load(id: row.int("id"))
                    guard try each(record) else { continue }
                    try db.query("UPDATE cases SET payout_batch_id = ? WHERE id = ?", [.int(batch), .int(record.id)])
                    count += 1
                    total += record.acceptedTotal
                }
                afterTime = last.int("at")
                afterID = last.int("id")
            }
            try finish(count, total)
            try db.query("UPDATE payout_batches SET record_count = ?, total = ? WHERE id = ?",
                         [.int(Int64(count)), .int(Int64(total)), .int(batch)])
            return PayoutBatch(id: batch, count: count, total: total)
        }
    }

    /// Marks every case paid, or none: unknown codes and cases that cannot be paid are all
    /// reported and nothing changes.
    public func pay(codes: [String], by staff: Actor, settings: Settings, note: String = "") throws -> [Case] {
        try db.transaction {
            var problems: [String] = []
            var records: [Case] = []
            var seen: Set<String> = []
            for raw in codes {
                let code = Identifiers.normalizeCode(raw)
                guard seen.insert(code).inserted else { continue }
                do {
                    let record = try load(code: code)
                    if record.status != .purchased {
                        problems.append("case \(record.code) is \(record.status.rawValue) (\(record.status.label)); cannot mark paid")
                    } else {
                        records.append(record)
                    }
                } catch StoreError.notFound {
                    problems.append("unknown case code \(raw)")
                }
            }
            if !problems.isEmpty { throw StoreError.invalid(problems.joined(separator: "\n") + "\nnothing was marked paid") }
            var paid: [Case] = []
            for var record in records {
                try markPaid(&record, by: staff, settings: settings, note: note)
                paid.append(record)
            }
            return paid
        }
    }
}
