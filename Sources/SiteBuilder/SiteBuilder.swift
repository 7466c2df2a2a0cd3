#if canImport(Glibc)
import Glibc
#endif
import KaitoriCore
import SitePages

/// `kaitori build`: the whole customer site from `shop.yml`, `site-templates/`, `content/` and the
/// case store, written next to `public/` and swapped in at once.
public struct SiteBuilder {
    public let site: String
    /// Unix time deciding which review links have expired.
    public let now: Int64
    /// Replaces `site.base_url` of shop.yml for this build (`kaitori serve` publishes its local address).
    public let baseURL: String?
    /// Threads writing the case pages; nil: one a usable core (`CasePageWriter`).
    public var caseThreads: Int?
    private let log: (String) -> Void

    /// - Parameters:
    ///   - site: The shop folder.
    ///   - baseURL: Used instead of shop.yml's `site.base_url` in what this build publishes.
    ///   - log: Receives the `[i/n] step` progress lines.
    public init(site: String, now: Int64, baseURL: String? = nil, log: @escaping (String) -> Void = { _ in }) {
        self.site = site
        self.now = now
        self.baseURL = baseURL
        self.log = log
    }

    /// Builds the site. On any problem nothing in `public/` changes.
    /// - Returns: What was written and how long it took.
    /// - Throws: `BuildError` with the step and every problem found there.
    public func build() throws -> BuildReport {
        let started = BuildClock.seconds()
        let context = BuildContext(site: site, now: now)
        context.baseURL = baseURL
        context.caseThreads = caseThreads
        defer { context.finish() }
        let steps = BuildStep.pipeline
        for (index, step) in steps.enumerated() {
            log("[\(index + 1)/\(steps.count)] \(step.name)")
            do {
                try step.run(context)
            } catch {
                let changed = context.output?.published ?? false
                switch error {
                case let failure as StepFailure: throw BuildError(step: step.name, problems: failure.problems, publicChanged: changed)
                case let error as SiteError: throw BuildError(step: step.name, problems: [error], publicChanged: changed)
                default: throw BuildError(step: step.name, problems: [SiteError(file: site, message: "\(error)")], publicChanged: changed)
                }
            }
        }
        return BuildReport(pages: context.pages, casePages: context.casePages, assets: context.assets,
                           seconds: BuildClock.seconds() - started)
    }

    /// `kaitori build --case CODE`: rewrites (or removes) that case's pages only, with the settings
    /// and templates of the last full build.
    /// - Returns: How many pages the case has now.
    /// - Throws: `SiteError` when the site was never built, `StoreError` for an unknown case.
    @discardableResult
    public func rebuildCase(code: String) throws -> Int {
        let renderer = try SiteRenderer.load(site: site)
        let store = try CaseStore.open(site: site, store: renderer.settings.store, clock: FixedClock(now), pages: nil)
        try CasePages.write(code: code, store: store, renderer: renderer, site: site, now: now)
        return CasePageManifest.pages(site: site, code: try store.load(code: code).code).count
    }
}

/// Monotonic seconds, for the build's "time taken".
enum BuildClock {
    static func seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}
