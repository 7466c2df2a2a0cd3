extension Template {
    /// Renders the template with `context` at the bottom of the context stack.
    ///
    /// - Parameters:
    ///   - context: The view model; usually an `.object`.
    ///   - library: Where `{{> name}}` partials are looked up.
    ///   - escaping: `.html` for pages, `.none` for email and SMS text.
    /// - Returns: The rendered text.
    /// - Throws: `TemplateError` at the tag that failed: a partial missing from `library`, partials
    ///   nested too deep (a partial that includes itself unconditionally), or a list or object
    ///   written with `{{name}}`.
    public func render(
        _ context: MustacheValue, library: TemplateLibrary = TemplateLibrary(), escaping: Escaping
    ) throws(TemplateError) -> String {
        var renderer = TemplateRenderer(context: context, library: library, escaping: escaping)
        try renderer.render(self)
        return renderer.result
    }
}

/// One render: the context stack and a single output buffer every node appends to.
struct TemplateRenderer {
    /// Deep enough for recursive partials over real data (category trees, threaded notes), shallow
    /// enough to stop a partial that includes itself long before the stack runs out.
    static let maximumPartialDepth = 100

    private typealias Node = Template.Node

    private let library: TemplateLibrary
    private let escaping: Escaping
    private var contextStack: [MustacheValue]
    private var output: [UInt8] = []
    /// What a standalone partial prefixes to each of its lines (nested standalone partials add up).
    private var indentation: [UInt8] = []
    /// Whether the next template text starts a line, and so gets `indentation` first. Tracked only
    /// while `indentation` is non-empty; interpolated values never start lines of their own.
    private var atLineStart = true
    private var partialDepth = 0

    init(context: MustacheValue, library: TemplateLibrary, escaping: Escaping) {
        self.library = library
        self.escaping = escaping
        self.contextStack = [context]
        output.reserveCapacity(4096)
    }

    var result: String {
        String(decoding: output, as: UTF8.self)
    }

    mutating func render(_ template: Template) throws(TemplateError) {
        try render(template.nodes, file: template.name)
    }

    private mutating func render(_ nodes: [Node], file: String) throws(TemplateError) {
        for node in nodes {
            switch node {
            case .text(let text):
                writeTemplateText(text)
            case .value(let path, let escaped, let location):
                try write(resolve(path), of: path, escaped: escaped, file: file, at: location)
            case .section(let path, let body, let inverted):
                let value = resolve(path)
                if inverted {
                    if !value.isTruthy {
                        try render(body, file: file)
                    }
                } else if case .list(let items) = value {
                    for item in items {
                        contextStack.append(item)
                        try render(body, file: file)
                        contextStack.removeLast()
                    }
                } else if value.isTruthy {
                    contextStack.append(value)
                    try render(body, file: file)
                    contextStack.removeLast()
                }
            case .partial(let name, let partialIndentation, let location):
                try renderPartial(name, indentation: partialIndentation, file: file, at: location)
            }
        }
    }

    private mutating func renderPartial(
        _ name: String, indentation partialIndentation: [UInt8]?, file: String, at location: Template.Location
    ) throws(TemplateError) {
        guard let partial = library[name] else {
            throw TemplateError(
                file: file, line: location.line, column: location.column,
                message: "partial '\(name)' is not in the template library")
        }
        guard partialDepth < Self.maximumPartialDepth else {
            throw TemplateError(
                file: file, line: location.line, column: location.column,
                message: "partials are nested more than \(Self.maximumPartialDepth) deep at '\(name)'; does it include itself outside a section that ends?")
        }
        let enclosingIndentation = indentation
        if let partialIndentation {
            indentation = enclosingIndentation + partialIndentation
            atLineStart = true
        }
        partialDepth += 1
        try render(partial.nodes, file: partial.name)
        partialDepth -= 1
        indentation = enclosingIndentation
    }

    // MARK: - Context

    /// The spec's lookup: the first part walks the stack from the top, later parts resolve strictly
    /// inside the previous result. Anything missing is `.null`.
    private func resolve(_ path: Template.Path) -> MustacheValue {
        guard let top = contextStack.last else { return .null }
        guard let first = path.parts.first else { return top }
        var value: MustacheValue
        if path.anchored {
            guard let found = top[first] else { return .null }
            value = found
        } else {
            guard let found = lookUp(first) else { return .null }
            value = found
        }
        for part in path.parts.dropFirst() {
            guard let found = value[part] else { return .null }
            value = found
        }
        return value
    }

    private func lookUp(_ key: String) -> MustacheValue? {
        for context in contextStack.reversed() {
            if case .object(let fields) = context, let value = fields[key] {
                return value
            }
        }
        return nil
    }

    // MARK: - Output

    private mutating func writeTemplateText(_ text: [UInt8]) {
        guard !indentation.isEmpty else {
            output.append(contentsOf: text)
            return
        }
        var lineStart = 0
        while lineStart < text.count {
            if atLineStart {
                output.append(contentsOf: indentation)
            }
            let lineEnd = text[lineStart...].firstIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? text.count
            output.append(contentsOf: text[lineStart..<lineEnd])
            atLineStart = text[lineEnd - 1] == UInt8(ascii: "\n")
            lineStart = lineEnd
        }
    }

    private mutating func write(
        _ value: MustacheValue, of path: Template.Path, escaped: Bool, file: String, at location: Template.Location
    ) throws(TemplateError) {
        let text: String
        switch value {
        case .string(let string): text = string
        case .int(let int): text = String(int)
        case .bool(let bool): text = bool ? "true" : "false"
        case .null: return
        case .list:
            throw TemplateError(
                file: file, line: location.line, column: location.column,
                message: "'\(path.name)' is a list and cannot be written as text; go through it with a section, {{#\(path.name)}}…{{/\(path.name)}}")
        case .object:
            throw TemplateError(
                file: file, line: location.line, column: location.column,
                message: "'\(path.name)' is an object and cannot be written as text; write one of its fields, like {{\(path.name == "." ? "" : path.name + ".")name}}")
        }
        guard !text.isEmpty else { return }
        if atLineStart, !indentation.isEmpty {
            output.append(contentsOf: indentation)
        }
        atLineStart = false
        if escaped, escaping == .html {
            MustacheValue.appendHTMLEscaped(text, to: &output)
        } else {
            output.append(contentsOf: text.utf8)
        }
    }
}
