/// The three kinds of customer page a link token opens (`/review/<token>/`, `/kyc/<token>/`,
/// `/status/<token>/`): the first segment of the page's path.
public enum CustomerPageKind: String, CaseIterable, Sendable {
    case review, kyc, status
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
