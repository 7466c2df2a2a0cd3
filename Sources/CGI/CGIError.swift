/// Why a request was refused, with the HTTP status the handler answers with.
///
/// Messages name the variable, part or byte offset at fault; they are meant for the log, not for
/// the customer (customer-facing text comes from the shop's templates).
public enum CGIError: Error, Equatable, Sendable {
    /// The request is not well formed: a bad `CONTENT_LENGTH`, a short body, a broken form.
    case malformed(String)
    /// The body, a field, a file or a count of fields or files is over its limit.
    case tooLarge
    /// The body's media type is not one this entry point accepts.
    case unsupportedMediaType(String)
    /// The route does not accept the request method.
    case methodNotAllowed
    /// Reading the request, writing an upload or writing the response failed on our side.
    case io(String)

    /// The status to answer with.
    public var httpStatus: Int {
        switch self {
        case .malformed: 400
        case .tooLarge: 413
        case .unsupportedMediaType: 415
        case .methodNotAllowed: 405
        case .io: 500
        }
    }

    /// A one-line description for the log.
    public var message: String {
        switch self {
        case .malformed(let detail): "malformed request: \(detail)"
        case .tooLarge: "request too large: a size or count limit was exceeded"
        case .unsupportedMediaType(let type): "unsupported media type: \(type)"
        case .methodNotAllowed: "method not allowed"
        case .io(let detail): "I/O error: \(detail)"
        }
    }
}

extension CGIError: CustomStringConvertible {
    public var description: String { message }
}
