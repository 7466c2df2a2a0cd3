/// The address check of a non-face-to-face ID (施行規則 第15条第3項): an uploaded ID image alone
/// proves nothing, so the shop mails something to the address on the ID (本人限定受取郵便 or
/// 転送不要 registered mail) and records it here: sent (date, carrier, tracking number), then
/// confirmed when its delivery is confirmed, or returned undelivered, which fails the ID check.
/// The CLI (`kaitori id address-sent|address-confirmed|address-returned`) and the console call these.
public struct AddressCheck: Equatable, Sendable {
    public enum State: String, Sendable { case sent, confirmed, returned }
    public var id: Int64
    public var caseID: Int64
    public var idCheckID: Int64?
    public var sentOn: String
    public var carrier: String
    public var tracking: String
    public var state: State
    public var createdAt: Int64
    public var createdBy: String
    public var settledAt: Int64?
    public var settledBy: String?
    public var note: String

    /// One line for the ID record and the ledger.
    public var summary: String {
        var text = "\(carrier) \(tracking)（\(sentOn) 発送）"
        switch state {
        case .sent: text += " 到達未確認"
        case .confirmed: text += " 到達確認 \(settledAt.map { CivilDate(unixTime: $0).iso } ?? "")"
        case .returned: text += " 不達・返送 \(settledAt.map { CivilDate(unixTime: $0).iso } ?? "")"
        }
        return text
    }
}

extension CaseStore {
    /// Records that the address-check mail was sent to the address on the ID.
    public func addressCheckSent(code: String, sentOn: String, carrier: String, tracking: String, by staff: Actor) throws -> AddressCheck {
        try db.transaction {
            let record = try load(code: code)
            guard let date = CivilDate(iso: TextNormalizer.halfWidth(TextNormalizer.trim(sentOn))) else {
                throw StoreError.invalid("case \(record.code): the sending date must be YYYY-MM-DD (got \"\(sentOn)\")")
            }
            let carrierText = TextNormalizer.trim(carrier)
            let trackingText = TextNormalizer.trim(tracking)
            for (name, value) in [("carrier", carrierText), ("tracking number", trackingText)] {
                guard !value.isEmpty, value.count <= 100, !value.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                    throw StoreError.invalid("case \(record.code): the \(name) must be one line of 1 to 100 characters")
                }
            }
            let checks = try idChecks(caseID: record.id)
            guard let check = checks.last(where: { $0.state == .submitted || $0.state == .verified }) else {
                throw StoreError.refused(code: record.code, reason: "no submitted ID to confirm the address of (the address check goes to the address on the ID)")
            }
            if let open = try addressChecks(caseID: record.id).last, open.state == .sent {
                throw StoreError.refused(code: record.code, reason: "an address check is already on its way (\(open.summary)); record it confirmed or returned first")
            }
            try db.query("""
                INSERT INTO address_checks (case_id, id_check_id, sent_on, carrier, tracking, created_at, created_by)
                VALUES (?,?,?,?,?,?,?)
                """, [.int(record.id), .int(check.id), .text(date.iso), .text(carrierText), .text(trackingText),
                      .int(clock.now()), .text(staff.name ?? staff.description)])
            try touch(caseID: record.id)
            return try addressChecks(caseID: record.id).last!
        }
    }

    /// Records that the mail reached the customer (e.g. the 本人限定受取郵便 was delivered, or the
    /// enclosed slip came back with the goods).
    public func addressCheckConfirmed(code: String, note: String = "", by staff: Actor) throws -> AddressCheck {
        try settleAddressCheck(code: code, as: .confirmed, note: note, by: staff)
    }

    /// Records that the mail came back undelivered: the address on the ID could not be confirmed,
    /// so the ID check it belongs to fails (rejected; a purchase that needs an ID is refused).
    public func addressCheckReturned(code: String, note: String = "", by staff: Actor) throws -> AddressCheck {
        try settleAddressCheck(code: code, as: .returned, note: note, by: staff)
    }

    public func addressChecks(caseID: Int64) throws -> [AddressCheck] {
        try db.query("SELECT * FROM address_checks WHERE case_id = ? ORDER BY id", [.int(caseID)]).map { r in
            AddressCheck(id: r.int("id"), caseID: r.int("case_id"), idCheckID: r.optionalInt("id_check_id"),
                         sentOn: r.string("sent_on"), carrier: r.string("carrier"), tracking: r.string("tracking"),
                         state: AddressCheck.State(rawValue: r.string("state")) ?? .sent, createdAt: r.int("created_at"),
                         createdBy: r.string("created_by"), settledAt: r.optionalInt("settled_at"),
                         settledBy: r.optionalString("settled_by"), note: r.string("note"))
        }
    }

    /// The case's latest address check when it is confirmed; refused otherwise, saying what is missing.
    func confirmedAddressCheck(of record: Case) throws -> AddressCheck {
        guard let last = try addressChecks(caseID: record.id).last else {
            throw StoreError.refused(code: record.code, reason: "this method needs the address check: send the mail to the address on the ID and record it with `kaitori id address-sent \(record.code)`")
        }
        switch last.state {
        case .confirmed: return last
        case .sent: throw StoreError.refused(code: record.code, reason: "the address check is not confirmed yet (\(last.summary)); record it with `kaitori id address-confirmed \(record.code)`")
        case .returned: throw StoreError.refused(code: record.code, reason: "the address check mail came back undelivered (\(last.summary)); the ID cannot be verified this way")
        }
    }

    private func settleAddressCheck(code: String, as state: AddressCheck.State, note: String, by staff: Actor) throws -> AddressCheck {
        try db.transaction {
            let record = try load(code: code)
            guard let last = try addressChecks(caseID: record.id).last, last.state == .sent else {
                throw StoreError.refused(code: record.code, reason: "no address check on its way; record the mail first with `kaitori id address-sent \(record.code)`")
            }
            let now = clock.now()
            let who = staff.name ?? staff.description
            try db.query("UPDATE address_checks SET state = ?, settled_at = ?, settled_by = ?, note = ? WHERE id = ?",
                         [.text(state.rawValue), .int(now), .text(who), .text(TextNormalizer.trim(note)), .int(last.id)])
            try touch(caseID: record.id)
            if state == .returned, let checkID = last.idCheckID {
                try db.query("UPDATE id_checks SET state = 'rejected', reviewed_by = ?, reviewed_at = ?, note = ? WHERE id = ? AND state IN ('submitted', 'verified')",
                             [.text(who), .int(now), .text("住所確認の郵便が届かず返送されました（\(last.carrier) \(last.tracking)）"), .int(checkID)])
                try addEvent(caseID: record.id, kind: "address_returned", detail: "住所確認の郵便が返送されました", at: now)
            }
            return try addressChecks(caseID: record.id).last!
        }
    }
}
