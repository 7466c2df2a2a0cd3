import KaitoriCore
@testable import SiteBuilder
import SitePages
import Testing

@Suite("Front matter and Markdown")
struct FrontMatterTests {
    @Test("front matter and body are split; defaults apply")
    func parses() throws {
        let result = FrontMatter.parse("---\ntitle: よくある質問\ndescription: 説明\nmenu: 4\ndraft: false\n---\n\n本文です。\n", file: "content/faq.md")
        let (matter, body) = try result.get()
        #expect(matter == FrontMatter(title: "よくある質問", description: "説明", layout: "page", menu: 4, draft: false))
        #expect(body == "\n本文です。\n")
    }

    @Test("a file without front matter, or with it left open, is refused at line 1")
    func missing() {
        guard case .failure(let none) = FrontMatter.parse("# 見出し\n", file: "content/a.md"),
              case .failure(let open) = FrontMatter.parse("---\ntitle: x\n本文\n", file: "content/b.md") else {
            Issue.record("both should fail")
            return
        }
        #expect(none.problems.map(\.line) == [1])
        #expect(open.problems.map(\.file) == ["content/b.md"])
    }

    @Test("YAML syntax errors carry the file's line number")
    func syntax() {
        guard case .failure(let failure) = FrontMatter.parse("---\ntitle: a\ndescription: [unclosed\n---\n", file: "content/c.md") else {
            Issue.record("should fail")
            return
        }
        #expect(failure.problems.first?.file == "content/c.md")
        #expect((failure.problems.first?.line ?? 0) >= 3)
        #expect(failure.problems.first?.message.hasPrefix("front matter is not valid YAML") == true)
    }

    @Test("title is required; draft must be a boolean")
    func rules() {
        guard case .failure(let failure) = FrontMatter.parse("---\ndescription: x\ndraft: maybe\n---\n", file: "content/d.md") else {
            Issue.record("should fail")
            return
        }
        #expect(failure.problems == [
            SiteError(file: "content/d.md", line: 2, message: "title: missing (required)"),
            SiteError(file: "content/d.md", line: 3, message: "draft: must be true or false, got 'maybe'"),
        ])
    }

    @Test("Markdown renders in safe mode")
    func markdown() {
        let html = Markdown.html("## 見出し\n\n- **太字**\n\n<iframe src=\"https://evil.example\"></iframe>\n\n[x](javascript:alert(1)) <span onclick=\"x()\">y</span>\n")
        #expect(html.contains("<h2>見出し</h2>"))
        #expect(html.contains("<li><strong>太字</strong></li>"))
        #expect(!html.contains("<iframe"))
        #expect(!html.contains("javascript:"))
        #expect(!html.contains("onclick"))
        #expect(html.contains("<!-- raw HTML omitted -->"))
    }
}

@Suite("Status pages")
struct StatusPageTests {
    @Test("error pages have the title, the message, a way back, and for 410 the shop's contact link")
    func errorPages() throws {
        let shop = try FixtureShop()
        try shop.build()
        let renderer = try SiteRenderer.load(site: shop.root)
        for status in [400, 404, 405, 409, 410, 413, 415, 422, 503] {
            let html = try renderer.errorPage(status: status, title: "タイトル\(status)", message: "説明<\(status)>", backURL: status == 404 ? nil : "/apply/")
            #expect(html.contains("<h1 class=\"error-page__title\">タイトル\(status)</h1>"))
            #expect(html.contains("<p class=\"error-page__message\">説明&lt;\(status)&gt;</p>"))
            #expect(html.contains("<meta name=\"robots\" content=\"noindex\">"))
            #expect(html.contains(status == 404 ? "href=\"/\">トップページへ戻る</a>" : "href=\"/apply/\">前のページへ戻る</a>"))
            #expect(html.contains("新しいリンクの発行") == (status == 410))
        }
        let gone = try renderer.errorPage(status: 410, title: "期限切れ", message: "期限が過ぎました。", backURL: nil)
        #expect(gone.contains("<a href=\"/contact/\">お問い合わせ</a>ください。"))
    }

    @Test("the applied page shows the case code and where to send the parcel")
    func applied() throws {
        let shop = try FixtureShop()
        try shop.build()
        let html = try SiteRenderer.load(site: shop.root).applied(code: "K7QX-3M9A")
        #expect(html.contains("<span class=\"case-code__value\">K7QX-3M9A</span>"))
        #expect(html.contains("お申し込みを受け付けました"))
        #expect(html.contains("埼玉県さいたま市浦和区高砂2丁目8番14号"))
        #expect(html.contains("<meta name=\"robots\" content=\"noindex\">"))
    }
}
