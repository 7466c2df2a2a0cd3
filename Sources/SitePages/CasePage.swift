import KaitoriCore

/// One file of a case's pages, relative to `public/` (`review/<token>/index.html`).
public struct CasePage: Equatable, Sendable {
    public var path: String
    public var html: String

    public init(path: String, html: String) { self.path = path; self.html = html }

    /// Whether `path` has the shape of a case page; anything else read back from the manifest is
    /// never deleted, whatever the file says.
    static func isCasePagePath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count == 3 && (parts[0] == "review" || parts[0] == "kyc" || parts[0] == "status")
            && Identifiers.isToken(parts[1]) && parts[2] == "index.html"
    }
}
