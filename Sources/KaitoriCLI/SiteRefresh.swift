import Foundation
import KaitoriCore
import SiteBuilder
import SitePages

/// Rewrites a case's customer pages after a staff change: the review page appears on assess,
/// moves to a new address on reissue, and disappears on unassess or cancel.
enum SiteRefresh {
    /// The change is already saved when this runs, so a failure here never undoes it: it is printed
    /// as a warning, and `kaitori build --case CODE` (or any full build) repairs the pages later.
    static func afterChange(options: SiteOptions, code: String) {
        // Never built: there is no site to update yet, and the first build writes every case's pages.
        guard FileManager.default.fileExists(atPath: SitePaths.join(options.siteDirectory, SitePaths.publishedSite)) else { return }
        do {
            try SiteBuilder(site: options.siteDirectory, now: EnvironmentClock().now()).rebuildCase(code: code)
        } catch {
            printError("warning: \(code) is saved, but its customer pages were not updated: \(error)\n"
                       + "  run `kaitori build --case \(code)` once this is fixed")
        }
    }
}
