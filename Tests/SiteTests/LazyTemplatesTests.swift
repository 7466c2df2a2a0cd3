import KaitoriCore
import Mustache
import Testing
@testable import SitePages

/// The handler and the page publisher parse a template only when a page first needs it
/// (`SiteTemplates(checked:)`); the build parses and checks every one (`SiteTemplates.parse`).
/// Both must render the same pages.
struct LazyTemplatesTests {
    @Test("parsed on demand, every page renders exactly as with all templates parsed")
    func samePages() throws {
        let shop = try FixtureShop()
        try shop.build()
        let published = try PublishedSite.load(site: shop.root)
        let sources = try PublishedSite.loadTemplates(site: shop.root)
        let eager = SiteRenderer(settings: published.settings, menu: try published.menu(),
                                 templates: try SiteTemplates(sources: sources), assetVersion: published.assetVersion)
        let lazy = try SiteRenderer(published: published, templates: sources)
        let errors = FieldErrors([FieldError("phone", CustomerText.phone)])
        #expect(try lazy.applyForm(values: FormValues(), errors: errors) == eager.applyForm(values: FormValues(), errors: errors))
        #expect(try lazy.applied(code: "K-TEST") == eager.applied(code: "K-TEST"))
        #expect(try lazy.errorPage(status: 410, title: "期限切れ", message: "m", backURL: nil)
                == eager.errorPage(status: 410, title: "期限切れ", message: "m", backURL: nil))
        // Every name is known before it is parsed.
        for name in SiteTemplates.required { #expect(lazy.templates.has(name)) }
        #expect(!lazy.templates.has("no-such-page"))
    }

    @Test("a broken template fails only the page that uses it, naming its file")
    func brokenTemplate() throws {
        let sources = [
            TemplateSource(name: "layout", file: "site-templates/layout.mustache", source: "<main>{{{body}}}</main>{{> footer}}"),
            TemplateSource(name: "footer", file: "site-templates/partials/footer.mustache", source: "<footer>{{#shop}}{{name}}{{/shop}}</footer>"),
            TemplateSource(name: "error", file: "site-templates/error.mustache", source: "<h1>{{error.title}}</h1>"),
            TemplateSource(name: "review", file: "site-templates/review.mustache", source: "{{#review}}unclosed"),
        ]
        let templates = SiteTemplates(checked: sources)
        let page = try templates.render("layout", ["body": "x", "shop": ["name": "まる福"]])
        #expect(page == "<main>x</main><footer>まる福</footer>")
        #expect(throws: SiteError.self) { try templates.render("review", [:]) }
        do {
            _ = try templates.render("review", [:])
        } catch let error as SiteError {
            #expect(error.file == "site-templates/review.mustache")
        }
        // The good pages still render after the failure.
        #expect(try templates.render("error", ["error": ["title": "t"]]) == "<h1>t</h1>")
    }
}
