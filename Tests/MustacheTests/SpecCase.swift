import Mustache
import Testing

/// One case from the official Mustache spec (github.com/mustache/spec), kept with its spec name
/// and expected output so a failure can be looked up there.
struct SpecCase: Sendable, CustomTestStringConvertible {
    let name: String
    let data: MustacheValue
    let template: String
    let partials: [String: String]
    let expected: String

    init(_ name: String, data: MustacheValue, template: String, partials: [String: String] = [:], expected: String) {
        self.name = name
        self.data = data
        self.template = template
        self.partials = partials
        self.expected = expected
    }

    var testDescription: String { name }

    /// Renders as the spec does: HTML escaping, partials by name.
    func render() throws -> String {
        var library = TemplateLibrary()
        for (partialName, source) in partials {
            library[partialName] = try Template(source: source, name: partialName)
        }
        return try Template(source: template, name: name).render(data, library: library, escaping: .html)
    }
}
