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
        // `/name` or `/name/argument`; anything with more segments is no route. Found by hand over
        // the bytes: `split` made an array of `Substring`s (and the run-time type set-up for it)
        // on every post.
        guard path.utf8.first == UInt8(ascii: "/") else { throw HandlerError.notFound("no route for \"\(pathInfo)\"") }
        let rest = path.dropFirst()
        let name: Substring, argument: Substring?
        if let slash = rest.utf8.firstIndex(of: UInt8(ascii: "/")) {
            name = rest[..<slash]
            let after = rest[rest.index(after: slash)...]
            guard !after.utf8.contains(UInt8(ascii: "/")) else { throw HandlerError.notFound("no route for \"\(pathInfo)\"") }
            argument = after
        } else {
            name = rest
            argument = nil
        }

        let route: Route
        let reading = method == "GET" || method == "HEAD"
        switch (name, argument) {
        case ("apply", nil):
            route = .apply
        case ("review", let token?) where Identifiers.isToken(token):
            route = reading ? .page(.review, token: String(token)) : .review(token: String(token))
        case ("kyc", let token?) where Identifiers.isToken(token):
            route = reading ? .page(.kyc, token: String(token)) : .kyc(token: String(token))
        case ("applied", let code?) where Route.isCaseCode(code):
            route = .applied(code: String(code))
        case ("status", let token?) where Identifiers.isToken(token):
            route = .page(.status, token: String(token))
        case ("review", _?), ("kyc", _?), ("status", _?):
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
