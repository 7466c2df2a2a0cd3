import CSQLite

/// What can go wrong with the case store, in words a shop owner understands.
public enum StoreError: Error, Equatable, CustomStringConvertible {
    /// Locked, read-only, full or missing: the handler answers 503 and nothing changed.
    case unavailable(String)
    case notFound(String)
    /// A transition the case's status does not allow.
    case illegalTransition(code: String, status: CaseStatus, action: String)
    /// A rule refuses the action (e.g. purchase without a verified ID).
    case refused(code: String, reason: String)
    case invalid(String)
    case failed(String)

    public var description: String {
        switch self {
        case .unavailable(let m): "the case store is unavailable: \(m)"
        case .notFound(let m): m
        case .illegalTransition(let code, let status, let action):
            "case \(code) is \(status.rawValue) (\(status.label)); cannot \(action)" + StoreError.nextStep(code: code, status: status)
        case .refused(let code, let reason): "case \(code): \(reason)"
        case .invalid(let m): m
        case .failed(let m): "database error: \(m)"
        }
    }

    /// What staff can do next with a case in this status, so a refusal says where to go.
    static func nextStep(code: String, status: CaseStatus) -> String {
        switch status {
        case .received: "; next: confirm it (kaitori case confirm \(code))"
        case .confirmed: "; next: when the parcel comes, mark it arrived (kaitori case arrive \(code))"
        case .arrived: "; next: add items (kaitori items add \(code) --name ... --price ..., or kaitori items import \(code) FILE)"
        case .assessing: "; next: mark it assessed (kaitori case assess \(code))"
        case .assessed: "; next: the customer answers on the review page (reissue the link: kaitori case reissue \(code))"
        case .approved: "; next: verify the ID (kaitori id verify \(code)), then kaitori case purchase \(code)"
        case .purchased: "; next: pay (kaitori pay \(code))"
        case .paid: "; it is finished"
        case .canceled: "; it is finished (kaitori case renegotiate \(code) to assess its items again)"
        }
    }

    static func from(code: Int32, message: String) -> StoreError {
        switch code & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED, SQLITE_READONLY, SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN,
             SQLITE_PERM, SQLITE_NOLFS, SQLITE_CORRUPT, SQLITE_NOTADB:
            .unavailable(message)
        default:
            .failed(message)
        }
    }
}
