import FoundationEssentials
import KaitoriCore
import SitePages

/// Writing `var/site.json` and `var/site-templates.json` with Foundation's JSON encoder: only the
/// build writes them, so the encoder lives here and the handler (which only reads them, through
/// `JSONReader`) does not link Foundation.
extension PublishedSite {
    public func encoded() throws -> [UInt8] {
        try Self.encode(self)
    }

    public static func encodedTemplates(_ templates: [TemplateSource]) throws -> [UInt8] {
        try encode(templates)
    }

    /// Keys sorted and slashes left alone, so that the same site publishes the same bytes.
    private static func encode(_ value: some Encodable) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(value))
    }
}
