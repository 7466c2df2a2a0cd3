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
            "case \(code) is \(status.rawValue) (\(status.label)); cannot \(action)"
        case .refused(let code, let reason): "case \(code): \(reason)"
        case .invalid(let m): m
        case .failed(let m): "database error: \(m)"
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
