import Glibc

/// JSON for the few files the handler reads on every request (`var/site.json`).
///
/// Foundation's `JSONDecoder` with `Codable` cost the handler more than everything else a post does
/// together (generic metadata and protocol-conformance look-ups at start-up). `JSONDocument` checks
/// a whole document in one pass and records where each value is (a flat "tape" of nodes); a
/// `JSONReader` then maps it to a type (`Settings+JSON.swift`), making a `String` only for the
/// values asked for and finding keys by comparing bytes, with no dictionary and no allocation per
/// access. Measured on the application post: building a `JSONValue` tree of `var/site.json` and
/// mapping it cost 0.99 M instructions, most of it hashing keys, dictionaries and strings never
/// used (docs/performance.md).
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

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

    /// The whole document as values.
    public static func parse(_ bytes: [UInt8]) throws -> JSONValue {
        try JSONDocument(parsing: bytes).root.value
    }
}

/// A checked JSON document and where each of its values is (see `JSONValue`).
public final class JSONDocument: Sendable {
    let bytes: [UInt8]
    /// Every value in document order; an object's members are its key (a string node) followed by
    /// the value's nodes, an array's items their nodes.
    let nodes: [JSONNode]

    /// - Throws: `JSONValue.ParseError` with the byte offset of the first fault.
    public init(parsing bytes: [UInt8]) throws {
        guard bytes.count < Int(UInt32.max) else { throw JSONValue.ParseError(offset: 0, message: "document too large") }
        self.bytes = bytes
        nodes = try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer)
            parser.nodes.reserveCapacity(buffer.count / 16 + 4)
            try parser.value(depth: 0)
            parser.skipSpace()
            guard parser.index == buffer.count else { throw parser.error("unexpected data after the document") }
            return parser.nodes
        }
    }

    public var root: JSONReader { JSONReader(document: self, node: 0) }

    /// The value of the member named `key` of the object at `object` (the last one if repeated).
    func member(_ object: Int, _ key: String) -> Int? {
        var key = key
        return key.withUTF8 { wanted in
            bytes.withUnsafeBufferPointer { buffer in
                var found: Int?
                var at = object + 1
                for _ in 0..<nodes[object].count {
                    let name = nodes[at]
                    if name.kind == .string {
                        if Int(name.end - name.start) == wanted.count,
                           wanted.count == 0 || memcmp(buffer.baseAddress! + Int(name.start), wanted.baseAddress!, wanted.count) == 0 {
                            found = at + 1
                        }
                    } else if string(at) == String(decoding: wanted, as: UTF8.self) {
                        found = at + 1
                    }
                    at = Int(nodes[at + 1].next)
                }
                return found
            }
        }
    }

    /// The string at `node`, its escapes decoded.
    func string(_ node: Int) -> String {
        let n = nodes[node]
        return bytes.withUnsafeBufferPointer { buffer in
            if n.kind == .string {
                return String(decoding: UnsafeBufferPointer(rebasing: buffer[Int(n.start)..<Int(n.end)]), as: UTF8.self)
            }
            var parser = JSONParser(bytes: buffer)
            parser.index = Int(n.start) - 1
            // Checked when the document was read: cannot fail.
            return (try? parser.decodeString()) ?? ""
        }
    }

    /// The number at `node`, as written.
    func number(_ node: Int) -> (whole: Int?, value: Double) {
        let n = nodes[node]
        var i = Int(n.start), negative = false, whole = 0, plain = true
        if bytes[i] == UInt8(ascii: "-") { negative = true; i += 1 }
        let digits = Int(n.end) - i
        if digits > 18 { plain = false }
        while plain, i < Int(n.end) {
            let b = bytes[i]
            guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { plain = false; break }
            whole = whole * 10 + Int(b - UInt8(ascii: "0"))
            i += 1
        }
        if plain { return (negative ? -whole : whole, Double(negative ? -whole : whole)) }
        let value = Double(String(decoding: bytes[Int(n.start)..<Int(n.end)], as: UTF8.self)) ?? .nan
        return (Int(exactly: value), value)
    }

    /// `$.settings.messages.paid`: the keys and indexes from the root to `target`, for errors.
    func path(to target: Int) -> String {
        var path = "$", at = 0
        descending: while at != target {
            let n = nodes[at]
            var child = at + 1
            switch n.kind {
            case .object:
                for _ in 0..<n.count {
                    let end = Int(nodes[child + 1].next)
                    if target < end {
                        path += "." + string(child)
                        at = child + 1
                        continue descending
                    }
                    child = end
                }
            case .array:
                for index in 0..<Int(n.count) {
                    let end = Int(nodes[child].next)
                    if target < end {
                        path += "[\(index)]"
                        at = child
                        continue descending
                    }
                    child = end
                }
            default: break
            }
            break
        }
        return path
    }
}

/// One value of a `JSONDocument`.
struct JSONNode {
    enum Kind: UInt8 { case null, `true`, `false`, number, string, escapedString, array, object }
    var kind: Kind
    /// Members of an object, items of an array.
    var count: UInt32 = 0
    /// The value's bytes; a string's without its quotes.
    var start: UInt32
    var end: UInt32 = 0
    /// The index of the node after this value and everything in it.
    var next: UInt32 = 0
}

private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var nodes: [JSONNode] = []

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

    /// Reads one value and appends its nodes.
    mutating func value(depth: Int) throws {
        guard depth < 64 else { throw error("nested too deep") }
        skipSpace()
        guard index < bytes.count else { throw error("unexpected end") }
        let me = nodes.count
        switch bytes[index] {
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            let object = bytes[index] == UInt8(ascii: "{")
            let close = object ? UInt8(ascii: "}") : UInt8(ascii: "]")
            nodes.append(JSONNode(kind: object ? .object : .array, start: UInt32(index)))
            index += 1
            skipSpace()
            var count: UInt32 = 0
            if index < bytes.count, bytes[index] == close {
                index += 1
            } else {
                while true {
                    if object {
                        skipSpace()
                        guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key") }
                        try string()
                        skipSpace()
                        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
                        index += 1
                    }
                    try value(depth: depth + 1)
                    count += 1
                    skipSpace()
                    guard index < bytes.count else { throw error(object ? "unexpected end in an object" : "unexpected end in an array") }
                    if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                    if bytes[index] == close { index += 1; break }
                    throw error(object ? "expected ',' or '}'" : "expected ',' or ']'")
                }
            }
            nodes[me].count = count
            nodes[me].end = UInt32(index)
            nodes[me].next = UInt32(nodes.count)
            return
        case UInt8(ascii: "\""):
            try string()
            return
        case UInt8(ascii: "t"): try literal("true", .true)
        case UInt8(ascii: "f"): try literal("false", .false)
        case UInt8(ascii: "n"): try literal("null", .null)
        default: try number()
        }
    }

    mutating func literal(_ word: StaticString, _ kind: JSONNode.Kind) throws {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("unexpected end") }
        for i in 0..<count where bytes[index + i] != word.utf8Start[i] { throw error("invalid literal") }
        nodes.append(JSONNode(kind: kind, start: UInt32(index), end: UInt32(index + count), next: UInt32(nodes.count + 1)))
        index += count
    }

    /// A number as JSON writes them: `-`? (`0` | digits) (`.` digits)? ((`e`|`E`) (`+`|`-`)? digits)?
    mutating func number() throws {
        let start = index
        func digits() -> Int {
            let from = index
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
            return index - from
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        let first = index < bytes.count ? bytes[index] : 0
        let whole = digits()
        guard whole > 0, whole == 1 || first != UInt8(ascii: "0") else { index = start; throw error("invalid number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits() > 0 else { throw error("invalid number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits() > 0 else { throw error("invalid number") }
        }
        nodes.append(JSONNode(kind: .number, start: UInt32(start), end: UInt32(index), next: UInt32(nodes.count + 1)))
    }

    /// The first index from `start` on that holds a quote, a backslash or a control character
    /// (which end or interrupt a string's plain run), or the end. Eight bytes at a time, the first
    /// special byte of a word found from its flags rather than byte by byte, the last few bytes as
    /// one word too: the published settings are mostly long template strings (10 KB of 15 KB) and
    /// many short keys.
    func plainRunEnd(from start: Int) -> Int {
        var i = start
        guard let base = bytes.baseAddress, bytes.count >= 8 else {
            while i < bytes.count {
                let b = bytes[i]
                if b == UInt8(ascii: "\"") || b == UInt8(ascii: "\\") || b < 0x20 { return i }
                i += 1
            }
            return i
        }
        func word(at offset: Int) -> UInt64 {
            UInt64(littleEndian: UnsafeRawPointer(base + offset).loadUnaligned(as: UInt64.self))
        }
        while i + 8 <= bytes.count {
            let flags = Self.special(word(at: i))
            if flags != 0 { return i + flags.trailingZeroBitCount / 8 }
            i += 8
        }
        guard i < bytes.count else { return i }
        // Fewer than 8 bytes left: the word that ends the buffer, moved down past the bytes before
        // `i` (which may be special: the string's opening quote) and filled above with 'A's.
        let shift = (i - (bytes.count - 8)) * 8
        let filled = (word(at: bytes.count - 8) >> shift) | (0x4141_4141_4141_4141 << (64 - shift))
        let flags = Self.special(filled)
        return flags == 0 ? bytes.count : min(i + flags.trailingZeroBitCount / 8, bytes.count)
    }

    /// The high bit of each byte of `word` (bytes in memory order from its low end) that is a
    /// quote, a backslash or below 0x20. A flagged byte's borrow can flag bytes above it, so only
    /// the lowest flag is sure to be one, and that is the one wanted: the first special byte.
    private static func special(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
        return (((quote &- ones) & ~quote) | ((backslash &- ones) & ~backslash) | ((word &- ones &* 0x20) & ~word))
            & 0x8080_8080_8080_8080
    }

    /// Checks a string (its escapes included) and appends its node.
    mutating func string() throws {
        index += 1 // opening quote
        let start = index
        var escaped = false
        while index < bytes.count {
            index = plainRunEnd(from: index)
            guard index < bytes.count else { break }
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                nodes.append(JSONNode(kind: escaped ? .escapedString : .string, start: UInt32(start), end: UInt32(index),
                                      next: UInt32(nodes.count + 1)))
                index += 1
                return
            }
            if b < 0x20 { throw error("control character in a string") }
            // A backslash.
            escaped = true
            index += 1
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            if e == UInt8(ascii: "u") {
                _ = try unicodeEscape()
            } else if Self.escaped(e) == nil {
                index -= 1
                throw error("invalid escape")
            }
        }
        throw error("unterminated string")
    }

    /// The byte a one-letter escape (`\n`, `\"` …) stands for; nil for `\u` and for what is no escape.
    static func escaped(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): 0x0A
        case UInt8(ascii: "r"): 0x0D
        case UInt8(ascii: "t"): 0x09
        default: nil
        }
    }

    /// The string starting at `index` (its opening quote), escapes decoded.
    mutating func decodeString() throws -> String {
        index += 1 // opening quote
        var out: [UInt8] = []
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
                if e == UInt8(ascii: "u") {
                    out.append(contentsOf: Array(String(Character(try unicodeEscape())).utf8))
                } else if let byte = Self.escaped(e) {
                    out.append(byte)
                } else {
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

/// Typed access to one value of a `JSONDocument` while mapping it to a type, with the path in
/// every error (spelled out only then: `$.settings.messages.applied.emailBody`).
///
/// A reader is the document and a node's index: reading a member compares key bytes, and a
/// `String` is made only by `string()`.
public struct JSONReader: Sendable {
    let document: JSONDocument
    /// The value's node; -1 for a missing member (then `parent` and `key` say which).
    let node: Int
    private let parent: Int
    private let key: String

    init(document: JSONDocument, node: Int) {
        self.document = document; self.node = node; parent = -1; key = ""
    }

    private init(document: JSONDocument, missing key: String, in parent: Int) {
        self.document = document; node = -1; self.parent = parent; self.key = key
    }

    /// The root of a document read from `bytes`.
    /// - Throws: `JSONValue.ParseError`.
    public init(parsing bytes: [UInt8]) throws { self = try JSONDocument(parsing: bytes).root }

    private var kind: JSONNode.Kind { node < 0 ? .null : document.nodes[node].kind }

    public var path: String { node < 0 ? document.path(to: parent) + "." + key : document.path(to: node) }

    func fail(_ message: String) -> JSONValue.MappingError { JSONValue.MappingError(path: path, message: message) }

    /// Whether the member is there at all (`null` is there).
    public var exists: Bool { node >= 0 }

    public var isNull: Bool { kind == .null }

    public var isObject: Bool { kind == .object }

    public var isArray: Bool { kind == .array }

    /// An object's members or an array's items, counted when the document was read; 0 otherwise.
    public var count: Int { kind == .object || kind == .array ? Int(document.nodes[node].count) : 0 }

    public subscript(key: String) -> JSONReader {
        get throws {
            guard kind == .object else { throw fail("expected an object") }
            guard let member = document.member(node, key) else { return JSONReader(document: document, missing: key, in: node) }
            return JSONReader(document: document, node: member)
        }
    }

    public func string() throws -> String {
        switch kind {
        case .string, .escapedString: return document.string(node)
        default: throw fail("expected a string")
        }
    }

    public func int() throws -> Int {
        guard kind == .number, let whole = document.number(node).whole else { throw fail("expected a whole number") }
        return whole
    }

    public func int64() throws -> Int64 { Int64(try int()) }

    public func bool() throws -> Bool {
        switch kind {
        case .true: return true
        case .false: return false
        default: throw fail("expected true or false")
        }
    }

    public func array<T>(_ map: (JSONReader) throws -> T) throws -> [T] {
        guard kind == .array else { throw fail("expected an array") }
        let count = Int(document.nodes[node].count)
        var out: [T] = []
        out.reserveCapacity(count)
        var item = node + 1
        for _ in 0..<count {
            out.append(try map(JSONReader(document: document, node: item)))
            item = Int(document.nodes[item].next)
        }
        return out
    }

    /// The object's members in document order.
    public func members() throws -> [(key: String, value: JSONReader)] {
        var out: [(key: String, value: JSONReader)] = []
        try forEachMember { out.append(($0, $1)) }
        return out
    }

    /// A repeated key keeps its last value.
    public func dictionary<T>(_ map: (JSONReader) throws -> T) throws -> [String: T] {
        // Walked in place rather than through `members()`: an array of key and value pairs made
        // only to be read once cost the post's settings 15 K instructions.
        var out: [String: T] = [:]
        try forEachMember(reserving: { out.reserveCapacity($0) }) { out[$0] = try map($1) }
        return out
    }

    /// Each member of the object in document order; `reserving` first learns how many there are.
    private func forEachMember(reserving: (Int) -> Void = { _ in },
                               _ body: (String, JSONReader) throws -> Void) throws {
        guard kind == .object else { throw fail("expected an object") }
        let count = Int(document.nodes[node].count)
        reserving(count)
        var at = node + 1
        for _ in 0..<count {
            try body(document.string(at), JSONReader(document: document, node: at + 1))
            at = Int(document.nodes[at + 1].next)
        }
    }

    /// The value and everything in it.
    public var value: JSONValue {
        switch kind {
        case .null: return .null
        case .true: return .bool(true)
        case .false: return .bool(false)
        case .number: return .number(document.number(node).value)
        case .string, .escapedString: return .string(document.string(node))
        case .array: return .array((try? array { $0.value }) ?? [])
        case .object: return .object((try? dictionary { $0.value }) ?? [:])
        }
    }
}
