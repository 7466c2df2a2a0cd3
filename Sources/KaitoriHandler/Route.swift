import KaitoriCore

/// The handler's routes (interfaces.md, "Handler routes"), recognised from the method and
/// `PATH_INFO` alone, so a wrong method or a malformed token or code is refused before the
/// request body or the store is touched.
enum Route: Equatable {
    case apply
    case review(token: String)
    case kyc(token: String)
    case applied(code: String)
    /// GET `/review/{token}`, `/kyc/{token}`, `/status/{token}`: the customer page itself, rendered
    /// from the store (`site.case_pages: handler`; the web server sends `/review/{token}/` here
    /// when it has no such file, docs/scaling.md).
    case page(CustomerPageKind, token: String)

    /// - Throws: `HandlerError` 404 for an unknown path or a path segment of the wrong shape,
    ///   405 (with `Allow`) for a known path with the wrong method.
    init(method: String, pathInfo: String) throws {
        var path = Substring(pathInfo)
        // `/apply/` is the same route as `/apply`: people and servers add the slash.
        if path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.first == "", segments.count >= 2 else { throw HandlerError.notFound("no route for \"\(pathInfo)\"") }

        let route: Route
        let reading = method == "GET" || method == "HEAD"
        switch (segments[1], segments.count) {
        case ("apply", 2):
            route = .apply
        case ("review", 3) where Identifiers.isToken(segments[2]):
            route = reading ? .page(.review, token: String(segments[2])) : .review(token: String(segments[2]))
        case ("kyc", 3) where Identifiers.isToken(segments[2]):
            route = reading ? .page(.kyc, token: String(segments[2])) : .kyc(token: String(segments[2]))
        case ("applied", 3) where Route.isCaseCode(segments[2]):
            route = .applied(code: String(segments[2]))
        case ("status", 3) where Identifiers.isToken(segments[2]):
            route = .page(.status, token: String(segments[2]))
        case ("review", 3), ("kyc", 3), ("status", 3):
            throw HandlerError.unknownLink("\"\(pathInfo)\": not a link token")
        default:
            throw HandlerError.notFound("no route for \"\(pathInfo)\"")
        }
        guard route.methods.contains(method) else {
            throw HandlerError.methodNotAllowed(method, path: pathInfo, allow: route.methods.joined(separator: ", "))
        }
        self = route
    }

    var methods: [String] {
        switch self {
        case .apply: ["POST"]
        case .review, .kyc: ["POST", "GET", "HEAD"] // GET and HEAD are the page (`.page`)
        case .applied, .page: ["GET", "HEAD"]
        }
    }

    /// The letters `Identifiers.caseCode` draws from (no 0/O, 1/I/L).
    private static let codeLetters = Set("23456789ABCDEFGHJKMNPQRSTUVWXYZ".unicodeScalars)

    /// `K7QX-3M9A`, exactly as `Identifiers.caseCode` writes it: the applied page shows the code it
    /// is given, so anything else is refused rather than echoed.
    static func isCaseCode(_ text: Substring) -> Bool {
        let scalars = Array(text.unicodeScalars)
        guard scalars.count == 9, scalars[4] == "-" else { return false }
        return scalars.enumerated().allSatisfy { $0.offset == 4 || codeLetters.contains($0.element) }
    }
}
