extension Template {
    /// The parsed form of a template: text to copy and tags to evaluate.
    enum Node: Sendable {
        /// Template text, already without the lines standalone tags removed.
        case text([UInt8])
        case value(Path, escaped: Bool, at: Location)
        case section(Path, body: [Node], inverted: Bool)
        /// `indentation` is nil for a partial tag inside a line: only a standalone partial
        /// indents the partial's lines, by the whitespace that preceded the tag.
        case partial(name: String, indentation: [UInt8]?, at: Location)
    }

    /// A tag's name, split once at parse time so rendering does no string work.
    struct Path: Sendable {
        /// The name as written, for messages.
        let name: String
        /// Empty for `.`, the implicit iterator.
        let parts: [String]
        /// A leading dot (`.name`) resolves in the top context only instead of walking the stack.
        let anchored: Bool
    }

    struct Location: Sendable, Equatable {
        let line: Int
        let column: Int
    }
}
