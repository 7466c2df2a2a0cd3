/// Named, parsed templates: the pages and messages to render and the partials they include.
///
/// A partial tag `{{> name}}` finds its template here under `name`, whatever file the template
/// came from; errors inside it still report that template's own `Template.name`.
public struct TemplateLibrary: Sendable {
    private var templates: [String: Template] = [:]

    public init() {}

    /// A library holding each template under its `name`; a later duplicate name wins.
    public init(_ templates: [Template]) {
        for template in templates {
            add(template)
        }
    }

    /// Adds `template` under its `name`, replacing any template already there.
    public mutating func add(_ template: Template) {
        templates[template.name] = template
    }

    /// The template stored under `name`. Setting stores it under `name` even when that differs
    /// from the template's own name, e.g. a partial called `header` parsed from
    /// `site-templates/header.mustache`.
    public subscript(name: String) -> Template? {
        get { templates[name] }
        set { templates[name] = newValue }
    }

    /// The names templates are stored under, sorted.
    public var names: [String] {
        templates.keys.sorted()
    }

    /// Renders the template stored under `name` with this library's partials.
    ///
    /// - Parameters:
    ///   - name: The template to render.
    ///   - context: The view model.
    ///   - escaping: `.html` for pages, `.none` for email and SMS text.
    /// - Returns: The rendered text.
    /// - Throws: `TemplateError` naming `name` when there is no such template, or any render error
    ///   from `Template.render(_:library:escaping:)`.
    public func render(_ name: String, _ context: MustacheValue, escaping: Escaping) throws(TemplateError) -> String {
        guard let template = templates[name] else {
            throw TemplateError(file: name, line: 0, column: 0, message: "no template named '\(name)' in the template library")
        }
        return try template.render(context, library: self, escaping: escaping)
    }
}
