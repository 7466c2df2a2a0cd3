import KaitoriCore

/// Every console page and step after login (the framework handles /login and /logout first, and
/// enforces the session, the CSRF token and each route's role before calling a handler).
/// State changes only by POST. Owner-only: payments, the bank file, marking paid.
enum StaffRoutes {
    static var all: [StaffRoute] {
        [
            StaffRoute(method: .get, pattern: "/", role: .staff, handle: DashboardPage.render),
            StaffRoute(method: .get, pattern: "/cases", role: .staff, handle: CaseListPage.render),
            StaffRoute(method: .get, pattern: "/cases.csv", role: .staff, handle: CaseListPage.csv),
            StaffRoute(method: .get, pattern: "/cases/{code}", role: .staff, handle: CaseDetailPage.render),
            StaffRoute(method: .get, pattern: "/cases/{code}/files/{id}", role: .staff, handle: CaseFiles.file),
            StaffRoute(method: .get, pattern: "/cases/{code}/estimate", role: .staff) { try CaseFiles.document(.estimate, $0) },
            StaffRoute(method: .get, pattern: "/cases/{code}/contract", role: .staff) { try CaseFiles.document(.contract, $0) },
            StaffRoute(method: .get, pattern: "/cases/{code}/items.csv", role: .staff, handle: CaseFiles.itemSheet),
            // Marking paid is the owner's, as the other payment steps; registered before the general step route.
            StaffRoute(method: .post, pattern: "/cases/{code}/pay", role: .owner, handle: CaseActions.perform),
            StaffRoute(method: .post, pattern: "/cases/{code}/{action}", role: .staff, handle: CaseActions.perform),
            StaffRoute(method: .get, pattern: "/arrival", role: .staff, handle: ArrivalPage.render),
            StaffRoute(method: .post, pattern: "/arrival", role: .staff, handle: ArrivalPage.run),
            StaffRoute(method: .get, pattern: "/payments", role: .owner, handle: PaymentsPage.render),
            StaffRoute(method: .post, pattern: "/payments/zengin", role: .owner, handle: PaymentsPage.zengin),
            StaffRoute(method: .post, pattern: "/payments/pay", role: .owner, handle: PaymentsPage.pay),
            StaffRoute(method: .get, pattern: "/feed", role: .staff, handle: FeedPage.render),
            StaffRoute(method: .post, pattern: "/feed/read", role: .staff, handle: FeedPage.markRead),
        ]
    }
}
