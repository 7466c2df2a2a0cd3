/// The staff's status changes. Each checks its rule, moves the case, records history and queues
/// the customer's message in one transaction.
extension CaseStore {
    public func confirm(code: String, by staff: Actor, settings: Settings) throws -> Case {
        try change(code, to: .confirmed, by: staff, action: "confirm")
    }

    public func arrive(code: String, by staff: Actor, settings: Settings, tracking: String = "", note: String = "") throws -> Case {
        try db.transaction {
            var record = try load(code: code)
            try markArrived(&record, by: staff, settings: settings, tracking: tracking, note: note)
            return record
        }
    }

    /// confirmed → arrived within the caller's transaction (used singly and in bulk).
    func markArrived(_ record: inout Case, by staff: Actor, settings: Settings, tracking: String = "", note: String = "") throws {
        try move(&record, to: .arrived, by: staff, action: "mark arrived", note: note)
        // Stored without hyphens and spaces, the form the case search compares against.
        let compact = TextNormalizer.digits(tracking)
        if !compact.isEmpty {
            try db.query("UPDATE cases SET tracking_number = ? WHERE id = ?", [.text(compact), .int(record.id)])
        }
        record = try load(id: record.id)
        try Notifications(settings: settings).queue(.arrived, for: record, in: self)
    }

    /// arrived → assessing: items are being entered.
    public func startAssessment(code: String, by staff: Actor) throws -> Case {
        try change(code, to: .assessing, by: staff, action: "start assessment")
    }

    /// Locks prices, opens the review link for `review.valid_days` and queues the "assessed" message.
    public func assess(code: String, by staff: Actor, settings: Settings) throws -> Case {
        try db.transaction {
            var record = try load(code: code)
            guard record.status == .assessing else {
                throw StoreError.illegalTransition(code: record.code, status: record.status, action: "assess")
            }
            guard !record.items.isEmpty else { throw StoreError.refused(code: record.code, reason: "cannot assess a case with no items; add items first: kaitori items add \(record.code) --name NAME --price YEN (or kaitori items import \(record.code) FILE)") }
            try move(&record, to: .assessed, by: staff, action: "assess", note: "total \(Yen.format(record.total))")
            try openReviewLink(&record, settings: settings)
            try Notifications(settings: settings).queue(.assessed, for: record, in: self)
            return record
        }
    }

    /// Withdraws an assessment the customer has not answered yet: back to assessing, link closed.
    public func unassess(code: String, by staff: Actor) throws -> Case {
        try db.transaction {
            var record = try load(code: code)
            if record.status == .assessed, let decision = record.decision {
                throw StoreError.refused(code: record.code, reason: "the customer already answered (\(decision.label)); cancel and renegotiate instead")
            }
            try move(&record, to: .assessing, by: staff, action: "withdraw the assessment")
            try db.query("UPDATE cases SET review_token = NULL, review_expires_at = NULL WHERE id = ?", [.int(record.id)])
            try touch(caseID: record.id)
            return try load(id: record.id)
        }
    }

    /// A new review link and period for an assessed case the customer has not answered.
    public func reissueReviewLink(code: String, by staff: Actor, settings: Settings) throws -> Case {
        try db.transaction {
            var record = try load(code: code)
            guard record.status == .assessed, record.decision == nil else {
                throw StoreError.refused(code: record.code, reason: "only an assessed, unanswered case has a review link to reissue (status \(record.status.rawValue))")
            }
            try openReviewLink(&record, settings: settings)
            try touch(caseID: record.id)
            try addEvent(caseID: record.id, kind: "link_reissued", detail: "査定結果ページのリンクを再発行（\(staff)）")
            try Notifications(settings: settings).queue(.assessed, for: record, in: self)
            return record
        }
    }

    func openReviewLink(_ record: inout Case, settings: Settings) throws {
        let now = clock.now()
        let token = Identifiers.token()
        let expires = now + Int64(settings.review.validDays) * 86_400
        try db.query("UPDATE cases SET review_token = ?, review_expires_at = ?, assessed_at = ? WHERE id = ?",
                     [.text(token), .int(expires), .int(now), .int(record.id)])
        record = try load(id: record.id)
    }

    /// Staff cancel (e.g. before arrival, or an approved case to renegotiate).
    public func cancel(code: String, by staff: Actor, settings: Settings, note: String = "") throws -> Case {
        try db.transaction {
            var record = try load(code: code)
            try move(&record, to: .canceled, by: staff, action: "cancel", note: note)
            try Notifications(settings: settings).queue(.canceled, for: record, in: self)
            return record
        }
    }

    /// approved → purchased; accepted items become stock rows. Needs a verified ID where the ID
    /// rule (`Settings.idRequirement`) says so; otherwise the case records 「確認不要」 and why, in
    /// its history and for the ledger.
    public func purchase(code: String, by staff: Actor, settings: Settings) throws -> Case {
        try db.transaction {
            var record = try load(code: code)
            guard record.status == .approved else {
                throw StoreError.illegalTransition(code: record.code, status: record.status, action: "purchase")
            }
            let rule = settings.idRequirement(for: record)
            let verified = try idChecks(caseID: record.id).contains(where: { $0.state == .verified })
            if rule.required, !verified {
                throw StoreError.refused(code: record.code, reason: "cannot purchase: no verified ID (run `kaitori id verify \(record.code)` first); the ID check is required: \(rule.reason)")
            }
            let now = clock.now()
            let exemption = verified ? nil : "確認不要（\(rule.reason)）"
            try move(&record, to: .purchased, by: staff, action: "purchase", note: exemption ?? "")
            try db.query("UPDATE cases SET purchased_at = ?, id_exemption = ? WHERE id = ?", [.int(now), .of(exemption), .int(record.id)])
            for item in record.acceptedItems {
                try db.query("INSERT INTO stock (item_id, case_id, created_at) VALUES (?,?,?)", [.int(item.id), .int(record.id), .int(now)])
            }
            record = try load(id: record.id)
            try Notifications(settings: settings).queue(.purchased, for: record, in: self)
            return record
        }
    }

    /// purchased → paid, within the caller's transaction (used singly and in bulk).
    public func markPaid(_ record: inout Case, by staff: Actor, settings: Settings, note: String = "") throws {
        try move(&record, to: .paid, by: staff, action: "mark paid", note: note)
        try db.query("UPDATE cases SET paid_at = ? WHERE id = ?", [.int(clock.now()), .int(record.id)])
        record = try load(id: record.id)
        try Notifications(settings: settings).queue(.paid, for: record, in: self)
    }

    private func change(_ code: String, to target: CaseStatus, by staff: Actor, action: String) throws -> Case {
        try db.transaction {
            var record = try load(code: code)
            try move(&record, to: target, by: staff, action: action)
            return record
        }
    }
}
