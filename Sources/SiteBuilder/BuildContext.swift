import KaitoriCore
import SitePages

/// The state one build's steps pass along, from settings to the published folder.
final class BuildContext {
    let site: String
    let now: Int64

    var settings: Settings?
    /// Replaces shop.yml's `site.base_url` (SiteBuilder.baseURL).
    var baseURL: String?
    var templates: SiteTemplates?
    var assetVersion = ""
    var content: [ContentPage] = []
    var renderer: SiteRenderer?
    var lock: BuildLock?
    var output: OutputFolder?
    var manifest = CasePageManifest()
    var indexedPaths: [String] = []
    var pages = 0
    var casePages = 0
    var assets = 0
    /// Threads writing case pages; nil: as many as the process may use (`CasePageWriter`).
    var caseThreads: Int?

    init(site: String, now: Int64) {
        self.site = site
        self.now = now
    }

    /// Earlier steps' results; a missing one means the pipeline's order is wrong, not the shop's files.
    func require<T>(_ value: T?, _ what: String) throws -> T {
        guard let value else { throw SiteError(file: "(build)", message: "\(what) is not ready; a build step runs out of order") }
        return value
    }

    /// Releases the lock and removes an unpublished build folder.
    func finish() {
        output?.discard()
        lock?.release()
        lock = nil
    }
}
