import CGI
import KaitoriCore
import SitePages

/// GET `/review/{token}`, `/kyc/{token}`, `/status/{token}`: a customer page rendered from the
/// store for this request, by the same rules and templates that write it as a file
/// (`CasePages.page`), so with several hosts on one PostgreSQL store every host shows the case as
/// it is now (`site.case_pages: handler`, docs/scaling.md).
struct CustomerPage {
    let context: HandlerContext
    let kind: CustomerPageKind
    let token: String

    /// - Returns: 200 with the page.
    /// - Throws: `HandlerError` 404 (the link page) for a token no case has or a page no longer
    ///   shown; `StoreError` when the store is unavailable (503).
    func respond() throws -> CGIResponse {
        let store = try context.openStore()
        guard let html = try CasePages.page(kind, token: token, store: store, renderer: context.pages.renderer(),
                                            now: context.clock.now()) else {
            throw HandlerError.unknownLink("GET /\(kind.rawValue)/: no page for this token (unknown, expired or finished)")
        }
        return .html(status: 200, body: html)
    }
}
