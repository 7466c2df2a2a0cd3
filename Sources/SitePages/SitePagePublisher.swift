import KaitoriCore

/// The one place that keeps a case's customer pages in step with the store: the handler, the CLI
/// and the console open the store with it (`CaseStore.open(site:clock:pages:)`), and the store
/// calls it after every committed change. So `kaitori pay`, a console button or a customer's post
/// all leave the same pages behind as a full build would.
public final class SitePagePublisher: CasePagePublisher {
    private let site: String
    private let clock: any Clock
    private let warn: (String) -> Void
    private var renderer: SiteRenderer?
    private let loadRenderer: () throws -> SiteRenderer
    private let loadMode: () throws -> Settings.Site.CasePages

    /// - Parameters:
    ///   - renderer: how to get the published templates (the handler passes the ones it already
    ///     read); by default `SiteRenderer.load(site:)`, read once, on the first change.
    ///   - casePages: the published `site.case_pages` (the handler passes the settings it already
    ///     read); by default read from `var/site.json`. With `handler` no file is written: the
    ///     handler renders each page per request (docs/scaling.md).
    ///   - warn: where a failure goes (stderr for the CLI, the web server's log for CGI programs).
    public init(site: String, clock: any Clock = SystemClock(),
                renderer: (() throws -> SiteRenderer)? = nil,
                casePages: (() throws -> Settings.Site.CasePages)? = nil, warn: @escaping (String) -> Void) {
        self.site = site
        self.clock = clock
        self.warn = warn
        self.loadRenderer = renderer ?? { try SiteRenderer.load(site: site) }
        self.loadMode = casePages ?? { try PublishedSite.load(site: site).settings.site.casePages }
    }

    public func publish(codes: [String], store: CaseStore) {
        // Never built: there is no site yet, and the first build writes every case's pages.
        guard FileSystem.exists(SitePaths.join(site, SitePaths.publishedSite)) else { return }
        // Pages rendered per request: nothing to keep in step (the last build removed the files).
        if (try? loadMode()) == .handler { return }
        for code in codes {
            do {
                let renderer = try self.renderer ?? loadRenderer()
                self.renderer = renderer
                try CasePages.write(code: code, store: store, renderer: renderer, site: site, now: clock.now())
            } catch {
                warn("case \(code) is saved, but its customer pages were not updated: \(error); "
                     + "`kaitori build --case \(code)` (or any full build) repairs them")
            }
        }
    }
}
