/// One problem with one form field, shown next to the field and in the summary at the top.
public struct FieldError: Equatable, Sendable {
    public var field: String
    public var message: String
    public init(_ field: String, _ message: String) { self.field = field; self.message = message }
}

/// Every problem of one form post, in field order.
public struct FieldErrors: Error, Equatable, Sendable {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
    public func messages(for field: String) -> [String] { errors.filter { $0.field == field }.map(\.message) }
}
