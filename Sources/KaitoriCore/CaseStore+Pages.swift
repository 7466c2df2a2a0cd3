/// What the site build needs from the store: the cases that may have customer pages.
extension CaseStore {
    /// Codes of cases that may have a page under `public/` at `now`, oldest first: a review link not
    /// yet expired, an ID request that is open or waiting for the shop, or a status page (every case
    /// not finished, and finished ones for `statusPageDays`). Which pages each really
    /// gets is the site's rule (`CasePages`); this only keeps a full build from loading every case.
    /// How long after its last change a finished case may still have a status page (the site's
    /// rule, `CasePages.showsStatus`, decides within this).
    public static let statusPageDays: Int64 = 90

    public func codesWithCustomerPages(now: Int64) throws -> [String] {
        try db.query("""
            SELECT code FROM cases c
            WHERE c.status_token IS NOT NULL AND (c.status NOT IN ('paid', 'canceled') OR c.updated_at > ?)
               OR (c.review_token IS NOT NULL AND c.review_expires_at > ?)
               OR EXISTS (SELECT 1 FROM id_checks k WHERE k.case_id = c.id AND k.state IN ('open', 'submitted'))
            ORDER BY c.id
            """, [.int(now - Self.statusPageDays * 86_400), .int(now)]).map { $0.string("code") }
    }
}
