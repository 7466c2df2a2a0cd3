import Foundation
import KaitoriCore
import SiteBuilder
import SitePages
import Testing

@Suite("Full build of the fixture shop")
struct SiteBuildTests {
    @Test("writes content pages, the form, status pages, robots.txt, sitemap.xml and assets")
    func writesEveryPage() throws {
        let shop = try FixtureShop()
        let report = try shop.build()
        for page in ["public/index.html", "public/faq/index.html", "public/guide/index.html", "public/guide/shipping/index.html",
                     "public/terms/index.html", "public/apply/index.html", "public/404.html", "public/review/index.html",
                     "public/kyc/index.html", "public/robots.txt", "public/sitemap.xml", "public/assets/site.css",
                     "public/assets/site.js", "public/assets/favicon.svg", "var/site.json"] {
            #expect(shop.exists(page), "\(page) missing")
        }
        #expect(report.casePages == 0)
        #expect(report.assets == 3, "site.css, site.js, favicon.svg")
        #expect(!shop.exists("public/campaign/index.html"), "a draft page was published")
    }

    @Test("content pages carry the Markdown body, the layout, the menu and the footer")
    func contentPages() throws {
        let shop = try FixtureShop()
        try shop.build()
        let faq = try shop.read("public/faq/index.html")
        #expect(faq.contains("<h1 class=\"content__title\">よくある質問</h1>"))
        #expect(faq.contains("<h2>Q. 送料はかかりますか？</h2>"))
        #expect(faq.contains("<title>よくある質問 | まる福 宅配買取センター</title>"))
        #expect(faq.contains("<meta name=\"description\" content=\"よくいただくご質問にお答えします。\">"))
        #expect(faq.contains("<link rel=\"canonical\" href=\"https://kaitori.example.jp/faq/\">"))
        #expect(faq.contains("href=\"/faq/\" aria-current=\"page\""))
        #expect(!faq.contains("noindex"))
        // The menu follows the `menu` numbers and leaves out drafts and pages without one.
        let nav = try #require(faq.range(of: "<nav").flatMap { start in faq.range(of: "</nav>").map { faq[start.lowerBound..<$0.upperBound] } })
        #expect(attributeValues("href", in: String(nav)) == ["/", "/guide/", "/faq/", "/terms/", "/contact/"])
        // Footer: company, address, phone, licence, legal links.
        #expect(faq.contains("株式会社まる福リユース"))
        #expect(faq.contains("〒330-0063 埼玉県さいたま市浦和区高砂2丁目8番14号"))
        #expect(faq.contains("<a href=\"tel:048-555-0123\">048-555-0123</a>") || faq.contains("<a href=\"tel:0485550123\">048-555-0123</a>"))
        #expect(faq.contains("古物商許可番号：埼玉県公安委員会許可 第431010012345号"))
        for link in ["/terms/", "/privacy/", "/legal/", "/contact/"] { #expect(faq.contains("href=\"\(link)\"")) }
        let home = try shop.read("public/index.html")
        #expect(home.contains("<title>まる福 宅配買取センター</title>"))
        #expect(home.contains("class=\"hero\""))
        #expect(home.contains("<h2>箱に詰めて送るだけ</h2>"))
    }

    @Test("raw HTML and script links in Markdown are not published")
    func rawHTMLStripped() throws {
        let shop = try FixtureShop()
        try shop.build()
        let faq = try shop.read("public/faq/index.html")
        #expect(!faq.contains("alert"))
        #expect(!faq.contains("class=\"injected\""))
        #expect(!faq.contains("javascript:"))
        #expect(faq.contains("<a href=\"/contact/\">安全なリンク</a>"))
        #expect(!faq.contains("<script>"))
        #expect(faq.contains("<script src=\"/assets/site.js?v="))
    }

    @Test("robots.txt keeps crawlers off token pages; sitemap lists published pages only")
    func robotsAndSitemap() throws {
        let shop = try FixtureShop()
        try shop.build()
        let robots = try shop.read("public/robots.txt")
        #expect(robots.contains("Disallow: /review/\n"))
        #expect(robots.contains("Disallow: /kyc/\n"))
        #expect(robots.contains("Disallow: /cgi-bin/kaitori/\n"))
        #expect(robots.contains("Sitemap: https://kaitori.example.jp/sitemap.xml"))
        let sitemap = try shop.read("public/sitemap.xml")
        for url in ["https://kaitori.example.jp/", "https://kaitori.example.jp/faq/", "https://kaitori.example.jp/guide/shipping/",
                    "https://kaitori.example.jp/apply/"] {
            #expect(sitemap.contains("<loc>\(url)</loc>"), "\(url) missing from the sitemap")
        }
        #expect(!sitemap.contains("campaign"))
        #expect(!sitemap.contains("/review/"))
    }

    @Test("var/site.json gives the handler the same settings, menu and pages")
    func publishedSite() throws {
        let shop = try FixtureShop()
        try shop.build()
        let renderer = try SiteRenderer.load(site: shop.root)
        #expect(renderer.settings.shop.name == "まる福 宅配買取センター")
        #expect(renderer.settings.site.baseURL == "https://kaitori.example.jp")
        #expect(renderer.menu.map(\.url) == ["/", "/guide/", "/faq/", "/terms/", "/contact/"])
        let form = try renderer.applyForm(values: FormValues(), errors: nil)
        #expect(form == (try shop.read("public/apply/index.html")))
    }

    @Test("the menu is read when a page asks for it; a broken one stops pages, not the settings")
    func menuReadWhenAsked() throws {
        let shop = try FixtureShop()
        try shop.build()
        let path = shop.root + "/var/site.json"
        let text = try String(contentsOfFile: path, encoding: .utf8)
        let published = try PublishedSite.load(site: shop.root)
        #expect(try published.menu().map(\.url) == ["/", "/guide/", "/faq/", "/terms/", "/contact/"])
        #expect(published == (try PublishedSite.load(site: shop.root)))

        // An entry without its title: the settings still load, the menu (and so every page) does not.
        let start = try #require(text.range(of: "\"menu\":[")), end = try #require(text.range(of: "],\"settings\""))
        let menu = String(text[start.lowerBound..<end.upperBound])
        try text.replacingOccurrences(of: menu, with: menu.replacingOccurrences(of: "\"title\":", with: "\"titel\":"))
            .write(toFile: path, atomically: true, encoding: .utf8)
        let broken = try PublishedSite.load(site: shop.root)
        #expect(broken.settings.shop.name == "まる福 宅配買取センター")
        #expect(throws: SiteError.self) { try broken.menu() }
        #expect(throws: SiteError.self) { try SiteRenderer.load(site: shop.root) }

        // A menu that is not a list at all is refused with the file.
        try text.replacingOccurrences(of: menu, with: "\"menu\":{\"x\":" + menu.dropFirst("\"menu\":".count).dropLast(",\"settings\"".count) + "},\"settings\"")
            .write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: SiteError.self) { try PublishedSite.load(site: shop.root) }
    }

    @Test("a site that was never built has no renderer")
    func neverBuilt() throws {
        let shop = try FixtureShop()
        #expect(throws: SiteError(file: "var/site.json", message: "the site was never built; run `kaitori build` first")) {
            try SiteRenderer.load(site: shop.root)
        }
    }

    @Test("the build prints numbered progress lines")
    func progress() throws {
        let shop = try FixtureShop()
        let lines = LockedLines()
        _ = try SiteBuilder(site: shop.root, now: FixtureShop.start, log: { lines.append($0) }).build()
        let all = lines.values
        #expect(all.count == 12)
        #expect(all.first?.hasPrefix("[1/12] ") == true)
        #expect(all.last?.hasPrefix("[12/12] ") == true)
    }
}

final class LockedLines: @unchecked Sendable {
    private(set) var values: [String] = []
    func append(_ line: String) { values.append(line) }
}
