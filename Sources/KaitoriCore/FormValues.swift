/// Submitted form fields in order, with repeated names kept (item rows, declined items).
/// The handler fills it from the CGI body; validation and re-rendering read it.
public struct FormValues: Equatable, Sendable {
    public var pairs: [(name: String, value: String)]

    public init(_ pairs: [(String, String)] = []) { self.pairs = pairs.map { (name: $0.0, value: $0.1) } }

    /// Kept as given: the handler builds its pairs once from the request (going through unlabeled
    /// pairs made a second array of every field on each post).
    public init(pairs: [(name: String, value: String)]) { self.pairs = pairs }

    public subscript(_ name: String) -> String { pairs.first { $0.name == name }?.value ?? "" }
    public func all(_ name: String) -> [String] { pairs.filter { $0.name == name }.map(\.value) }
    public func has(_ name: String) -> Bool { pairs.contains { $0.name == name } }

    public mutating func set(_ name: String, _ value: String) {
        pairs.removeAll { $0.name == name }
        pairs.append((name: name, value: value))
    }

    public static func == (a: FormValues, b: FormValues) -> Bool {
        a.pairs.count == b.pairs.count && zip(a.pairs, b.pairs).allSatisfy { $0.name == $1.name && $0.value == $1.value }
    }
}
