import KaitoriCore
import SitePages

/// The shop's published site (`var/site.json`) for one request, its templates parsed only when a
/// page is rendered: most successful posts answer with a redirect, and parsing every template
/// costs more than the rest of such a request.
final class PublishedPages {
    let published: PublishedSite
    let site: String
    private var parsed: SiteRenderer?

    /// - Throws: `SiteError` when the site was never built or `var/site.json` is unreadable.
    init(site: String) throws {
        self.site = site
        published = try PublishedSite.load(site: site)
    }

    var settings: Settings { published.settings }

    /// - Throws: `SiteError` for a template that does not parse (the build checked them, so only
    ///   a hand-edited `var/site.json` gets here).
    func renderer() throws -> SiteRenderer {
        if let parsed { return parsed }
        let renderer = try SiteRenderer(published: published, templates: PublishedSite.loadTemplates(site: site))
        parsed = renderer
        return renderer
    }
}
