import Mustache
import Testing

struct TemplateErrorTests {
    private func parseError(_ source: String, name: String = "page.html") -> TemplateError? {
        do {
            _ = try Template(source: source, name: name)
            return nil
        } catch {
            return error
        }
    }

    @Test func unclosedSectionPointsAtItsOpeningTag() {
        let source = """
        <h1>{{title}}</h1>
        <ul>
          {{#items}}
          <li>{{name}}</li>
        </ul>
        """
        let error = parseError(source)
        #expect(error == TemplateError(
            file: "page.html", line: 3, column: 3,
            message: "section {{#items}} is never closed with {{/items}}"))
        #expect(error?.description == "page.html:3:3: section {{#items}} is never closed with {{/items}}")
    }

    @Test func mismatchedClosingTagNamesBothTags() {
        let source = """
        <ul>
        {{#items}}
          <li>{{name}}</li>
        {{/item}}
        </ul>
        """
        #expect(parseError(source) == TemplateError(
            file: "page.html", line: 4, column: 1,
            message: "closing tag {{/item}} does not match {{#items}} opened at line 2, column 1"))
    }

    @Test func unclosedTagAtEndOfTemplate() {
        // Columns count characters, so the four kana before the tag count four, not twelve bytes.
        #expect(parseError("こんにちは\n  ようこそ {{name\n様") == TemplateError(
            file: "page.html", line: 2, column: 8,
            message: "tag starting '{{name' is never closed with '}}'"))
    }

    @Test func unclosedTagFollowedByAnotherTagIsReportedWhereItStarts() {
        #expect(parseError("Dear {{name,\nyour total is {{total}}.") == TemplateError(
            file: "page.html", line: 1, column: 6,
            message: "tag starting '{{name,' is never closed with '}}'"))
    }

    @Test func unclosedTripleMustache() {
        #expect(parseError("<p>{{{body}}</p>") == TemplateError(
            file: "page.html", line: 1, column: 4,
            message: "tag starting '{{{body}}</p>' is never closed with '}}}'"))
    }

    @Test(arguments: [
        ("a {{ }} b", 3, "tag {{ }} has no name"),
        ("{{#}}", 1, "tag {{#}} has no name"),
        ("x{{/  }}", 2, "tag {{/  }} has no name"),
        ("{{>}}", 1, "tag {{>}} has no name"),
    ])
    func emptyTagName(source: String, column: Int, message: String) {
        #expect(parseError(source) == TemplateError(file: "page.html", line: 1, column: column, message: message))
    }

    @Test func spaceInsideName() {
        #expect(parseError("{{first name}}") == TemplateError(
            file: "page.html", line: 1, column: 1,
            message: "tag {{first name}} has a space in its name 'first name'; names cannot contain spaces"))
    }

    @Test func emptyPartOfDottedName() {
        #expect(parseError("{{customer..name}}") == TemplateError(
            file: "page.html", line: 1, column: 1,
            message: "tag {{customer..name}} has an empty part in its dotted name 'customer..name'"))
    }

    @Test(arguments: ["{{=<%=}}", "{{= =}}", "{{=<% %> [[=}}"])
    func badDelimiters(source: String) {
        #expect(parseError(source) == TemplateError(
            file: "page.html", line: 1, column: 1,
            message: "set-delimiter tag \(source) needs two delimiters separated by a space, like {{=<% %>=}}"))
    }

    @Test func closingTagWithoutSection() {
        #expect(parseError("text\n{{/items}}") == TemplateError(
            file: "page.html", line: 2, column: 1,
            message: "closing tag {{/items}} has no section to close"))
    }

    @Test func errorsAfterDelimiterChangeUseTheNewDelimiters() {
        #expect(parseError("{{=<% %>=}}\n<%#a%>\n") == TemplateError(
            file: "page.html", line: 2, column: 1,
            message: "section <%#a%> is never closed with <%/a%>"))
    }

    @Test func inheritanceTagsAreRejected() {
        #expect(parseError("{{<layout}}{{/layout}}")?.message
            == "template inheritance ({{<parent}}, {{$block}}) is not supported; use partials ({{>name}}) instead")
    }

    @Test func missingPartialNamesThePartialAndWhereItIsUsed() throws {
        let page = try Template(source: "<body>\n  {{> footer}}\n</body>\n", name: "site-templates/page.html")
        #expect(throws: TemplateError(
            file: "site-templates/page.html", line: 2, column: 3,
            message: "partial 'footer' is not in the template library")) {
            try page.render([:], library: TemplateLibrary([page]), escaping: .html)
        }
    }

    @Test func missingPartialInsideAPartialReportsThatPartialsFile() throws {
        var library = TemplateLibrary()
        library["page"] = try Template(source: "{{>layout}}", name: "site-templates/page.html")
        library["layout"] = try Template(source: "<main>\n<nav>{{>nav}}</nav>\n</main>", name: "site-templates/layout.html")
        let error = #expect(throws: TemplateError.self) {
            try library.render("page", [:], escaping: .html)
        }
        #expect(error?.description == "site-templates/layout.html:2:6: partial 'nav' is not in the template library")
    }

    @Test func partialThatIncludesItselfStopsWithAnError() throws {
        let loop = try Template(source: "x{{>loop}}", name: "loop")
        #expect(throws: TemplateError(
            file: "loop", line: 1, column: 2,
            message: "partials are nested more than 100 deep at 'loop'; does it include itself outside a section that ends?")) {
            try loop.render([:], library: TemplateLibrary([loop]), escaping: .html)
        }
    }

    @Test func listWrittenAsTextIsAnError() throws {
        let template = try Template(source: "<p>\n {{items}}</p>", name: "list.html")
        #expect(throws: TemplateError(
            file: "list.html", line: 2, column: 2,
            message: "'items' is a list and cannot be written as text; go through it with a section, {{#items}}…{{/items}}")) {
            try template.render(["items": ["a", "b"]], escaping: .html)
        }
    }

    @Test func objectWrittenAsTextIsAnError() throws {
        let template = try Template(source: "{{customer}}", name: "mail.txt")
        let error = #expect(throws: TemplateError.self) {
            try template.render(["customer": ["name": "山田"]], escaping: .none)
        }
        #expect(error?.message == "'customer' is an object and cannot be written as text; write one of its fields, like {{customer.name}}")
    }

    @Test func unknownTemplateInLibrary() {
        let error = #expect(throws: TemplateError.self) {
            try TemplateLibrary().render("receipt.html", [:], escaping: .html)
        }
        #expect(error == TemplateError(file: "receipt.html", line: 0, column: 0, message: "no template named 'receipt.html' in the template library"))
        #expect(error?.description == "receipt.html: no template named 'receipt.html' in the template library")
    }
}
