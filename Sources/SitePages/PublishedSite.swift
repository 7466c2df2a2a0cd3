import FoundationEssentials
import KaitoriCore

/// What `kaitori build` publishes in `var/site.json` for the handler: the settings, the menu, the
/// templates and the assets' version, exactly as the build checked them. The handler never reads
/// `shop.yml` (no YAML parser at request time) nor `site-templates/` (a half-edited template must
/// not break the live form before the shop rebuilds).
public struct PublishedSite: Codable, Equatable, Sendable {
    /// Bumped when the layout of this file changes, so an old handler refuses a newer file clearly.
    public static let currentFormat = 1

    public var format: Int
    public var settings: Settings
    public var menu: [MenuEntry]
    public var templates: [TemplateSource]
    /// Appended to asset URLs (`/assets/site.css?v=…`) so browsers fetch changed files at once.
    public var assetVersion: String
    public var builtAt: Int64

    public init(settings: Settings, menu: [MenuEntry], templates: [TemplateSource], assetVersion: String, builtAt: Int64) {
        self.format = PublishedSite.currentFormat
        self.settings = settings; self.menu = menu; self.templates = templates
        self.assetVersion = assetVersion; self.builtAt = builtAt
    }

    /// Reads `var/site.json`.
    /// - Throws: `SiteError` when the site was never built or the file is not one this version reads.
    public static func load(site: String) throws -> PublishedSite {
        let path = SitePaths.join(site, SitePaths.publishedSite)
        guard FileSystem.exists(path) else {
            throw SiteError(file: SitePaths.publishedSite, message: "the site was never built; run `kaitori build` first")
        }
        let bytes = try FileSystem.readBytes(path)
        let published: PublishedSite
        do {
            published = try JSONDecoder().decode(PublishedSite.self, from: Data(bytes))
        } catch {
            throw SiteError(file: SitePaths.publishedSite, message: "cannot be read (\(error)); run `kaitori build` again")
        }
        guard published.format == currentFormat else {
            throw SiteError(file: SitePaths.publishedSite, message: "was written in format \(published.format), this version reads \(currentFormat); run `kaitori build` again")
        }
        return published
    }

    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
