/// One name/value pair of a submitted form.
public struct FormField: Equatable, Sendable {
    public let name: String
    public let value: String

    public init(name: String, value: String) {
        self.name = name
        self.value = value
    }
}

/// The text fields of a form in the order they were sent, repeated names included
/// (`item_description` once per item row).
public struct FormFields: Equatable, Sendable, Sequence, ExpressibleByDictionaryLiteral {
    public private(set) var fields: [FormField] = []
    /// UTF-8 bytes of all names and values, for `FormLimits.maxTotalBytes`.
    public private(set) var byteCount: Int = 0

    public init() {}

    public init(_ fields: [FormField]) {
        for field in fields { append(name: field.name, value: field.value) }
    }

    /// Pairs in literal order; a name may repeat.
    public init(dictionaryLiteral elements: (String, String)...) {
        for (name, value) in elements { append(name: name, value: value) }
    }

    /// The first value sent under `name`.
    public subscript(name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// Every value sent under `name`, in order.
    public func all(_ name: String) -> [String] {
        fields.compactMap { $0.name == name ? $0.value : nil }
    }

    /// The distinct names, in order of first appearance.
    public var names: [String] {
        var seen: Set<String> = []
        return fields.compactMap { seen.insert($0.name).inserted ? $0.name : nil }
    }

    public var count: Int { fields.count }
    public var isEmpty: Bool { fields.isEmpty }

    public func makeIterator() -> IndexingIterator<[FormField]> {
        fields.makeIterator()
    }

    /// Adds a field without checking limits (for building forms in code).
    public mutating func append(name: String, value: String) {
        fields.append(FormField(name: name, value: value))
        byteCount += name.utf8.count + value.utf8.count
    }

    /// Adds a field from a request, enforcing `limits`.
    mutating func append(name: String, value: String, limits: FormLimits) throws {
        let size = name.utf8.count + value.utf8.count
        guard fields.count < limits.maxFields,
              value.utf8.count <= limits.maxFieldBytes,
              byteCount + size <= limits.maxTotalBytes
        else { throw CGIError.tooLarge }
        append(name: name, value: value)
    }
}
