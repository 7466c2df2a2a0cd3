import KaitoriCore
import Mustache

/// `sitemap.xml`: the published content pages and the application form, as absolute URLs.
/// Token pages are never listed.
enum Sitemap {
    static func xml(paths: [String], settings: Settings) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">

            """
        for path in paths {
            out += "  <url><loc>\(MustacheValue.htmlEscaped(settings.absoluteURL(path)))</loc></url>\n"
        }
        return out + "</urlset>\n"
    }
}
