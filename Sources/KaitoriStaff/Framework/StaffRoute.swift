import KaitoriCore

/// The methods console routes answer. `HEAD` is answered as `GET` without a body.
enum HTTPMethod: String {
    case get = "GET", post = "POST"
}

/// One console route: a method, a path pattern under the console's `SCRIPT_NAME`, the least role
/// that may use it, and the page code. The framework (`StaffConsole`) checks the session, the
/// role and, for posts, the CSRF token before `handle` runs; handlers never check them again.
///
/// A GET path with a `files` segment (`/cases/{code}/files/{id}`) is a file route: without a
/// session it answers 403, not a redirect to the login page.
struct StaffRoute {
    let method: HTTPMethod
    /// `/cases/{code}/{action}`: a segment in braces matches any one non-empty segment and
    /// becomes `StaffContext.params[name]`; other segments must match exactly.
    let pattern: String
    /// `.staff` for case work, `.owner` for owner routes.
    let role: StaffRole
    let handle: (StaffContext) throws -> StaffResponse

    /// The parameters when `path` matches the pattern, else `nil`. A trailing slash is ignored
    /// (`/cases/` is `/cases`).
    func match(_ path: String) -> [String: String]? {
        let wanted = Self.segments(pattern), given = Self.segments(path)
        guard wanted.count == given.count else { return nil }
        var params: [String: String] = [:]
        for (want, got) in zip(wanted, given) {
            if want.hasPrefix("{"), want.hasSuffix("}") {
                guard !got.isEmpty else { return nil }
                params[String(want.dropFirst().dropLast())] = got
            } else if want != got {
                return nil
            }
        }
        return params
    }

    static func segments(_ path: String) -> [String] {
        var trimmed = Substring(path)
        while trimmed.hasPrefix("/") { trimmed = trimmed.dropFirst() }
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return trimmed.isEmpty ? [] : trimmed.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
    }
}

/// What the router found for a method and a path.
enum StaffRouteMatch {
    case found(StaffRoute, params: [String: String])
    /// The path exists for other methods only (405, with these in `Allow`).
    case wrongMethod(allowed: [HTTPMethod])
    case notFound
}

extension StaffRoute {
    /// The first route matching both; routes are tried in order.
    static func find(_ method: HTTPMethod, _ path: String, in routes: [StaffRoute]) -> StaffRouteMatch {
        var allowed: [HTTPMethod] = []
        for route in routes {
            guard let params = route.match(path) else { continue }
            if route.method == method { return .found(route, params: params) }
            if !allowed.contains(route.method) { allowed.append(route.method) }
        }
        return allowed.isEmpty ? .notFound : .wrongMethod(allowed: allowed)
    }
}
