import Mustache
import Testing

/// specs/partials.yml, except "Failed Lookup": the spec renders a missing partial as nothing, but
/// here it is an error so that a mistyped partial name in a shop's template is caught
/// (see `TemplateErrorTests.missingPartial`).
struct PartialsSpecTests {
    static let cases: [SpecCase] = [
        SpecCase("Basic Behavior", data: [:],
                 template: "\"{{>text}}\"", partials: ["text": "from partial"],
                 expected: "\"from partial\""),
        SpecCase("Context", data: ["text": "content"],
                 template: "\"{{>partial}}\"", partials: ["partial": "*{{text}}*"],
                 expected: "\"*content*\""),
        SpecCase("Recursion", data: ["content": "X", "nodes": [["content": "Y", "nodes": []]]],
                 template: "{{>node}}", partials: ["node": "{{content}}<{{#nodes}}{{>node}}{{/nodes}}>"],
                 expected: "X<Y<>>"),
        SpecCase("Nested", data: ["a": "hello", "b": "world"],
                 template: "{{>outer}}", partials: ["outer": "*{{a}} {{>inner}}*", "inner": "{{b}}!"],
                 expected: "*hello world!*"),
        SpecCase("Surrounding Whitespace", data: [:],
                 template: "| {{>partial}} |", partials: ["partial": "\t|\t"],
                 expected: "| \t|\t |"),
        SpecCase("Inline Indentation", data: ["data": "|"],
                 template: "  {{data}}  {{> partial}}\n", partials: ["partial": ">\n>"],
                 expected: "  |  >\n>\n"),
        SpecCase("Standalone Line Endings", data: [:],
                 template: "|\r\n{{>partial}}\r\n|", partials: ["partial": ">"],
                 expected: "|\r\n>|"),
        SpecCase("Standalone Without Previous Line", data: [:],
                 template: "  {{>partial}}\n>", partials: ["partial": ">\n>"],
                 expected: "  >\n  >>"),
        SpecCase("Standalone Without Newline", data: [:],
                 template: ">\n  {{>partial}}", partials: ["partial": ">\n>"],
                 expected: ">\n  >\n  >"),
        SpecCase("Standalone Indentation", data: ["content": "<\n->"],
                 template: "\\\n {{>partial}}\n/\n",
                 partials: ["partial": "|\n{{{content}}}a b{{{content}}}c\n|\n"],
                 expected: "\\\n |\n <\n->a b<\n->c\n |\n/\n"),
        SpecCase("Padding Whitespace", data: ["boolean": true],
                 template: "|{{> partial }}|", partials: ["partial": "[]"],
                 expected: "|[]|"),
    ]

    @Test(arguments: cases)
    func partials(_ spec: SpecCase) throws {
        #expect(try spec.render() == spec.expected)
    }
}

struct PartialNamesTests {
    @Test("a template lists the partials it includes itself, inside sections too, not theirs")
    func names() throws {
        let template = try Template(source: "{{> header}}{{#items}}{{>row}}{{/items}}{{^none}}{{> empty }}{{/none}}{{> header}}",
                                    name: "page")
        #expect(template.partialNames == ["header", "row", "empty"])
        #expect(try Template(source: "{{#a}}{{b}}{{/a}}", name: "plain").partialNames.isEmpty)
    }
}
