import Mustache
import Testing

struct RenderingTests {
    @Test func htmlEscapingEscapesDoubleMustachesOnly() throws {
        let template = try Template(source: "{{a}}|{{{a}}}|{{& a}}", name: "t")
        let context: MustacheValue = ["a": "<b>\"Tom\" & 'Jerry'</b>"]
        #expect(try template.render(context, escaping: .html)
            == "&lt;b&gt;&quot;Tom&quot; &amp; &#39;Jerry&#39;&lt;/b&gt;|<b>\"Tom\" & 'Jerry'</b>|<b>\"Tom\" & 'Jerry'</b>")
        #expect(try template.render(context, escaping: .none)
            == "<b>\"Tom\" & 'Jerry'</b>|<b>\"Tom\" & 'Jerry'</b>|<b>\"Tom\" & 'Jerry'</b>")
    }

    @Test func partialsRenderWithTheCallersEscaping() throws {
        var library = TemplateLibrary()
        library["signature"] = try Template(source: "{{shop}}", name: "signature.txt")
        library["sms"] = try Template(source: "{{name}}様 査定額は{{amount}}円です。{{>signature}}", name: "sms.txt")
        let context: MustacheValue = ["name": "山田 & 田中", "amount": 12800, "shop": "<リユース堂>"]
        #expect(try library.render("sms", context, escaping: .none) == "山田 & 田中様 査定額は12800円です。<リユース堂>")
        #expect(try library.render("sms", context, escaping: .html)
            == "山田 &amp; 田中様 査定額は12800円です。&lt;リユース堂&gt;")
    }

    @Test(arguments: [
        ("", ""),
        ("買取のご案内", "買取のご案内"),
        ("a&b<c>d\"e'f", "a&amp;b&lt;c&gt;d&quot;e&#39;f"),
        ("&&", "&amp;&amp;"),
        ("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
    ])
    func htmlEscapedHelper(input: String, expected: String) {
        #expect(MustacheValue.htmlEscaped(input) == expected)
    }

    @Test func scalarsRenderAsText() throws {
        let template = try Template(source: "{{n}} {{zero}} {{yes}} {{no}} {{nothing}}.", name: "t")
        let context: MustacheValue = ["n": -42, "zero": 0, "yes": true, "no": false, "nothing": nil]
        #expect(try template.render(context, escaping: .html) == "-42 0 true false .")
    }

    @Test(arguments: [
        (MustacheValue.bool(false), false), (.null, false), (.list([]), false), (.string(""), false),
        (.bool(true), true), (.int(0), true), (.string("0"), true), (.list([.null]), true), (.object([:]), true),
    ])
    func truthiness(value: MustacheValue, truthy: Bool) throws {
        #expect(value.isTruthy == truthy)
        let template = try Template(source: "{{#v}}yes{{/v}}{{^v}}no{{/v}}", name: "t")
        #expect(try template.render(["v": value], escaping: .html) == (truthy ? "yes" : "no"))
    }

    @Test func literalsBuildTheSameValuesAsCases() {
        let count = 3
        let literal: MustacheValue = ["name": "佐藤", "items": [1, true, nil, "x\(count)"], "empty": [:]]
        #expect(literal == .object([
            "name": .string("佐藤"),
            "items": .list([.int(1), .bool(true), .null, .string("x3")]),
            "empty": .object([:]),
        ]))
        #expect(literal["name"] == "佐藤")
        #expect(literal["missing"] == nil)
        #expect(MustacheValue.string("not an object")["name"] == nil)
    }

    @Test func truthyScalarIsPushedForItsSection() throws {
        let template = try Template(source: "{{#tracking}}追跡番号: {{.}}{{/tracking}}", name: "t")
        #expect(try template.render(["tracking": "1234-5678"], escaping: .none) == "追跡番号: 1234-5678")
        #expect(try template.render(["tracking": ""], escaping: .none) == "")
    }

    @Test func nestedStandalonePartialsAddUpTheirIndentation() throws {
        var library = TemplateLibrary()
        library["page"] = try Template(source: "<div>\n  {{> list}}\n</div>\n", name: "page")
        library["list"] = try Template(source: "<ul>\n  {{#items}}\n  {{> item}}\n  {{/items}}\n</ul>\n", name: "list")
        library["item"] = try Template(source: "<li>\n  {{.}}\n</li>\n", name: "item")
        let expected = """
        <div>
          <ul>
            <li>
              a
            </li>
            <li>
              b
            </li>
          </ul>
        </div>

        """
        #expect(try library.render("page", ["items": ["a", "b"]], escaping: .html) == expected)
    }

    @Test func libraryKeysCanDifferFromTemplateNames() throws {
        var library = TemplateLibrary()
        // A standalone partial tag takes its own line ending with it; the partial's file supplies one.
        library["header"] = try Template(source: "<h1>{{title}}</h1>\n", name: "site-templates/header.mustache")
        library.add(try Template(source: "{{> header}}\n<p>本文</p>", name: "page"))
        #expect(library.names == ["header", "page"])
        #expect(library["header"]?.name == "site-templates/header.mustache")
        #expect(try library.render("page", ["title": "宅配買取"], escaping: .html) == "<h1>宅配買取</h1>\n<p>本文</p>")
    }

    @Test func templateRendersRepeatedlyWithDifferentContexts() throws {
        let template = try Template(source: "{{#items}}{{.}},{{/items}}{{^items}}none{{/items}}", name: "t")
        #expect(try template.render(["items": [1, 2]], escaping: .html) == "1,2,")
        #expect(try template.render(["items": []], escaping: .html) == "none")
        #expect(try template.render(["items": ["x"]], escaping: .html) == "x,")
    }

    @Test func recursivePartialOverDeepDataWithinTheLimit() throws {
        var tree: MustacheValue = ["name": "leaf", "children": []]
        for depth in (0..<50).reversed() {
            tree = ["name": "n\(depth)", "children": [tree]]
        }
        let node = try Template(source: "({{name}}{{#children}}{{>node}}{{/children}})", name: "node")
        let output = try node.render(tree, library: TemplateLibrary([node]), escaping: .html)
        let expected = (0..<50).map { "(n\($0)" }.joined() + "(leaf)" + String(repeating: ")", count: 50)
        #expect(output == expected)
    }

    @Test func tenThousandItemList() throws {
        let items = MustacheValue.list((0..<10_000).map { ["n": .int($0), "name": "品物<\($0)>"] })
        let template = try Template(
            source: "<ul>\n{{#items}}\n  <li>{{n}}: {{name}}</li>\n{{/items}}\n</ul>\n", name: "list.html")
        let output = try template.render(["items": items], escaping: .html)

        var expected = "<ul>\n"
        for n in 0..<10_000 {
            expected += "  <li>\(n): 品物&lt;\(n)&gt;</li>\n"
        }
        expected += "</ul>\n"
        #expect(output == expected)
    }
}
