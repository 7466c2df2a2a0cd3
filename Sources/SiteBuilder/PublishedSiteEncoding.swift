import FoundationEssentials
import KaitoriCore
import SitePages

/// Writing `var/site.json` and `var/site-templates.json` with Foundation's JSON encoder: only the
/// build writes them, so the encoder lives here and the handler (which only reads them, through
/// `JSONReader`) does not link Foundation.
extension PublishedSite {
    public func encoded() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }

    public static func encodedTemplates(_ templates: [TemplateSource]) throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(templates))
    }
}
