/// Where a shop folder keeps what the site build and the handler share (architecture.md,
/// "The shop folder").
public enum SitePaths {
    public static let publicFolder = "public"
    public static let templatesFolder = "site-templates"
    public static let partialsFolder = "site-templates/partials"
    public static let assetsFolder = "site-templates/assets"
    public static let contentFolder = "content"
    public static let publishedSite = "var/site.json"
    /// The checked templates, apart from `site.json`: a post that answers with a redirect never
    /// reads them.
    public static let publishedTemplates = "var/site-templates.json"
    public static let buildLock = "var/build.lock"
    /// Which files under `public/` belong to which case, so a per-case write can remove pages whose
    /// token has since changed (a reissued or withdrawn link leaves no trace in the database).
    public static let casePageManifest = "var/case-pages"
    /// Postal-code shards made by `kaitori postal import` (one JSON per first three digits, and
    /// `source.txt` saying which data and its date); the build copies the JSON to `public/postal/`.
    public static let postalFolder = "var/postal"

    public static func join(_ site: String, _ relative: String) -> String {
        site.hasSuffix("/") ? site + relative : site + "/" + relative
    }
}
