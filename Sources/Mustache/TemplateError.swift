/// A problem in a template, at the place a shop owner has to look to fix it.
///
/// Parse errors point at the offending tag; render errors (a missing partial, runaway partial
/// recursion, a list or object written as text) point at the tag that used it.
public struct TemplateError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The template's name, as given to `Template(source:name:)`; usually its path.
    public var file: String
    /// 1-based line of the tag, or 0 when the error concerns the whole template (it does not exist).
    public var line: Int
    /// 1-based column of the tag's first character, counted in Unicode scalars so that Japanese
    /// text before a tag counts one per character.
    public var column: Int
    public var message: String

    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: message`, the form editors and terminals turn into a link.
    public var description: String {
        line > 0 ? "\(file):\(line):\(column): \(message)" : "\(file): \(message)"
    }
}
