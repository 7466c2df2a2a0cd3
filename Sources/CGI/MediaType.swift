/// A parsed media type such as `multipart/form-data; boundary="x"` (RFC 9110 §8.3.1).
public struct MediaType: Equatable, Sendable {
    /// The top-level type, lowercased (`multipart`).
    public let type: String
    /// The subtype, lowercased (`form-data`).
    public let subtype: String
    /// Parameters by lowercased name; values are unquoted and keep their case (a boundary is
    /// case-sensitive).
    public let parameters: [String: String]

    /// `type/subtype`, for comparisons that ignore parameters.
    public var essence: String { "\(type)/\(subtype)" }

    public init(type: String, subtype: String, parameters: [String: String] = [:]) {
        self.type = asciiLowercased(type)
        self.subtype = asciiLowercased(subtype)
        var lowered: [String: String] = [:]
        for (name, value) in parameters { lowered[asciiLowercased(name)] = value }
        self.parameters = lowered
    }

    /// The value of a parameter, by case-insensitive name.
    public func parameter(_ name: String) -> String? {
        parameters[asciiLowercased(name)]
    }

    /// Parses a header value.
    ///
    /// - Parameter field: the header or variable the text came from, named in error messages.
    /// - Throws: `CGIError.malformed` naming `field` and the byte offset of the fault. A parameter
    ///   given twice is refused, because two readers could pick different ones.
    public init(parsing text: String, field: String = "Content-Type") throws {
        let bytes = Array(text.utf8)
        var index = 0

        func fail(_ problem: String) -> CGIError {
            .malformed("\(field) \"\(text)\": \(problem) at byte \(index)")
        }
        func skipWhitespace() {
            while index < bytes.count, bytes[index] == ASCII.space || bytes[index] == ASCII.tab { index += 1 }
        }
        func token() -> String? {
            let start = index
            while index < bytes.count, ASCII.isTokenCharacter(bytes[index]) { index += 1 }
            return index > start ? String(decoding: bytes[start..<index], as: UTF8.self) : nil
        }

        skipWhitespace()
        guard let type = token() else { throw fail("expected a type") }
        guard index < bytes.count, bytes[index] == ASCII.slash else { throw fail("expected \"/\"") }
        index += 1
        guard let subtype = token() else { throw fail("expected a subtype") }

        var parameters: [String: String] = [:]
        while true {
            skipWhitespace()
            guard index < bytes.count else { break }
            guard bytes[index] == ASCII.semicolon else { throw fail("expected \";\"") }
            index += 1
            skipWhitespace()
            // RFC 9110 allows empty parameters (`text/plain;;charset=utf-8`, a trailing `;`).
            if index == bytes.count || bytes[index] == ASCII.semicolon { continue }
            guard let rawName = token() else { throw fail("expected a parameter name") }
            guard index < bytes.count, bytes[index] == ASCII.equals else { throw fail("expected \"=\"") }
            index += 1
            let value: String
            if index < bytes.count, bytes[index] == ASCII.quote {
                index += 1
                var unquoted: [UInt8] = []
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    index += 1
                    if byte == ASCII.quote { closed = true; break }
                    if byte == ASCII.backslash {
                        guard index < bytes.count else { break }
                        unquoted.append(bytes[index])
                        index += 1
                    } else {
                        unquoted.append(byte)
                    }
                }
                guard closed else { throw fail("unterminated quoted string") }
                value = String(decoding: unquoted, as: UTF8.self)
            } else {
                guard let bare = token() else { throw fail("expected a parameter value") }
                value = bare
            }
            let name = asciiLowercased(rawName)
            guard parameters[name] == nil else { throw fail("parameter \"\(name)\" given twice") }
            parameters[name] = value
        }
        self.init(type: type, subtype: subtype, parameters: parameters)
    }
}

private extension String {
    /// Escapes for a quoted string, so `description` parses back to the same value.
    func quotedStringEscaped() -> String {
        var escaped = ""
        for character in self {
            if character == "\\" || character == "\"" { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }
}

extension MediaType: CustomStringConvertible {
    public var description: String {
        var text = essence
        for name in parameters.keys.sorted() {
            let value = parameters[name]!.quotedStringEscaped()
            text += "; \(name)=\"\(value)\""
        }
        return text
    }
}
