/// The three kinds of customer page a link token opens (`/review/<token>/`, `/kyc/<token>/`,
/// `/status/<token>/`): the first segment of the page's path.
public enum CustomerPageKind: String, CaseIterable, Sendable {
    case review, kyc, status

    /// The page a site path names (`/status/<token>/`, the slash optional), or nil: what a web
    /// server hands to the handler when it has no such file (a new case's status page, or every
    /// page with `site.case_pages: handler`).
    public static func page(atPath path: String) -> (kind: CustomerPageKind, token: String)? {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.count == 4, segments[3].isEmpty { segments.removeLast() }
        guard segments.count == 3, segments[0].isEmpty, let kind = CustomerPageKind(rawValue: String(segments[1])),
              Identifiers.isToken(segments[2]) else { return nil }
        return (kind, String(segments[2]))
    }
}

extension CaseStore {
    /// The case a customer page's token belongs to, for rendering that page per request
    /// (`site.case_pages: handler`); nil for a token no case has. Whether the page is shown at all
    /// (expired, answered, paid) is decided by the page rules, not here.
    public func load(page kind: CustomerPageKind, token: String) throws -> Case? {
        let sql = switch kind {
        case .review: "SELECT id FROM cases WHERE review_token = ?"
        case .status: "SELECT id FROM cases WHERE status_token = ?"
        case .kyc: "SELECT case_id AS id FROM id_checks WHERE token = ?"
        }
        guard let row = try db.query(sql, [.text(token)]).first else { return nil }
        return try load(id: row.int("id"))
    }
}
