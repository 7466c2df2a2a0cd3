/// The customer's steps, called by the handler: answering the review page and sending ID and
/// signature. Each is one transaction with its history, event and messages.
extension CaseStore {
    /// The outcome of a review answer.
    public enum ReviewOutcome: Equatable, Sendable {
        /// Decision stored; the customer goes on to the ID + signature page with this token.
        case continueToID(kycToken: String)
        case canceled
    }

    /// Records the customer's answer on the review page. The total is recomputed here from the
    /// stored prices; whatever the browser showed is never trusted.
    /// - Throws: `ReviewError` for the handler to map to 404/409/410/422.
    public func decide(token: String, decision: Case.Decision, declined: [Int64], settings: Settings) throws -> (Case, ReviewOutcome) {
        try db.transaction {
            guard var record = try load(reviewToken: token) else { throw ReviewError.unknownToken }
            let now = clock.now()
            try CaseStore.checkDecision(record, decision: decision, declined: declined, now: now)
            if decision == .part {
                for id in Set(declined) { try db.query("UPDATE items SET declined = 1 WHERE id = ?", [.int(id)]) }
            }
            try db.query("UPDATE cases SET decision = ?, decided_at = ? WHERE id = ?",
                         [.text(decision.rawValue), .int(now), .int(record.id)])
            try touch(caseID: record.id)
            record = try load(id: record.id)
            let notifications = Notifications(settings: settings)
            if decision == .cancel {
                try move(&record, to: .canceled, by: .customer, action: "cancel", note: "customer canceled all on the review page")
                try addEvent(caseID: record.id, kind: "cancellation", detail: "お客様が査定結果をすべてキャンセル", at: now)
                try notifications.queue(.canceled, andShop: .shopCanceled, for: record, in: self)
                return (try load(id: record.id), .canceled)
            }
            let detail = decision == .all ? "すべて売却（\(Yen.format(record.acceptedTotal))）"
                : "一部売却（\(record.items.count - record.acceptedItems.count)点を返送、\(Yen.format(record.acceptedTotal))）"
            try addEvent(caseID: record.id, kind: "decision", detail: detail, at: now)
            let token = try openIDCheckToken(caseID: record.id) ?? openIDCheck(caseID: record.id, at: now)
            return (try load(id: record.id), .continueToID(kycToken: token))
        }
    }

    /// The case behind a review link if `decision` could be recorded now; records nothing. The
    /// confirmation step shows the answer only after this check, and `decide` runs it again.
    /// - Throws: `ReviewError`, as `decide` would.
    public func checkDecision(token: String, decision: Case.Decision, declined: [Int64]) throws -> Case {
        guard let record = try load(reviewToken: token) else { throw ReviewError.unknownToken }
        try CaseStore.checkDecision(record, decision: decision, declined: declined, now: clock.now())
        return record
    }

    /// - Throws: `ReviewError` when the case's review link no longer takes an answer.
    public func checkReviewOpen(_ record: Case) throws {
        try CaseStore.checkReviewOpen(record, now: clock.now())
    }

    static func checkReviewOpen(_ record: Case, now: Int64) throws {
        if let existing = record.decision { throw ReviewError.alreadyAnswered(existing, record) }
        guard record.status == .assessed else { throw ReviewError.notOpen(record) }
        guard (record.reviewExpiresAt ?? 0) > now else { throw ReviewError.expired(record) }
    }

    static func checkDecision(_ record: Case, decision: Case.Decision, declined: [Int64], now: Int64) throws {
        try checkReviewOpen(record, now: now)
        let ids = Set(record.items.map(\.id))
        switch decision {
        case .part:
            let chosen = Set(declined)
            if chosen.isEmpty { throw ReviewError.invalid(CustomerText.declineNone) }
            if !chosen.isSubset(of: ids) { throw ReviewError.invalid(CustomerText.unknownItem) }
            if chosen == ids { throw ReviewError.invalid(CustomerText.declineAll) }
        case .all, .cancel:
            if !declined.isEmpty, !Set(declined).isSubset(of: ids) { throw ReviewError.invalid(CustomerText.unknownItem) }
        }
    }

    /// Opens a new ID request (new link) for a case; earlier open requests stop working.
    @discardableResult
    public func openIDCheck(caseID: Int64, at: Int64? = nil) throws -> String {
        let token = Identifiers.token()
        try db.query("UPDATE id_checks SET state = 'rejected', note = 'superseded by a new request' WHERE case_id = ? AND state = 'open'",
                     [.int(caseID)])
        try db.query("INSERT INTO id_checks (case_id, token, created_at) VALUES (?,?,?)",
                     [.int(caseID), .text(token), .int(at ?? clock.now())])
        try touch(caseID: caseID)
        return token
    }

    /// The token of the case's open ID request, if any.
    public func openIDCheckToken(caseID: Int64) throws -> String? {
        try db.query("SELECT token FROM id_checks WHERE case_id = ? AND state = 'open' ORDER BY id DESC LIMIT 1",
                     [.int(caseID)]).first?.optionalString("token")
    }

    public func idChecks(caseID: Int64) throws -> [IDCheck] {
        try db.query("SELECT * FROM id_checks WHERE case_id = ? ORDER BY id", [.int(caseID)]).map { try idCheck(row: $0) }
    }

    /// The case and ID request behind a KYC link, or nil for an unknown token.
    public func idCheck(token: String) throws -> (Case, IDCheck)? {
        guard let row = try db.query("SELECT * FROM id_checks WHERE token = ?", [.text(token)]).first else { return nil }
        let check = try idCheck(row: row)
        return (try load(id: check.caseID), check)
    }

    func idCheck(row r: Row) throws -> IDCheck {
        let id = r.int("id")
        let files = try db.query("SELECT * FROM stored_files WHERE id_check_id = ? ORDER BY id", [.int(id)]).map {
            StoredFile(id: $0.int("id"), kind: $0.string("kind"), path: $0.string("path"),
                       contentType: $0.string("content_type"), size: $0.int("size"), createdAt: $0.int("created_at"),
                       keyID: $0.optionalString("key_id"))
        }
        return IDCheck(id: id, caseID: r.int("case_id"), token: r.string("token"), createdAt: r.int("created_at"),
                       state: IDCheck.State(rawValue: r.string("state")) ?? .open, idType: r.optionalString("id_type"),
                       confirmName: r.optionalString("confirm_name"), confirmAddress: r.optionalString("confirm_address"),
                       confirmBirthDate: r.optionalString("confirm_birth_date"), submittedAt: r.optionalInt("submitted_at"),
                       reviewedBy: r.optionalString("reviewed_by"), reviewedAt: r.optionalInt("reviewed_at"),
                       addressConfirmation: r.optionalString("address_confirmation"), note: r.string("note"), files: files)
    }

    /// Stores an ID + signature submission. A case waiting for approval (answered, not canceled)
    /// becomes approved; on a later request (staff asked again) only the ID check is updated.
    public func submitID(token: String, _ submission: IDSubmission, settings: Settings) throws -> Case {
        let record = try submitIDRecord(token: token, submission, settings: settings)
        // PostgreSQL stores hold the files in the database (read from any host): the handler's
        // local copies are not needed once the transaction committed.
        if db.dialect == .postgres { for file in submission.files { try? FileIO.remove(resolve(file.path)) } }
        return record
    }

    private func submitIDRecord(token: String, _ submission: IDSubmission, settings: Settings) throws -> Case {
        try db.transaction {
            guard let (record0, check) = try idCheck(token: token) else { throw ReviewError.unknownToken }
            var record = record0
            guard check.state == .open else { throw ReviewError.alreadySubmitted(record) }
            if !submission.files.isEmpty { try checkPublishedKey(submission.keyID) }
            guard record.status == .assessed || record.status == .approved || record.status == .purchased else {
                throw ReviewError.notOpen(record)
            }
            let now = clock.now()
            try db.query("""
                UPDATE id_checks SET state = 'submitted', id_type = ?, confirm_name = ?, confirm_address = ?,
                    confirm_birth_date = ?, submitted_at = ? WHERE id = ?
                """, [submission.idType.isEmpty ? .null : .text(submission.idType), .text(submission.name), .text(submission.address),
                      .text(submission.birthDate), .int(now), .int(check.id)])
            try touch(caseID: record.id)
            var signatureFile: Int64? = nil
            for file in submission.files {
                let fileID = try storeUploadedFile(caseID: record.id, checkID: check.id, file, keyID: submission.keyID, at: now)
                if file.kind == "signature" { signatureFile = fileID }
            }
            try addEvent(caseID: record.id, kind: "id_upload", detail: "本人確認書類の提出", at: now)
            if record.status == .assessed, record.decision == .all || record.decision == .part {
                try db.query("UPDATE cases SET signature_name = ?, signature_file_id = ?, approved_at = ? WHERE id = ?",
                             [.of(submission.signatureName), .of(signatureFile), .int(now), .int(record.id)])
                try move(&record, to: .approved, by: .customer, action: "approve", note: record.decision?.label ?? "")
                record = try load(id: record.id)
                try addEvent(caseID: record.id, kind: "approval", detail: "承認・署名（\(Yen.format(record.acceptedTotal))）", at: now)
                let notifications = Notifications(settings: settings)
                try notifications.queue(.approved, andShop: .shopApproved, for: record, in: self)
            }
            return try load(id: record.id)
        }
    }
}

/// Why a customer's review or ID post was refused; the handler maps each to a status page.
public enum ReviewError: Error, Equatable {
    case unknownToken
    case expired(Case)
    case alreadyAnswered(Case.Decision, Case)
    case alreadySubmitted(Case)
    case notOpen(Case)
    case invalid(String)
}
