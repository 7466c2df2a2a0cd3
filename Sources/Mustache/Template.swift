/// A parsed Mustache template: parse once, render many times.
///
/// Supports variables (`{{name}}`, `{{{name}}}`, `{{& name}}`), sections, inverted sections,
/// comments, partials, dotted names, the implicit iterator `{{.}}` and set-delimiter tags, with the
/// spec's standalone-line rules. Lambdas and template inheritance are not supported.
public struct Template: Sendable {
    /// The name errors are reported against (usually the file's path) and, by default, the name
    /// partials use to find this template in a `TemplateLibrary`.
    public let name: String
    let nodes: [Node]

    /// Parses `source`.
    ///
    /// - Throws: `TemplateError` at the offending tag for an unclosed tag, an unclosed section,
    ///   a closing tag that does not match its section, an empty or malformed tag name, or bad
    ///   delimiters.
    public init(source: String, name: String) throws(TemplateError) {
        var parser = TemplateParser(source: source, file: name)
        self.name = name
        self.nodes = try parser.parse()
    }
}

extension Template {
    /// The names of the partials this template includes itself (`{{> name}}`, also inside
    /// sections), not those its partials include in turn. A library that renders this template
    /// needs these; with them a caller can parse only the templates one page uses.
    public var partialNames: Set<String> {
        var names: Set<String> = []
        Template.collectPartials(nodes, into: &names)
        return names
    }

    private static func collectPartials(_ nodes: [Node], into names: inout Set<String>) {
        for node in nodes {
            switch node {
            case .partial(let name, _, _): names.insert(name)
            case .section(_, let body, _): collectPartials(body, into: &names)
            case .text, .value: break
            }
        }
    }
}
