import Foundation
import KaitoriCore
import SiteBuilder
import SitePages
import Testing

@Suite("Failed builds leave public/ untouched")
struct BuildFailureTests {
    /// Builds once, breaks something, builds again and checks the second build changed nothing.
    private func expectUnchanged(_ shop: FixtureShop, after change: () throws -> Void) throws -> BuildError? {
        try shop.build()
        _ = try shop.assessedCase(now: FixtureShop.start)
        try shop.build()
        let before = try shop.snapshot()
        let published = try Data(contentsOf: URL(fileURLWithPath: shop.path("var/site.json")))
        try change()
        var failure: BuildError?
        do {
            try shop.build(now: FixtureShop.start + 60)
            Issue.record("the build should have failed")
        } catch let error as BuildError {
            failure = error
        }
        #expect(try shop.snapshot() == before, "public/ changed")
        #expect(try Data(contentsOf: URL(fileURLWithPath: shop.path("var/site.json"))) == published)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: shop.root).filter { $0.hasPrefix(".public") }
        #expect(leftovers.isEmpty, "build folder left behind: \(leftovers)")
        return failure
    }

    @Test("a template that does not parse names its file and line")
    func brokenTemplate() throws {
        let shop = try FixtureShop()
        let failure = try expectUnchanged(shop) {
            let source = try shop.read("site-templates/page.mustache")
            let lines = source.split(separator: "\n", omittingEmptySubsequences: false).count
            try shop.write("site-templates/page.mustache", source + "\n  {{#content.missing}}\n")
            #expect(lines == 5)
        }
        let problem = try #require(failure?.problems.first)
        #expect(failure?.step == "Load site-templates/")
        #expect(problem.file == "site-templates/page.mustache")
        #expect(problem.line == 6)
        #expect(problem.column == 3)
        #expect(problem.description.hasPrefix("site-templates/page.mustache:6:3: "))
    }

    @Test("a template mistake on a page only the handler renders is caught by the build")
    func brokenAnsweredReview() throws {
        let shop = try FixtureShop()
        var line = 0
        let failure = try expectUnchanged(shop) {
            let source = try shop.read("site-templates/review.mustache")
            var lines = source.components(separatedBy: "\n")
            let index = try #require(lines.firstIndex { $0.contains("<li class=\"item-card item-card--returned\">") })
            lines[index] = lines[index].replacingOccurrences(of: "{{> review-item}}", with: "{{> returned-item}}")
            line = index + 1
            try shop.write("site-templates/review.mustache", lines.joined(separator: "\n"))
        }
        let problem = try #require(failure?.problems.first)
        #expect(failure?.step == "Check form, review and ID page templates")
        #expect(problem.file == "site-templates/review.mustache")
        #expect(problem.line == line)
        #expect(problem.message.contains("returned-item"))
    }

    @Test("a missing required template is named")
    func missingTemplate() throws {
        let shop = try FixtureShop()
        let failure = try expectUnchanged(shop) {
            try FileManager.default.removeItem(atPath: shop.path("site-templates/kyc.mustache"))
        }
        #expect(failure?.problems == [SiteError(file: "site-templates/kyc.mustache", message: "is missing; every site needs it")])
    }

    @Test("front matter problems name the content file and line")
    func brokenFrontMatter() throws {
        let shop = try FixtureShop()
        let failure = try expectUnchanged(shop) {
            try shop.write("content/news.md", "---\ntitle: お知らせ\nmenu: first\nauthor: 店長\n---\n本文\n")
            try shop.write("content/about.md", "---\ntitle: 会社概要\nlayout: wide\n---\n本文\n")
        }
        #expect(failure?.step == "Read content/")
        #expect(failure?.problems == [
            SiteError(file: "content/about.md", line: 2, message: "layout: no template 'wide'; use one of home, page"),
            SiteError(file: "content/news.md", line: 3, message: "menu: must be a whole number from 0 to 9999 (the menu position), got 'first'"),
            SiteError(file: "content/news.md", line: 4, message: "unknown key 'author'; the keys are title, description, layout, menu, draft"),
        ])
    }

    @Test("a settings problem names shop.yml and the line")
    func brokenSettings() throws {
        let shop = try FixtureShop()
        let failure = try expectUnchanged(shop) {
            let settings = try shop.read("shop.yml")
            try shop.write("shop.yml", settings.replacingOccurrences(of: "  valid_days: 21", with: "  valid_days: three weeks"))
        }
        #expect(failure?.step == "Read shop.yml")
        let problem = try #require(failure?.problems.first)
        #expect(problem.file == "shop.yml")
        #expect(problem.line > 1)
        #expect(problem.message.hasPrefix("review.valid_days: "))
    }

    @Test("a content file published over a site page is refused")
    func reservedPath() throws {
        let shop = try FixtureShop()
        let failure = try expectUnchanged(shop) {
            try shop.write("content/apply.md", "---\ntitle: 申し込み\n---\n")
        }
        #expect(failure?.problems == [SiteError(file: "content/apply.md", message: "would be published at /apply/, which the site itself uses; rename the file")])
    }

    @Test("an interrupted build's folder is removed by the next build")
    func leftoverFolder() throws {
        let shop = try FixtureShop()
        try shop.build()
        try shop.write(".public.build-Ab12Cd/index.html", "half a site")
        try shop.write(".public.build-Ef34Gh/faq/index.html", "an older half")
        try shop.build()
        let names = try FileManager.default.contentsOfDirectory(atPath: shop.root)
        #expect(!names.contains { $0.hasPrefix(".public.build-") })
        #expect(try shop.read("public/index.html").contains("<!DOCTYPE html>"))
    }

    @Test("a rebuild replaces public/ as a whole: files gone from content disappear")
    func swap() throws {
        let shop = try FixtureShop()
        try shop.build()
        #expect(shop.exists("public/guide/shipping/index.html"))
        try FileManager.default.removeItem(atPath: shop.path("content/guide/shipping.md"))
        try shop.build()
        #expect(!shop.exists("public/guide/shipping"))
        #expect(shop.exists("public/guide/index.html"))
    }

    @Test("a symbolic link public/ keeps pointing at the served folder")
    func symlinkedPublic() throws {
        let shop = try FixtureShop()
        let served = shop.path("www/shop")
        try FileManager.default.createDirectory(atPath: served, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: shop.path("public"), withDestinationPath: served)
        try shop.build()
        try shop.build()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: shop.path("public")) == served)
        #expect(FileManager.default.fileExists(atPath: served + "/apply/index.html"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: shop.path("www")) == ["shop"])
    }
}
