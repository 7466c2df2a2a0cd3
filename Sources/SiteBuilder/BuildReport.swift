/// What a finished build wrote, for the closing progress line.
public struct BuildReport: Equatable, Sendable, CustomStringConvertible {
    /// Every HTML page, case pages included.
    public var pages: Int
    public var casePages: Int
    public var assets: Int
    public var seconds: Double

    public var description: String {
        let time = (seconds * 100).rounded() / 100
        return "wrote \(pages) pages (\(casePages) case pages) and \(assets) assets in \(time) s"
    }
}
