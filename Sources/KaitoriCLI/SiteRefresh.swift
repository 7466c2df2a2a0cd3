import KaitoriCore

/// Regenerates a case's static pages after a staff change (review page appears on assess,
/// disappears on unassess/cancel). The site builder owns the work; this is the CLI's hook.
enum SiteRefresh {
    static func afterChange(options: SiteOptions, code: String) {}
}
