/// The data a template renders: a JSON-like tree built by view models.
///
/// Falsey values (they skip a section and show an inverted one) are `false`, `.null`, the empty list
/// and the empty string; everything else, including `0` and the empty object, is truthy.
public enum MustacheValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case bool(Bool)
    case list([MustacheValue])
    case object([String: MustacheValue])
    case null

    /// Whether a section on this value renders (and an inverted section does not).
    public var isTruthy: Bool {
        switch self {
        case .string(let string): return !string.isEmpty
        case .int: return true
        case .bool(let bool): return bool
        case .list(let items): return !items.isEmpty
        case .object: return true
        case .null: return false
        }
    }

    /// The value under `key` when this is an object; `nil` for a missing key or any other value.
    public subscript(key: String) -> MustacheValue? {
        guard case .object(let fields) = self else { return nil }
        return fields[key]
    }
}

extension MustacheValue: ExpressibleByStringLiteral, ExpressibleByStringInterpolation {
    public init(stringLiteral value: String) {
        self = .string(value)
    }
}

extension MustacheValue: ExpressibleByIntegerLiteral {
    public init(integerLiteral value: Int) {
        self = .int(value)
    }
}

extension MustacheValue: ExpressibleByBooleanLiteral {
    public init(booleanLiteral value: Bool) {
        self = .bool(value)
    }
}

extension MustacheValue: ExpressibleByArrayLiteral {
    public init(arrayLiteral elements: MustacheValue...) {
        self = .list(elements)
    }
}

extension MustacheValue: ExpressibleByDictionaryLiteral {
    /// A later duplicate key wins, as when building the dictionary by assignment.
    public init(dictionaryLiteral elements: (String, MustacheValue)...) {
        var fields: [String: MustacheValue] = [:]
        fields.reserveCapacity(elements.count)
        for (key, value) in elements {
            fields[key] = value
        }
        self = .object(fields)
    }
}

extension MustacheValue: ExpressibleByNilLiteral {
    public init(nilLiteral: ()) {
        self = .null
    }
}
