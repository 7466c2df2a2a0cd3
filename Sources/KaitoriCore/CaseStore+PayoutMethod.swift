/// Setting a case's payout method (domain.md, "Payment": staff may set it when the customer did
/// not), checked by the same rules as the application form's payout fields.
extension CaseStore {
    /// Sets the payout method and, for a bank transfer, the account, recording the change in the
    /// case's history.
    ///
    /// - Parameter form: `payout` (a method id from the settings) and, for `bank_transfer`,
    ///   `bank_code`, `branch_code`, `account_type`, `account_number`, `account_holder`.
    /// - Throws: `StoreError.refused` naming every problem, or when the case is paid, canceled, or
    ///   already in an exported transfer file.
    @discardableResult
    public func setPayout(code: String, _ form: FormValues, by staff: Actor, settings: Settings) throws -> Case {
        try db.transaction {
            let record = try load(code: code)
            guard record.status != .paid, record.status != .canceled else {
                throw StoreError.refused(code: record.code, reason: "the payout method cannot change once the case is \(record.status.rawValue) (\(record.status.label))")
            }
            if let batch = record.payoutBatchID {
                throw StoreError.refused(code: record.code, reason: "the case is in the exported transfer batch \(batch); its payout cannot change (mark it paid, or export again after correcting the bank's record)")
            }
            let validator = ApplicationValidator(settings: settings, today: CivilDate(unixTime: clock.now()))
            var problems: [FieldError] = []
            let payout = validator.validatePayout(validator.normalized(form), &problems)
            guard problems.isEmpty else {
                throw StoreError.refused(code: record.code, reason: "the payout was not saved: "
                    + problems.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
            }
            let now = clock.now()
            try db.query("""
                UPDATE cases SET payout_method = ?, bank_code = ?, branch_code = ?, account_type = ?, account_number = ?,
                    account_holder = ? WHERE id = ?
                """, [.text(payout.method), .text(payout.bankCode), .text(payout.branchCode), .int(Int64(payout.accountType)),
                      .text(payout.accountNumber), .text(payout.accountHolder), .int(record.id)])
            try touch(caseID: record.id)
            let label = settings.payoutMethod(payout.method)?.label ?? payout.method
            try recordHistory(caseID: record.id, from: record.status, to: record.status, by: staff,
                              note: "payout set to \(payout.method) (\(label))", at: now)
            return try load(id: record.id)
        }
    }
}
