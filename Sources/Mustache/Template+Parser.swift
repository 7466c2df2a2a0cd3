/// Turns template source into `Template.Node`s in one pass over its UTF-8 bytes.
struct TemplateParser {
    private typealias Node = Template.Node
    private typealias Path = Template.Path
    private typealias Location = Template.Location

    private enum TagKind {
        case value(escaped: Bool)
        case section(inverted: Bool)
        case sectionEnd
        case comment
        case partial
        case delimiters

        /// Tags that produce no text of their own take their whole line with them when alone on it.
        var canStandAlone: Bool {
            switch self {
            case .value: return false
            case .section, .sectionEnd, .comment, .partial, .delimiters: return true
            }
        }
    }

    private struct Tag {
        let kind: TagKind
        /// Between the sigil and the closing delimiter, trimmed: offsets into the source, made into
        /// a string only where a name is wanted.
        let content: Range<Int>
        /// Offset of the opening delimiter.
        let start: Int
        /// Offset just past the closing delimiter.
        let end: Int
    }

    private struct OpenSection {
        let path: Path
        let inverted: Bool
        /// Where the opening tag is in the source, to quote it in messages.
        let tagRange: Range<Int>
        let location: Location
        /// The nodes of the enclosing level, set aside while the section's body collects.
        var enclosingNodes: [Node]
    }

    private let bytes: [UInt8]
    private let file: String
    private var openDelimiter: [UInt8] = Array("{{".utf8)
    private var closeDelimiter: [UInt8] = Array("}}".utf8)

    // Tags are located in source order, so one forward-moving cursor gives every tag its line and
    // column in linear total time, even in minified templates with thousands of tags on one line.
    private var cursorOffset = 0
    private var cursorLine = 1
    private var cursorColumn = 1

    init(source: String, file: String) {
        self.bytes = Array(source.utf8)
        self.file = file
    }

    mutating func parse() throws(TemplateError) -> [Template.Node] {
        var nodes: [Node] = []
        var openSections: [OpenSection] = []
        var textStart = 0
        var position = 0

        while let tagStart = find(openDelimiter, from: position) {
            let location = locate(tagStart)
            let tag = try readTag(at: tagStart, location: location)

            var textEnd = tagStart
            var next = tag.end
            var indentation: [UInt8]?
            if tag.kind.canStandAlone, let line = standaloneLine(tagStart: tagStart, tagEnd: tag.end, textStart: textStart) {
                textEnd = line.start
                next = line.end
                indentation = Array(bytes[line.start..<tagStart])
            }
            if textEnd > textStart {
                nodes.append(.text(Array(bytes[textStart..<textEnd])))
            }

            switch tag.kind {
            case .value(let escaped):
                nodes.append(.value(try path(tag, at: location), escaped: escaped, at: location))
            case .section(let inverted):
                openSections.append(OpenSection(
                    path: try path(tag, at: location), inverted: inverted, tagRange: tag.start..<tag.end,
                    location: location, enclosingNodes: nodes))
                nodes = []
            case .sectionEnd:
                let name = try name(tag, at: location)
                guard var open = openSections.popLast() else {
                    throw error(at: location, "closing tag \(quote(tag)) has no section to close")
                }
                guard open.path.name == name else {
                    throw error(at: location, "closing tag \(quote(tag)) does not match \(String(decoding: bytes[open.tagRange], as: UTF8.self)) opened at line \(open.location.line), column \(open.location.column)")
                }
                // Swapped out rather than copied: appending to a second reference would copy the
                // whole level, making templates with many sections quadratic to parse.
                var enclosing: [Node] = []
                swap(&enclosing, &open.enclosingNodes)
                enclosing.append(.section(open.path, body: nodes, inverted: open.inverted))
                nodes = enclosing
            case .comment:
                break
            case .partial:
                nodes.append(.partial(name: try name(tag, at: location), indentation: indentation, at: location))
            case .delimiters:
                try setDelimiters(tag, at: location)
            }

            position = next
            textStart = next
        }

        if textStart < bytes.count {
            nodes.append(.text(Array(bytes[textStart...])))
        }
        if let unclosed = openSections.last {
            throw error(at: unclosed.location, "section \(String(decoding: bytes[unclosed.tagRange], as: UTF8.self)) is never closed with \(String(decoding: openDelimiter, as: UTF8.self))/\(unclosed.path.name)\(String(decoding: closeDelimiter, as: UTF8.self))")
        }
        return nodes
    }

    // MARK: - Tags

    private mutating func readTag(at tagStart: Int, location: Location) throws(TemplateError) -> Tag {
        var sigilOffset = tagStart + openDelimiter.count
        while sigilOffset < bytes.count, Self.isWhitespace(bytes[sigilOffset]) {
            sigilOffset += 1
        }
        let sigil = sigilOffset < bytes.count ? bytes[sigilOffset] : 0

        let kind: TagKind
        var terminator = closeDelimiter
        var contentStart = sigilOffset + 1
        switch sigil {
        case UInt8(ascii: "!"): kind = .comment
        case UInt8(ascii: "#"): kind = .section(inverted: false)
        case UInt8(ascii: "^"): kind = .section(inverted: true)
        case UInt8(ascii: "/"): kind = .sectionEnd
        case UInt8(ascii: ">"): kind = .partial
        case UInt8(ascii: "&"): kind = .value(escaped: false)
        case UInt8(ascii: "{"):
            kind = .value(escaped: false)
            terminator = [UInt8(ascii: "}")] + closeDelimiter
        case UInt8(ascii: "="):
            kind = .delimiters
            terminator = [UInt8(ascii: "=")] + closeDelimiter
        case UInt8(ascii: "<"), UInt8(ascii: "$"):
            throw error(at: location, "template inheritance ({{<parent}}, {{$block}}) is not supported; use partials ({{>name}}) instead")
        default:
            kind = .value(escaped: true)
            contentStart = sigilOffset
        }

        let contentEnd = find(terminator, from: contentStart)
        // An unclosed tag usually runs into the next tag's closing delimiter; report it where it
        // starts rather than as one long tag with a strange name.
        let runsIntoNextTag: Bool
        switch kind {
        case .comment, .delimiters:
            runsIntoNextTag = false
        default:
            runsIntoNextTag = find(openDelimiter, from: contentStart, before: contentEnd ?? bytes.count) != nil
        }
        guard let contentEnd, !runsIntoNextTag else {
            let lineEnd = bytes[tagStart...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let opening = String(decoding: bytes[tagStart..<lineEnd], as: UTF8.self).prefix(30)
            throw error(at: location, "tag starting '\(opening)' is never closed with '\(String(decoding: terminator, as: UTF8.self))'")
        }
        let end = contentEnd + terminator.count
        return Tag(
            kind: kind,
            content: trimmed(contentStart..<contentEnd),
            start: tagStart,
            end: end)
    }

    /// The tag's name, which must be non-empty and free of whitespace.
    private func name(_ tag: Tag, at location: Location) throws(TemplateError) -> String {
        if tag.content.isEmpty {
            throw error(at: location, "tag \(quote(tag)) has no name")
        }
        if bytes[tag.content].contains(where: Self.isWhitespace) {
            throw error(at: location, "tag \(quote(tag)) has a space in its name '\(text(tag.content))'; names cannot contain spaces")
        }
        return text(tag.content)
    }

    private func path(_ tag: Tag, at location: Location) throws(TemplateError) -> Path {
        let name = try name(tag, at: location)
        if name == "." {
            return Path(name: name, parts: [], anchored: false)
        }
        // Split at each "." by hand, over the source's bytes: the generic `split` cost 5 K
        // instructions a tag and walking `String` indexes 2.5 K, and a handler parses the message
        // templates (`{{case.code}}`, `{{shop.name}}` …) on every application post. A name
        // without a dot is its own one part.
        var parts: [String] = []
        parts.reserveCapacity(1 + bytes[tag.content].reduce(0) { $1 == UInt8(ascii: ".") ? $0 + 1 : $0 })
        var start = tag.content.lowerBound
        for index in tag.content where bytes[index] == UInt8(ascii: ".") {
            parts.append(text(start..<index))
            start = index + 1
        }
        parts.append(start == tag.content.lowerBound ? name : text(start..<tag.content.upperBound))
        let anchored = parts.count > 1 && parts[0].isEmpty
        if anchored {
            parts.removeFirst()
        }
        if parts.contains(where: \.isEmpty) {
            throw error(at: location, "tag \(quote(tag)) has an empty part in its dotted name '\(name)'")
        }
        return Path(name: name, parts: parts, anchored: anchored)
    }

    private mutating func setDelimiters(_ tag: Tag, at location: Location) throws(TemplateError) {
        let delimiters = bytes[tag.content].split(whereSeparator: Self.isWhitespace)
        guard delimiters.count == 2 else {
            throw error(at: location, "set-delimiter tag \(quote(tag)) needs two delimiters separated by a space, like {{=<% %>=}}")
        }
        openDelimiter = Array(delimiters[0])
        closeDelimiter = Array(delimiters[1])
    }

    /// The tag as written. Decoded only for messages, so parsing does no per-tag string work.
    private func quote(_ tag: Tag) -> String {
        String(decoding: bytes[tag.start..<tag.end], as: UTF8.self)
    }

    // MARK: - Standalone lines

    /// The line around a tag, newline included, when nothing but spaces and tabs share it.
    private func standaloneLine(tagStart: Int, tagEnd: Int, textStart: Int) -> (start: Int, end: Int)? {
        var start = tagStart
        while start > textStart, Self.isInlineSpace(bytes[start - 1]) {
            start -= 1
        }
        // Reaching textStart without a newline means another tag ends on this line: not standalone,
        // unless that tag was itself standalone and took the previous line's newline with it.
        guard start == 0 || bytes[start - 1] == UInt8(ascii: "\n") else { return nil }

        var end = tagEnd
        while end < bytes.count, Self.isInlineSpace(bytes[end]) {
            end += 1
        }
        if end == bytes.count {
            return (start, end)
        }
        if bytes[end] == UInt8(ascii: "\n") {
            return (start, end + 1)
        }
        if bytes[end] == UInt8(ascii: "\r"), end + 1 < bytes.count, bytes[end + 1] == UInt8(ascii: "\n") {
            return (start, end + 2)
        }
        return nil
    }

    // MARK: - Scanning

    /// The first offset of `needle` that starts at or after `start` and ends by `end`.
    private func find(_ needle: [UInt8], from start: Int, before end: Int? = nil) -> Int? {
        let end = end ?? bytes.count
        guard let first = needle.first, start + needle.count <= end else { return nil }
        let last = end - needle.count
        // Through a buffer pointer: this runs over every byte of the template, and indexing the
        // array checked the bounds at each one.
        return bytes.withUnsafeBufferPointer { buffer in
            var index = start
            while index <= last {
                if buffer[index] == first {
                    var matched = 1
                    while matched < needle.count, buffer[index + matched] == needle[matched] {
                        matched += 1
                    }
                    if matched == needle.count {
                        return index
                    }
                }
                index += 1
            }
            return nil
        }
    }

    private mutating func locate(_ offset: Int) -> Location {
        while cursorOffset < offset {
            let byte = bytes[cursorOffset]
            if byte == UInt8(ascii: "\n") {
                cursorLine += 1
                cursorColumn = 1
            } else if byte & 0xC0 != 0x80 {
                cursorColumn += 1
            }
            cursorOffset += 1
        }
        return Location(line: cursorLine, column: cursorColumn)
    }

    private func error(at location: Location, _ message: String) -> TemplateError {
        TemplateError(file: file, line: location.line, column: location.column, message: message)
    }

    private static func isInlineSpace(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")
    }

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        isInlineSpace(byte) || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// `range` without the whitespace at either end.
    private func trimmed(_ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound, upper = range.upperBound
        while lower < upper, Self.isWhitespace(bytes[lower]) { lower += 1 }
        while upper > lower, Self.isWhitespace(bytes[upper - 1]) { upper -= 1 }
        return lower..<upper
    }

    private func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}
