/// A parsed JSON document, for the few files the handler reads on every request (`var/site.json`).
/// Foundation's `JSONDecoder` with `Codable` cost the handler more than everything else a post does
/// together (generic metadata and protocol-conformance look-ups at start-up); this parser and the
/// explicit mappings (`Settings+JSON.swift`) read the same documents that `JSONEncoder` writes.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
    /// An object left as its text by `parse(_:leavingUnparsed:)`: checked as JSON, read when asked.
    case unparsed(JSONText)

    public struct ParseError: Error, Equatable, CustomStringConvertible {
        public var offset: Int
        public var message: String
        public var description: String { "JSON at byte \(offset): \(message)" }
    }

    /// A missing or mistyped key while mapping a document to a type.
    public struct MappingError: Error, Equatable, CustomStringConvertible {
        public var path: String
        public var message: String
        public init(path: String, message: String) { self.path = path; self.message = message }
        public var description: String { "\(path): \(message)" }
    }

    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try parse(bytes, leavingUnparsed: [])
    }

    /// Parses a document but leaves the object at `path` (keys from the root, e.g. `settings`,
    /// `messages`) as `.unparsed`: its syntax is checked, no value of it is made.
    public static func parse(_ bytes: [UInt8], leavingUnparsed path: [String]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer)
            parser.document = bytes
            parser.unparsedPath = path
            let value = try parser.value(depth: 0, matched: path.isEmpty ? -1 : 0)
            parser.skipSpace()
            guard parser.index == buffer.count else { throw parser.error("unexpected data after the document") }
            return value
        }
    }
}

/// The text of one JSON object inside a document, kept unparsed (see `JSONValue.unparsed`),
/// with where each of its members' values is: found in the same pass that checked the text.
public struct JSONText: Equatable, Sendable {
    let document: [UInt8]
    let range: Range<Int>
    /// Where it is in the document, for errors (`$.settings.messages`).
    let path: String
    let memberRanges: [(key: String, range: Range<Int>)]

    public static func == (a: JSONText, b: JSONText) -> Bool {
        a.document[a.range].elementsEqual(b.document[b.range])
    }

    /// The value, parsed.
    func parse() throws -> JSONValue {
        try document.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer)
            parser.index = range.lowerBound
            return try parser.value(depth: 0, matched: -1)
        }
    }

    /// The object's members, each as its own unparsed text.
    var members: [(String, JSONText)] {
        memberRanges.map { member in
            (member.key, JSONText(document: document, range: member.range, path: path + "." + member.key, memberRanges: []))
        }
    }
}

private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The members of the objects being read, innermost last.
    var members: [(String, JSONValue)] = []
    /// The whole document, and the path of the object to leave unparsed (`JSONValue.parse(_:leavingUnparsed:)`).
    var document: [UInt8] = []
    var unparsedPath: [String] = []

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func error(_ message: String) -> JSONValue.ParseError { JSONValue.ParseError(offset: index, message: message) }

    mutating func skipSpace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// - Parameter matched: how many keys of `unparsedPath` lead here (-1: none, or off that path).
    mutating func value(depth: Int, matched: Int) throws -> JSONValue {
        guard depth < 64 else { throw error("nested too deep") }
        skipSpace()
        guard index < bytes.count else { throw error("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object([:]) }
            // The members go on a stack shared by every object of the document, and the dictionary
            // is made once at its final size: growing it member by member rehashed it at every
            // doubling (0.15 M instructions of the handler's read of var/site.json).
            let base = members.count
            defer { members.removeSubrange(base...) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                index += 1
                let member: JSONValue
                if matched >= 0, matched < unparsedPath.count, key == unparsedPath[matched] {
                    if matched + 1 == unparsedPath.count {
                        skipSpace()
                        let start = index
                        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { throw error("expected an object") }
                        var ranges: [(key: String, range: Range<Int>)] = []
                        try skipValue(depth: depth + 1, recording: &ranges)
                        var path = "$"
                        for key in unparsedPath { path += "." + key }
                        member = .unparsed(JSONText(document: document, range: start..<index, path: path, memberRanges: ranges))
                    } else {
                        member = try value(depth: depth + 1, matched: matched + 1)
                    }
                } else {
                    member = try value(depth: depth + 1, matched: -1)
                }
                members.append((key, member))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end in an object") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    var object = [String: JSONValue](minimumCapacity: members.count - base)
                    // A repeated key keeps its last value, as before.
                    for (key, member) in members[base...] { object[key] = member }
                    return .object(object)
                }
                throw error("expected ',' or '}'")
            }
        case UInt8(ascii: "["):
            index += 1
            var array: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(array) }
            while true {
                array.append(try value(depth: depth + 1, matched: -1))
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end in an array") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(array) }
                throw error("expected ',' or ']'")
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return .number(try number())
        }
    }

    mutating func literal(_ word: StaticString) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end") }
        for i in 0..<count where bytes[index + i] != word.utf8Start[i] { throw error("invalid literal") }
        index += count
    }

    /// Checks one value's syntax as `value` would and moves past it, making nothing.
    mutating func skipValue(depth: Int) throws {
        var none: [(key: String, range: Range<Int>)] = []
        try skipValue(depth: depth, recording: &none, record: false)
    }

    /// The same, and for an object, the key and text of each member in `members`.
    mutating func skipValue(depth: Int, recording members: inout [(key: String, range: Range<Int>)], record: Bool = true) throws {
        guard depth < 64 else { throw error("nested too deep") }
        skipSpace()
        guard index < bytes.count else { throw error("unexpected end") }
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let object = bytes[index] == UInt8(ascii: "{")
            let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
            index += 1
            skipSpace()
            if index < bytes.count, bytes[index] == close { index += 1; return }
            while true {
                var key: String?
                if object {
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                    if record { key = try string() } else { try skipString() }
                    skipSpace()
                    guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                    index += 1
                }
                skipSpace()
                let start = index
                try skipValue(depth: depth + 1)
                if let key { members.append((key, start..<index)) }
                skipSpace()
                guard index < bytes.count else { throw error("unexpected end") }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == close { index += 1; return }
                throw error(object ? "expected ',' or '}'" : "expected ',' or ']'")
            }
        case UInt8(ascii: "\""): try skipString()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try number()
        }
    }

    /// The first index from `start` on that holds a quote, a backslash or a control character
    /// (which end or interrupt a string's plain run), or the end. Eight bytes at a time: the
    /// published settings are mostly long template strings (10 KB of 15 KB).
    func plainRunEnd(from start: Int) -> Int {
        var i = start
        if let base = bytes.baseAddress {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while i + 8 <= bytes.count {
                let word = UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)
                let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
                // Some byte zero (after the XOR: equal), or below 0x20: exact as a yes/no.
                let special = ((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word)
                if special & highs != 0 { break }
                i += 8
            }
        }
        while i < bytes.count {
            let b = bytes[i]
            if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { return i }
            i += 1
        }
        return i
    }

    /// Moves past a string, checking its escapes as `string` would.
    mutating func skipString() throws {
        index += 1 // opening quote
        while index < bytes.count {
            index = plainRunEnd(from: index)
            guard index < bytes.count else { break }
            let b = bytes[index]
            index += 1
            if b == UInt8(ascii: "\"") { return }
            if b < 0x20 { index -= 1; throw error("control character in a string") }
            guard b == UInt8(ascii: "\\") else { continue }
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"): continue
            case UInt8(ascii: "u"): _ = try unicodeEscape()
            default: throw error("invalid escape")
            }
        }
        throw error("unterminated string")
    }

    mutating func number() throws -> Double {
        let start = index
        while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
        guard index > start, let value = Double(String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)) else {
            throw error("invalid number")
        }
        return value
    }

    static func isNumberByte(_ b: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "+")
            || b == UInt8(ascii: ".") || b == UInt8(ascii: "e") || b == UInt8(ascii: "E")
    }

    mutating func string() throws -> String {
        index += 1 // opening quote
        let start = index
        // Fast path: no escapes, one copy.
        index = plainRunEnd(from: index)
        if index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if b < 0x20 { throw error("control character in a string") }
        }
        var out = [UInt8](UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return String(decoding: out, as: UTF8.self)
            }
            if b == UInt8(ascii: "\\") {
                index += 1
                guard index < bytes.count else { break }
                let e = bytes[index]
                index += 1
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    out.append(contentsOf: Array(String(Character(try unicodeEscape())).utf8))
                default:
                    throw error("invalid escape")
                }
                continue
            }
            if b < 0x20 { throw error("control character in a string") }
            // A run of plain bytes up to the next quote, escape or control character, copied at
            // once: templates published as JSON are long strings with an escape every line.
            let run = index
            index = plainRunEnd(from: index + 1)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
        }
        throw error("unterminated string")
    }

    /// The scalar of a `\u` escape (a surrogate pair takes two), the `\u` already read.
    mutating func unicodeEscape() throws -> Unicode.Scalar {
        var scalar = try hex4()
        if (0xD800...0xDBFF).contains(scalar) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw error("lone surrogate")
            }
            index += 2
            let low = try hex4()
            guard (0xDC00...0xDFFF).contains(low) else { throw error("bad surrogate pair") }
            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
        }
        guard let s = Unicode.Scalar(scalar) else { throw error("invalid \\u escape") }
        return s
    }

    mutating func hex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let b = bytes[index]
            index += 1
            let d: UInt32
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(b - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(b - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(b - UInt8(ascii: "A") + 10)
            default: throw error("bad hex digit")
            }
            v = v << 4 | d
        }
        return v
    }
}

/// Typed access while mapping a document, with the path in every error.
///
/// The path is kept as the chain of keys and indexes that led here and spelled out only when an
/// error needs it: the handler maps `var/site.json` on every request, and building
/// `$.settings.messages.applied.emailBody` for every successful access cost more than the lookup.
public struct JSONReader {
    public let value: JSONValue
    private let location: Location

    private indirect enum Location {
        case root(String)
        case key(Location, String)
        case index(Location, Int)

        var path: String {
            switch self {
            case .root(let name): name
            case .key(let parent, let key): parent.path + "." + key
            case .index(let parent, let index): parent.path + "[\(index)]"
            }
        }
    }

    public init(_ value: JSONValue, path: String = "$") { self.value = value; location = .root(path) }

    private init(_ value: JSONValue, location: Location) { self.value = value; self.location = location }

    public var path: String { location.path }

    func fail(_ message: String) -> JSONValue.MappingError { JSONValue.MappingError(path: path, message: message) }

    /// The value, parsed if it was left unparsed.
    public func parsed() throws -> JSONValue {
        if case .unparsed(let text) = value { return try text.parse() }
        return value
    }

    public subscript(key: String) -> JSONReader {
        get throws {
            guard case .object(let object) = try parsed() else { throw fail("expected an object") }
            return JSONReader(object[key] ?? .null, location: .key(location, key))
        }
    }

    public var isNull: Bool { if case .null = value { true } else { false } }

    public func string() throws -> String {
        guard case .string(let s) = value else { throw fail("expected a string") }
        return s
    }

    public func int() throws -> Int {
        guard case .number(let d) = value, let i = Int(exactly: d) else { throw fail("expected a whole number") }
        return i
    }

    public func int64() throws -> Int64 { Int64(try int()) }

    public func bool() throws -> Bool {
        guard case .bool(let b) = value else { throw fail("expected true or false") }
        return b
    }

    public func array<T>(_ map: (JSONReader) throws -> T) throws -> [T] {
        guard case .array(let items) = try parsed() else { throw fail("expected an array") }
        var out: [T] = []
        out.reserveCapacity(items.count)
        for index in items.indices { out.append(try map(JSONReader(items[index], location: .index(location, index)))) }
        return out
    }

    public func dictionary<T>(_ map: (JSONReader) throws -> T) throws -> [String: T] {
        guard case .object(let object) = try parsed() else { throw fail("expected an object") }
        var out: [String: T] = [:]
        out.reserveCapacity(object.count)
        for (k, v) in object { out[k] = try map(JSONReader(v, location: .key(location, k))) }
        return out
    }
}
