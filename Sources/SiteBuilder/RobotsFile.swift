import KaitoriCore

/// `robots.txt`: keeps crawlers away from the per-case pages (their links are secrets mailed to
/// one customer) and from the handler, and points them at the sitemap.
enum RobotsFile {
    static func text(settings: Settings) -> String {
        var lines = ["User-agent: *", "Disallow: /review/", "Disallow: /kyc/", "Disallow: /status/"]
        let handler = settings.handlerPath("/")
        if handler.hasPrefix("/") { lines.append("Disallow: \(handler)") }
        lines += ["", "Sitemap: \(settings.absoluteURL("/sitemap.xml"))"]
        return lines.joined(separator: "\n") + "\n"
    }
}
