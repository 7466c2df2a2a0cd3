import KaitoriCore

/// The pages one case has under `public/`: its status page (from the application until some time
/// after it is finished), its review page while the review link is valid, and an ID + signature
/// page per ID request that is open or waiting for the shop.
public enum CasePages {
    /// Rewrites (or removes) the review and ID pages of one case under `site`/public, taking
    /// `var/build.lock` so a full build running at the same time cannot swap the page away.
    ///
    /// - Parameters:
    ///   - code: The case code.
    ///   - now: Unix time deciding whether links have expired.
    /// - Throws: `StoreError.notFound` for an unknown code, `SiteError` when the site was never
    ///   built or a file cannot be written.
    public static func write(code: String, store: CaseStore, renderer: SiteRenderer, site: String, now: Int64) throws {
        let lock = try BuildLock.acquire(site: site)
        defer { lock.release() }
        let publicFolder = SitePaths.join(site, SitePaths.publicFolder)
        guard FileSystem.isDirectory(publicFolder) else {
            throw SiteError(file: SitePaths.publicFolder + "/", message: "does not exist; run `kaitori build` first")
        }
        let record = try store.load(code: code)
        // `site.case_pages: handler`: the handler renders them per request; files would go stale
        // on the other hosts, so any left from before are removed.
        let pages = renderer.settings.site.casePages == .handler ? []
            : try pages(for: record, store: store, renderer: renderer, now: now)
        let wanted = Set(pages.map(\.path))
        for old in CasePageManifest.pages(site: site, code: record.code) where !wanted.contains(old) && CasePage.isCasePagePath(old) {
            try FileSystem.removeTree(publicFolder + "/" + old.dropLast("/index.html".count))
        }
        for page in pages {
            let path = publicFolder + "/" + page.path
            try FileSystem.makeDirectories(String(path.dropLast("/index.html".count)))
            try FileSystem.replaceFile(path, with: page.html)
        }
        try CasePageManifest.save(site: site, code: record.code, paths: pages.map(\.path))
    }

    /// The pages `record` should have at `now`, rendered; empty when it has none.
    public static func pages(for record: Case, store: CaseStore, renderer: SiteRenderer, now: Int64) throws -> [CasePage] {
        try planned(for: record, store: store, renderer: renderer, now: now).map { CasePage(path: $0.path, html: try $0.render()) }
    }

    /// One page for a request (`site.case_pages: handler`): the page at `/<kind>/<token>/` as the
    /// file `write` would leave at `now`, rendered from the store with the same rules and
    /// templates; nil when no case has the token or the page is not shown (expired, answered and
    /// paid, finished long ago).
    public static func page(_ kind: CustomerPageKind, token: String, store: CaseStore, renderer: SiteRenderer,
                            now: Int64) throws -> String? {
        guard Identifiers.isToken(token[...]), let record = try store.load(page: kind, token: token) else { return nil }
        let path = "\(kind.rawValue)/\(token)/index.html"
        return try planned(for: record, store: store, renderer: renderer, now: now).first { $0.path == path }?.render()
    }

    /// A page the case has, rendered only when asked: a request needs one of them.
    struct PlannedPage {
        let path: String
        let render: () throws -> String
    }

    /// Which pages `record` has at `now` (the one place deciding it, for files and requests alike).
    static func planned(for record: Case, store: CaseStore, renderer: SiteRenderer, now: Int64) throws -> [PlannedPage] {
        var pages: [PlannedPage] = []
        var reviewPath: String?
        var kycPath: String?
        if let token = record.reviewToken, Identifiers.isToken(token[...]), showsReview(record, now: now) {
            let kycToken = try store.openIDCheckToken(caseID: record.id)
            pages.append(PlannedPage(path: "review/\(token)/index.html") {
                try renderer.reviewPage(record, kycToken: kycToken, now: now)
            })
            reviewPath = "/review/\(token)/"
        }
        let checks = try store.idChecks(caseID: record.id)
        for check in checks where Identifiers.isToken(check.token[...]) && showsIDPage(record, check) {
            pages.append(PlannedPage(path: "kyc/\(check.token)/index.html") { try renderer.kycPage(record, check: check) })
            if check.state == .open { kycPath = "/kyc/\(check.token)/" }
        }
        if let token = record.statusToken, Identifiers.isToken(token[...]), record.showsStatusPage(at: now) {
            pages.append(PlannedPage(path: "status/\(token)/index.html") { [reviewPath, kycPath] in
                let view = StatusPageView(record: record, settings: renderer.settings, history: try store.history(caseID: record.id),
                                          idChecks: checks, reviewPath: reviewPath, kycPath: kycPath, now: now)
                return try renderer.statusPage(view)
            })
        }
        return pages
    }

    /// Unanswered: only while assessed (a withdrawn or canceled assessment has no page). Answered:
    /// the answer stays readable until the link's period ends, except once the case is paid.
    static func showsReview(_ record: Case, now: Int64) -> Bool {
        guard record.reviewToken != nil, let expires = record.reviewExpiresAt, expires > now else { return false }
        if record.decision == nil { return record.status == .assessed }
        return record.status != .paid
    }

    /// Open: while the case can still take an ID (the states `submitID` accepts). Submitted: shows
    /// "受け付けました" until staff verify or reject it, or the case ends.
    static func showsIDPage(_ record: Case, _ check: IDCheck) -> Bool {
        switch check.state {
        case .open: [.assessed, .approved, .purchased].contains(record.status)
        case .submitted: record.status != .canceled && record.status != .paid
        case .verified, .rejected: false
        }
    }
}
