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
