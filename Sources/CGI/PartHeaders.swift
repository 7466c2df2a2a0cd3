/// The headers of one multipart/form-data part (RFC 7578 §4), as far as a form needs them.
struct PartHeaders: Equatable {
    /// The `name` of `Content-Disposition: form-data`.
    var name: String
    /// The client's file name (`filename*` over `filename`), decoded but not yet sanitized;
    /// `nil` for a text field.
    var fileName: String?
    /// The `Content-Type` header, trimmed.
    var contentType: String?

    var isFile: Bool { fileName != nil }

    /// Parses a header block: the lines between the boundary line and the blank line, without
    /// the final line break.
    ///
    /// - Parameter part: the part's 1-based position, named in error messages.
    /// - Throws: `CGIError.malformed` for a broken line, a missing or repeated
    ///   `Content-Disposition`, a disposition other than `form-data` or without `name`, or a
    ///   `Content-Transfer-Encoding` that would need decoding.
    init(parsing block: [UInt8], part: Int) throws {
        var disposition: [UInt8]?
        var contentType: [UInt8]?
        var transferEncoding: [UInt8]?

        for (name, value) in try Self.headerLines(block, part: part) {
            switch name {
            case "content-disposition":
                guard disposition == nil else { throw CGIError.malformed("part \(part): Content-Disposition given twice") }
                disposition = value
            case "content-type":
                guard contentType == nil else { throw CGIError.malformed("part \(part): Content-Type given twice") }
                contentType = value
            case "content-transfer-encoding":
                transferEncoding = value
            default:
                // RFC 7578 §4.8: other headers are to be ignored.
                continue
            }
        }

        if let transferEncoding {
            let encoding = asciiLowercased(String(decoding: transferEncoding, as: UTF8.self))
            // RFC 7578 §4.7 deprecates the header; the identity encodings are harmless, the others
            // would store encoded bytes as if they were the file.
            guard ["7bit", "8bit", "binary"].contains(encoding) else {
                throw CGIError.malformed("part \(part): Content-Transfer-Encoding \"\(encoding)\" is not supported")
            }
        }

        guard let disposition else { throw CGIError.malformed("part \(part): no Content-Disposition header") }
        let parameters = try Self.dispositionParameters(disposition, part: part)
        guard let rawName = parameters["name"] else {
            throw CGIError.malformed("part \(part): Content-Disposition has no name")
        }
        guard let name = decodeUTF8(rawName) else {
            throw CGIError.malformed("part \(part): field name is not UTF-8")
        }
        self.name = name

        // The file name is only shown to staff, so unreadable bytes are replaced rather than
        // refusing an identity document over its name.
        let plainName = parameters["filename"].map { String(decoding: $0, as: UTF8.self) }
        let extendedName = try parameters["filename*"].flatMap { try Self.extendedValue($0, part: part) }
        fileName = extendedName ?? plainName
        self.contentType = contentType.map { String(decoding: $0, as: UTF8.self) }
    }

    /// Splits a header block into lowercased names and trimmed values, unfolding continuation
    /// lines.
    private static func headerLines(_ block: [UInt8], part: Int) throws -> [(String, [UInt8])] {
        var headers: [(String, [UInt8])] = []
        var lineStart = 0
        while lineStart < block.count {
            var lineEnd = lineStart
            while lineEnd < block.count, block[lineEnd] != ASCII.carriageReturn, block[lineEnd] != ASCII.lineFeed {
                lineEnd += 1
            }
            if lineEnd < block.count {
                guard block[lineEnd] == ASCII.carriageReturn, lineEnd + 1 < block.count,
                      block[lineEnd + 1] == ASCII.lineFeed
                else { throw CGIError.malformed("part \(part): bare CR or LF in the headers") }
            }
            let line = block[lineStart..<lineEnd]
            lineStart = lineEnd + 2

            if let first = line.first, first == ASCII.space || first == ASCII.tab {
                guard !headers.isEmpty else {
                    throw CGIError.malformed("part \(part): headers start with a continuation line")
                }
                headers[headers.count - 1].1 += [ASCII.space] + trimmed(line)
                continue
            }
            guard let colon = line.firstIndex(of: ASCII.colon), colon > line.startIndex,
                  line[line.startIndex..<colon].allSatisfy(ASCII.isTokenCharacter)
            else {
                throw CGIError.malformed("part \(part): header line \"\(String(decoding: line.prefix(60), as: UTF8.self))\" has no name")
            }
            let name = String(decoding: line[line.startIndex..<colon].map(ASCII.lowercased), as: UTF8.self)
            headers.append((name, trimmed(line[(colon + 1)...])))
        }
        return headers
    }

    /// The parameters of a `form-data` disposition, names lowercased, values as bytes.
    ///
    /// Quoted values end at the next `"`, with no backslash escapes: browsers (WHATWG HTML
    /// §4.10.21.8) percent-encode `"` in names and file names and send `\` as is, so reading `\`
    /// as an escape would mangle `C:\photo.jpg` and reject a name ending in `\`.
    private static func dispositionParameters(_ value: [UInt8], part: Int) throws -> [String: [UInt8]] {
        var index = 0
        func fail(_ problem: String) -> CGIError {
            .malformed("part \(part): Content-Disposition \(problem) at byte \(index)")
        }
        func skipWhitespace() {
            while index < value.count, value[index] == ASCII.space || value[index] == ASCII.tab { index += 1 }
        }
        func token() -> [UInt8] {
            let start = index
            while index < value.count, ASCII.isTokenCharacter(value[index]) { index += 1 }
            return Array(value[start..<index])
        }

        let type = token()
        guard String(decoding: type.map(ASCII.lowercased), as: UTF8.self) == "form-data" else {
            throw CGIError.malformed("part \(part): Content-Disposition is \"\(String(decoding: type, as: UTF8.self))\", not form-data")
        }
        var parameters: [String: [UInt8]] = [:]
        while true {
            skipWhitespace()
            guard index < value.count else { break }
            guard value[index] == ASCII.semicolon else { throw fail("expects \";\"") }
            index += 1
            skipWhitespace()
            if index == value.count { break }
            let name = String(decoding: token().map(ASCII.lowercased), as: UTF8.self)
            guard !name.isEmpty else { throw fail("expects a parameter name") }
            skipWhitespace()
            guard index < value.count, value[index] == ASCII.equals else { throw fail("expects \"=\"") }
            index += 1
            skipWhitespace()
            var parameter: [UInt8]
            if index < value.count, value[index] == ASCII.quote {
                index += 1
                guard let close = value[index...].firstIndex(of: ASCII.quote) else {
                    throw fail("has an unterminated quoted string")
                }
                parameter = Array(value[index..<close])
                index = close + 1
            } else {
                parameter = token()
                guard !parameter.isEmpty else { throw fail("expects a value") }
            }
            // Two readers could pick different copies of a repeated parameter; refuse the doubt.
            guard parameters[name] == nil else { throw fail("repeats \"\(name)\"") }
            parameters[name] = parameter
        }
        return parameters
    }

    /// Decodes an RFC 8187 `charset'language'value` (`filename*`).
    ///
    /// - Returns: `nil` for a charset other than UTF-8 or ISO-8859-1, which RFC 8187 says to
    ///   ignore (the plain `filename` then applies).
    private static func extendedValue(_ raw: [UInt8], part: Int) throws -> String? {
        let pieces = raw.split(separator: ASCII.apostrophe, maxSplits: 2, omittingEmptySubsequences: false)
        guard pieces.count == 3 else {
            throw CGIError.malformed("part \(part): filename* is not charset'language'value")
        }
        var decoded: [UInt8] = []
        let encoded = pieces[2]
        var index = encoded.startIndex
        while index < encoded.endIndex {
            if encoded[index] == ASCII.percent {
                guard index + 2 < encoded.endIndex,
                      let high = ASCII.hexValue(encoded[index + 1]),
                      let low = ASCII.hexValue(encoded[index + 2])
                else { throw CGIError.malformed("part \(part): filename* has an invalid percent escape") }
                decoded.append(high << 4 | low)
                index += 3
            } else {
                decoded.append(encoded[index])
                index += 1
            }
        }
        switch String(decoding: pieces[0].map(ASCII.lowercased), as: UTF8.self) {
        case "utf-8":
            return String(decoding: decoded, as: UTF8.self)
        case "iso-8859-1":
            return String(String.UnicodeScalarView(decoded.map { Unicode.Scalar($0) }))
        default:
            return nil
        }
    }

    private static func trimmed(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        var slice = bytes
        while let first = slice.first, first == ASCII.space || first == ASCII.tab { slice = slice.dropFirst() }
        while let last = slice.last, last == ASCII.space || last == ASCII.tab { slice = slice.dropLast() }
        return Array(slice)
    }
}
