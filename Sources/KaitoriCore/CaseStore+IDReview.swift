/// Staff's side of identity verification (非対面本人確認): open a request (new link), look at what
/// the customer uploaded, record how the address was confirmed, verify or reject.
extension CaseStore {
    /// The verification method when staff do not name one: ID images uploaded on the KYC page,
    /// with the address confirmed separately (e.g. 本人限定受取郵便).
    public static let defaultVerificationMethod = "upload"

    /// How documents and the ledger name a verification method; one not listed shows as typed.
    public static func verificationMethodLabel(_ method: String) -> String {
        switch method {
        case "upload": "非対面（本人確認書類の画像送信）"
        case "ekyc": "非対面（eKYC）"
        case "face_to_face": "対面"
        default: method
        }
    }

    /// Opens a new ID request (earlier open links stop working) and queues the `id_requested`
    /// message carrying the new link.
    /// - Returns: the case and the new link's token.
    public func requestID(code: String, by staff: Actor, settings: Settings) throws -> (Case, token: String) {
        try db.transaction {
            let record = try load(code: code)
            // The KYC page accepts an upload only in these statuses (see `submitID`).
            guard [.assessed, .approved, .purchased].contains(record.status) else {
                throw StoreError.refused(code: record.code, reason: "cannot request an ID while the case is \(record.status.rawValue) (\(record.status.label)); the ID page accepts uploads once the case is assessed, approved or purchased")
            }
            let token = try openIDCheck(caseID: record.id)
            try Notifications(settings: settings).queue(.idRequested, for: record, in: self)
            return (record, token)
        }
    }

    /// The case and all its ID requests, oldest first.
    public func idChecks(code: String) throws -> (Case, [IDCheck]) {
        let record = try load(code: code)
        return (record, try idChecks(caseID: record.id))
    }

    /// How a reviewed ID request was verified (`upload`, `ekyc`, …); nil before review.
    public func verificationMethod(ofCheck id: Int64) throws -> String? {
        try db.query("SELECT method FROM id_checks WHERE id = ?", [.int(id)]).first?.optionalString("method")
    }

    /// The case's latest verified ID request and its method, if any.
    public func verifiedID(caseID: Int64) throws -> (check: IDCheck, method: String)? {
        guard let check = try idChecks(caseID: caseID).last(where: { $0.state == .verified }) else { return nil }
        return (check, try verificationMethod(ofCheck: check.id) ?? CaseStore.defaultVerificationMethod)
    }

    /// Marks the latest submitted ID verified.
    ///
    /// With `settings` and a `method` listed in `verification_methods`, the method's item number
    /// and label are recorded, and a method that includes mail to the ID's address needs the
    /// tracked address check confirmed (`addressCheckConfirmed`); `addressCheck` is then filled
    /// from that record. Otherwise (`upload`, `ekyc`, `face_to_face`, … an open list) the `upload`
    /// method needs `addressCheck` typed: the law does not accept uploaded images alone.
    /// - Returns: the verified request.
    public func verifyID(code: String, method: String = CaseStore.defaultVerificationMethod, addressCheck: String,
                         note: String = "", settings: Settings? = nil, by staff: Actor) throws -> IDCheck {
        try db.transaction {
            let record = try load(code: code)
            let kind = TextNormalizer.trim(method)
            guard !kind.isEmpty, kind.count <= 50, !kind.unicodeScalars.contains(where: { $0.value < 0x20 }) else {
                throw StoreError.invalid("case \(record.code): the verification method must be one line of at most 50 characters")
            }
            var address = TextNormalizer.trim(addressCheck)
            let listed = settings?.compliance.verificationMethod(kind)
            if let listed, listed.addressMail {
                address = try confirmedAddressCheck(of: record).summary
            } else if listed == nil, kind == CaseStore.defaultVerificationMethod, address.isEmpty {
                throw StoreError.refused(code: record.code, reason: "an ID verified by upload needs the address check: how the address on the ID was confirmed (e.g. the tracking number of a 本人限定受取郵便)")
            }
            let check = try submittedCheck(of: record)
            let now = clock.now()
            let reviewer = staff.name ?? staff.description
            try db.query("""
                UPDATE id_checks SET state = 'verified', method = ?, reviewed_by = ?, reviewed_at = ?, address_confirmation = ?, note = ?,
                    method_item = ?, method_label = ?
                WHERE id = ?
                """, [.text(kind), .text(reviewer), .int(now), address.isEmpty ? .null : .text(address),
                      .text(TextNormalizer.trim(note)), .of(listed?.item), .of(listed?.label), .int(check.id)])
            // Earlier submissions staff passed over are settled too, so the case stops waiting on them.
            try db.query("""
                UPDATE id_checks SET state = 'rejected', reviewed_by = ?, reviewed_at = ?, note = ?
                WHERE case_id = ? AND state = 'submitted' AND id <> ?
                """, [.text(reviewer), .int(now), .text("superseded by the verified request #\(check.id)"), .int(record.id), .int(check.id)])
            try touch(caseID: record.id)
            return try idChecks(caseID: record.id).first { $0.id == check.id }!
        }
    }

    /// Rejects the latest submitted ID (or, with none submitted, closes the open request's link),
    /// with the reason. Run `requestID` afterwards to ask the customer again.
    public func rejectID(code: String, note: String, by staff: Actor) throws -> IDCheck {
        try db.transaction {
            let record = try load(code: code)
            let reason = TextNormalizer.trim(note)
            guard !reason.isEmpty else { throw StoreError.refused(code: record.code, reason: "give the reason for rejecting the ID (--note)") }
            let checks = try idChecks(caseID: record.id)
            guard let check = checks.last(where: { $0.state == .submitted }) ?? checks.last(where: { $0.state == .open }) else {
                throw StoreError.refused(code: record.code, reason: "no submitted or open ID request to reject\(describe(checks))")
            }
            try db.query("UPDATE id_checks SET state = 'rejected', reviewed_by = ?, reviewed_at = ?, note = ? WHERE id = ?",
                         [.text(staff.name ?? staff.description), .int(clock.now()), .text(reason), .int(check.id)])
            try touch(caseID: record.id)
            return try idChecks(caseID: record.id).first { $0.id == check.id }!
        }
    }

    private func submittedCheck(of record: Case) throws -> IDCheck {
        let checks = try idChecks(caseID: record.id)
        if let check = checks.last(where: { $0.state == .submitted }) { return check }
        if let open = checks.last(where: { $0.state == .open }) {
            throw StoreError.refused(code: record.code, reason: "the customer has not uploaded an ID yet (request opened \(Timestamp.display(open.createdAt)))")
        }
        throw StoreError.refused(code: record.code, reason: "no submitted ID to verify\(describe(checks)); ask for one with `kaitori id request \(record.code)`")
    }

    private func describe(_ checks: [IDCheck]) -> String {
        guard let last = checks.last else { return " (no ID request yet)" }
        return " (latest request: \(last.state.rawValue)\(last.reviewedBy.map { " by \($0)" } ?? ""))"
    }
}
