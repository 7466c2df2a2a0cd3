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
