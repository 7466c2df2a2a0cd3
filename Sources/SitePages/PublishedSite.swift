import KaitoriCore

/// What `kaitori build` publishes in `var/site.json` for the handler: the settings, the menu and the
/// assets' version, and in `var/site-templates.json` the templates, exactly as the build checked them. The handler never reads
/// `shop.yml` (no YAML parser at request time) nor `site-templates/` (a half-edited template must
/// not break the live form before the shop rebuilds). The files are written by the builder
/// (`PublishedSite.encoded()` in SiteBuilder): this module, which the handler links, stays free of
/// Foundation, whose static parts would otherwise be linked into the handler's executable.
public struct PublishedSite: Encodable, Equatable, Sendable {
    /// Bumped when the layout of this file changes, so an old handler refuses a newer file clearly.
    public static let currentFormat = 1

    public var format: Int
    /// As the handler gets them: without delivery settings (`HandlerSettings`).
    public var settings: Settings
    /// The site menu (`menu()`): only pages show it, so it is read from the file when a page first
    /// asks for it. An application post answers with a redirect and never does; reading it on
    /// every post cost 39 K instructions (its array's run-time type set-up included).
    private var menuSource: MenuSource
    /// Appended to asset URLs (`/assets/site.css?v=…`) so browsers fetch changed files at once.
    public var assetVersion: String
    public var builtAt: Int64

    private enum MenuSource: Sendable {
        case entries([MenuEntry])
        case unread(JSONReader)
    }

    public init(settings: Settings, menu: [MenuEntry], assetVersion: String, builtAt: Int64) {
        self.format = PublishedSite.currentFormat
        self.settings = settings.forHandler; self.menuSource = .entries(menu)
        self.assetVersion = assetVersion; self.builtAt = builtAt
    }

    /// The menu entries.
    /// - Throws: `SiteError` when the published menu cannot be read (only a hand-edited file).
    public func menu() throws -> [MenuEntry] {
        switch menuSource {
        case .entries(let entries): return entries
        case .unread(let json):
            do {
                return try json.array { MenuEntry(title: try $0["title"].string(), url: try $0["url"].string(), order: try $0["order"].int()) }
            } catch {
                throw SiteError(file: SitePaths.publishedSite, message: "cannot be read (\(error)); run `kaitori build` again")
            }
        }
    }

    public static func == (a: PublishedSite, b: PublishedSite) -> Bool {
        a.format == b.format && a.settings == b.settings && a.assetVersion == b.assetVersion && a.builtAt == b.builtAt
            && (try? a.menu()) == (try? b.menu())
    }

    /// Reads `var/site.json`.
    /// - Throws: `SiteError` when the site was never built or the file is not one this version reads.
    public static func load(site: String) throws -> PublishedSite {
        let path = SitePaths.join(site, SitePaths.publishedSite)
        guard FileSystem.exists(path) else {
            throw SiteError(file: SitePaths.publishedSite, message: "the site was never built; run `kaitori build` first")
        }
        let published: PublishedSite
        do {
            // The message templates stay unread until a message is queued (`MessageTemplates`).
            published = try PublishedSite(json: JSONReader(parsing: try FileSystem.readBytes(path)))
        } catch let error as SiteError {
            throw error
        } catch {
            throw SiteError(file: SitePaths.publishedSite, message: "cannot be read (\(error)); run `kaitori build` again")
        }
        guard published.format == currentFormat else {
            throw SiteError(file: SitePaths.publishedSite, message: "was written in format \(published.format), this version reads \(currentFormat); run `kaitori build` again")
        }
        return published
    }

    /// Reads what `encoded()` writes, without `Codable` (see `JSONValue`).
    public init(json r: JSONReader) throws {
        format = try r["format"].int()
        guard format == PublishedSite.currentFormat else {
            throw SiteError(file: SitePaths.publishedSite, message: "was written in format \(format), this version reads \(PublishedSite.currentFormat); run `kaitori build` again")
        }
        settings = try Settings(json: r["settings"])
        let menu = try r["menu"]
        // Its entries are read by `menu()`.
        guard menu.isArray else { throw JSONValue.MappingError(path: menu.path, message: "expected an array") }
        menuSource = .unread(menu)
        assetVersion = try r["assetVersion"].string()
        builtAt = try r["builtAt"].int64()
    }

    /// Reads `var/site-templates.json`, written by the same build as `var/site.json`.
    public static func loadTemplates(site: String) throws -> [TemplateSource] {
        let path = SitePaths.join(site, SitePaths.publishedTemplates)
        guard FileSystem.exists(path) else {
            throw SiteError(file: SitePaths.publishedTemplates, message: "is missing; run `kaitori build` first")
        }
        do {
            return try JSONReader(parsing: try FileSystem.readBytes(path)).array {
                TemplateSource(name: try $0["name"].string(), file: try $0["file"].string(), source: try $0["source"].string())
            }
        } catch {
            throw SiteError(file: SitePaths.publishedTemplates, message: "cannot be read (\(error)); run `kaitori build` again")
        }
    }

    enum CodingKeys: String, CodingKey { case format, settings, menu, assetVersion, builtAt }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(format, forKey: .format)
        try c.encode(HandlerSettings(settings), forKey: .settings)
        try c.encode(menu(), forKey: .menu)
        try c.encode(assetVersion, forKey: .assetVersion)
        try c.encode(builtAt, forKey: .builtAt)
    }
}
