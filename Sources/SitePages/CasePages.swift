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
        let pages = try pages(for: record, store: store, renderer: renderer, now: now)
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
        var pages: [CasePage] = []
        var reviewPath: String?
        var kycPath: String?
        if let token = record.reviewToken, Identifiers.isToken(token[...]), showsReview(record, now: now) {
            let kycToken = try store.openIDCheckToken(caseID: record.id)
            pages.append(CasePage(path: "review/\(token)/index.html",
                                  html: try renderer.reviewPage(record, kycToken: kycToken, now: now)))
            reviewPath = "/review/\(token)/"
        }
        let checks = try store.idChecks(caseID: record.id)
        for check in checks where Identifiers.isToken(check.token[...]) && showsIDPage(record, check) {
            pages.append(CasePage(path: "kyc/\(check.token)/index.html", html: try renderer.kycPage(record, check: check)))
            if check.state == .open { kycPath = "/kyc/\(check.token)/" }
        }
        if let token = record.statusToken, Identifiers.isToken(token[...]), record.showsStatusPage(at: now) {
            let view = StatusPageView(record: record, settings: renderer.settings, history: try store.history(caseID: record.id),
                                      idChecks: checks, reviewPath: reviewPath, kycPath: kycPath, now: now)
            pages.append(CasePage(path: "status/\(token)/index.html", html: try renderer.statusPage(view)))
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
