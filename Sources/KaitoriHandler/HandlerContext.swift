import CGI
import KaitoriCore
import SitePages

/// What every route needs to answer one request: the shop folder, its published settings and
/// templates, the request, and the clock.
struct HandlerContext {
    let site: String
    let pages: PublishedPages
    let request: CGIRequest
    let clock: any Clock
    /// What a persistent (FastCGI) handler keeps between requests; nil in a CGI process.
    var cache: HandlerCache? = nil

    var settings: Settings { pages.settings }

    /// A path under the handler (`/cgi-bin/kaitori/applied/K7QX-3M9A`). `SCRIPT_NAME` wins over
    /// the settings: it is where the web server actually mounted this handler, so a redirect to
    /// it always reaches the handler again.
    func handlerPath(_ route: String) -> String {
        var base = request.scriptName
        while base.hasSuffix("/") { base.removeLast() }
        return base.isEmpty ? settings.handlerPath(route) : base + route
    }

    /// Who sent this post, for the spam and abuse limits.
    func poster(route: String) -> Poster { Poster(route: route, address: request.remoteAddr ?? "") }

    /// The store, with the one page publisher every caller uses: after each committed change the
    /// store rewrites that case's pages (with the templates this request already read).
    func openStore() throws -> CaseStore {
        if let cache { return try cache.store(site: site, pages: pages, open: openNewStore) }
        return try openNewStore()
    }

    private func openNewStore() throws -> CaseStore {
        try CaseStore.open(site: site, store: settings.store, clock: clock,
                           pages: SitePagePublisher(site: site, clock: clock, renderer: pages.renderer,
                                                    casePages: { [pages] in pages.settings.site.casePages },
                                                    warn: HandlerLog.write))
    }
}
