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
        try bytes.withUnsafeBufferPointer { buffer in
            var parser = JSONParser(bytes: buffer)
            let value = try parser.value(depth: 0)
            parser.skipSpace()
            guard parser.index == buffer.count else { throw parser.error("unexpected data after the document") }
            return value
        }
    }
}

private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// The members of the objects being read, innermost last.
    var members: [(String, JSONValue)] = []

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

    mutating func value(depth: Int) throws -> JSONValue {
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
                let member = try value(depth: depth + 1)
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
                array.append(try value(depth: depth + 1))
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
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                let s = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
                index += 1
                return s
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in a string") }
            index += 1
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
                    out.append(contentsOf: Array(String(Character(s)).utf8))
                default:
                    throw error("invalid escape")
                }
                continue
            }
            if b < 0x20 { throw error("control character in a string") }
            // A run of plain bytes up to the next quote, escape or control character, copied at
            // once: templates published as JSON are long strings with an escape every line.
            let run = index
            index += 1
            while index < bytes.count {
                let c = bytes[index]
                if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 { break }
                index += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[run..<index]))
        }
        throw error("unterminated string")
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

    public subscript(key: String) -> JSONReader {
        get throws {
            guard case .object(let object) = value else { throw fail("expected an object") }
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
        guard case .array(let items) = value else { throw fail("expected an array") }
        var out: [T] = []
        out.reserveCapacity(items.count)
        for index in items.indices { out.append(try map(JSONReader(items[index], location: .index(location, index)))) }
        return out
    }

    public func dictionary<T>(_ map: (JSONReader) throws -> T) throws -> [String: T] {
        guard case .object(let object) = value else { throw fail("expected an object") }
        var out: [String: T] = [:]
        out.reserveCapacity(object.count)
        for (k, v) in object { out[k] = try map(JSONReader(v, location: .key(location, k))) }
        return out
    }
}
