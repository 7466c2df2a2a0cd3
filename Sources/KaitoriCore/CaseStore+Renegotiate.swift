/// Renegotiation (domain.md, "Renegotiation"): when the customer declined (all or part), staff open
/// a new case linked to the first, with the same customer and payout, starting at arrived with the
/// items to assess again: every item of a canceled case, only the declined ones otherwise.
extension CaseStore {
    /// The code of the renegotiation case created from this one, if any.
    public func renegotiationCode(ofCaseID id: Int64) throws -> String? {
        try db.query("SELECT code FROM cases WHERE parent_id = ? ORDER BY id LIMIT 1", [.int(id)]).first?.optionalString("code")
    }

    /// Creates the renegotiation case and records it in the history of both cases.
    /// - Returns: the new case (status arrived, `parentCode` set).
    public func renegotiate(code: String, by staff: Actor) throws -> Case {
        try db.transaction {
            let parent = try load(code: code)
            if let child = try renegotiationCode(ofCaseID: parent.id) {
                throw StoreError.refused(code: parent.code, reason: "already renegotiated as \(child)")
            }
            let items = try itemsToRenegotiate(parent)
            let now = clock.now()
            let childID = try insertRenegotiationCase(copying: parent.id, at: now)
            try db.query("""
                INSERT INTO customers (case_id, name, kana, birth_date, occupation, postal_code, prefecture, address, building,
                    phone, email, contact)
                SELECT ?, name, kana, birth_date, occupation, postal_code, prefecture, address, building, phone, email, contact
                FROM customers WHERE case_id = ?
                """, [.int(childID), .int(parent.id)])
            try db.query("""
                INSERT INTO declared_items (case_id, position, category, description, quantity)
                SELECT ?, position, category, description, quantity FROM declared_items WHERE case_id = ?
                """, [.int(childID), .int(parent.id)])
            for (offset, item) in items.enumerated() {
                try insertItem(item, caseID: childID, position: offset + 1)
            }
            let child = try load(id: childID)
            let count = "\(items.count) item\(items.count == 1 ? "" : "s")"
            try recordHistory(caseID: childID, from: nil, to: .arrived, by: staff, note: "renegotiation of \(parent.code) (\(count))", at: now)
            try recordHistory(caseID: parent.id, from: parent.status, to: parent.status, by: staff,
                              note: "renegotiation case \(child.code) created (\(count))", at: now)
            try touch(caseID: parent.id)
            return child
        }
    }

    private func itemsToRenegotiate(_ parent: Case) throws -> [Item] {
        let code = parent.code
        switch parent.status {
        case .canceled:
            guard !parent.items.isEmpty else {
                throw StoreError.refused(code: code, reason: "it was canceled before any item was assessed; nothing to renegotiate")
            }
            let items = parent.items.filter { $0.returnedAt == nil }
            guard !items.isEmpty else { throw StoreError.refused(code: code, reason: "every item was already returned to the customer") }
            return items
        case .approved, .purchased, .paid:
            let declined = parent.items.filter(\.declined)
            guard !declined.isEmpty else { throw StoreError.refused(code: code, reason: "the customer declined no item; nothing to renegotiate") }
            let items = declined.filter { $0.returnedAt == nil }
            guard !items.isEmpty else { throw StoreError.refused(code: code, reason: "every declined item was already returned to the customer") }
            return items
        case .assessed where parent.decision == nil:
            throw StoreError.refused(code: code, reason: "the customer has not answered yet; to change the assessment withdraw it (`kaitori case unassess \(code)`)")
        default:
            throw StoreError.refused(code: code, reason: "only a canceled case, or an approved case with declined items, can be renegotiated (it is \(parent.status.rawValue), \(parent.status.label))")
        }
    }

    /// A copy of the parent's case row (payout, parcel, notes) under a new code, at arrived.
    private func insertRenegotiationCase(copying parentID: Int64, at now: Int64) throws -> Int64 {
        // A code already taken inserts nothing (ON CONFLICT DO NOTHING: on PostgreSQL an error
        // would abort the whole transaction) and another is drawn.
        for _ in 0..<20 {
                if let id = try db.insert("""
                    INSERT INTO cases (code, status, created_at, updated_at, parent_id, payout_method, bank_code, branch_code,
                        account_type, account_number, account_holder, boxes, kit, pickup_date, pickup_slot, notes, tracking_number)
                    SELECT ?, ?, ?, ?, id, payout_method, bank_code, branch_code, account_type, account_number, account_holder,
                        boxes, kit, pickup_date, pickup_slot, notes, tracking_number
                    FROM cases WHERE id = ?
                    ON CONFLICT (code) DO NOTHING
                    """, [.text(Identifiers.caseCode()), .text(CaseStatus.arrived.rawValue), .int(now), .int(now), .int(parentID)]) {
                    return id
                }
        }
        throw StoreError.failed("could not find a free case code")
    }
}
