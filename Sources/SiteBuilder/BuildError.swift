import SitePages

/// Why a build stopped: the step and every problem found there, each naming its file and line.
public struct BuildError: Error, Equatable, CustomStringConvertible {
    public var step: String
    public var problems: [SiteError]
    /// False for every failure before the swap, which leaves `public/` exactly as it was. True only
    /// when the new site was swapped in but publishing `var/` failed afterwards.
    public var publicChanged: Bool

    public init(step: String, problems: [SiteError], publicChanged: Bool = false) {
        self.step = step; self.problems = problems; self.publicChanged = publicChanged
    }

    public var description: String {
        let state = publicChanged ? "public/ is already the new site, but var/ is not up to date; run the build again"
                                  : "public/ is unchanged"
        return (["build stopped at \"\(step)\"; \(state):"] + problems.map { "  \($0)" }).joined(separator: "\n")
    }
}
