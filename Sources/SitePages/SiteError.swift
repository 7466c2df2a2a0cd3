/// A problem with the site a shop owner can fix: a template, a content file, the settings, or the
/// published state in `var/`. `file` is relative to the shop folder where there is one.
public struct SiteError: Error, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line, or 0 when the problem concerns the whole file.
    public var line: Int
    /// 1-based column, or 0 when unknown.
    public var column: Int
    public var message: String

    public init(file: String, line: Int = 0, column: Int = 0, message: String) {
        self.file = file; self.line = line; self.column = column; self.message = message
    }

    /// `file:line:column: message`, the form editors and terminals turn into a link.
    public var description: String {
        switch (line, column) {
        case (0, _): "\(file): \(message)"
        case (_, 0): "\(file):\(line): \(message)"
        default: "\(file):\(line):\(column): \(message)"
        }
    }
}
