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

    var settings: Settings { pages.settings }

    /// A path under the handler (`/cgi-bin/kaitori/applied/K7QX-3M9A`). `SCRIPT_NAME` wins over
    /// the settings: it is where the web server actually mounted this handler, so a redirect to
    /// it always reaches the handler again.
    func handlerPath(_ route: String) -> String {
        var base = request.scriptName
        while base.hasSuffix("/") { base.removeLast() }
        return base.isEmpty ? settings.handlerPath(route) : base + route
    }

    func openStore() throws -> CaseStore {
        try CaseStore.open(site: site, clock: clock)
    }

    /// Regenerates a case's static pages after a committed change. A failure is logged and not
    /// answered: the change is safely stored, and the next build writes the pages again.
    func writePages(code: String, store: CaseStore) {
        do {
            try CasePages.write(code: code, store: store, renderer: pages.renderer(), site: site, now: clock.now())
        } catch {
            HandlerLog.write("case \(code): stored, but writing its pages failed (the next `kaitori build` repairs them): \(error)")
        }
    }
}
