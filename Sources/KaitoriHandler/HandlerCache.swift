#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import KaitoriCore
import SitePages

/// What a persistent handler (FastCGI, `kaitori-fcgi`) keeps between requests: the published
/// settings with their parsed templates, and the open store. A CGI process never makes one.
///
/// Nothing kept may outlive what it was read from, so each request first compares the identity
/// (device, inode, modification time, size) of the files against what was read, at the cost of
/// three `stat` calls:
/// - `var/site.json` and `var/site-templates.json`: `kaitori build` replaces them (a new inode),
///   so the first request after a build reads the new settings and templates.
/// - `var/kaitori.sqlite3`: a store restored or moved into place by hand is a new inode; a
///   connection to the old one would keep writing to a file nobody reads, so it is reopened.
public final class HandlerCache {
    private var site = ""
    private var publishedIdentity: [FileIdentity] = []
    private var pages: PublishedPages?
    private var store: CaseStore?
    private var storeIdentity: FileIdentity?

    /// Shared by the threads of one process, each with its own cache: their applications are
    /// committed in batches (nil: each post commits alone, as in a CGI process).
    let groupCommit: GroupCommit?

    public init(groupCommit: GroupCommit? = nil) {
        self.groupCommit = groupCommit
    }

    /// The published site for this request: the kept one while its files are unchanged.
    ///
    /// - Throws: as `PublishedPages(site:)` and its templates.
    func pages(site: String) throws -> PublishedPages {
        let before = Self.publishedFiles(site: site)
        if site == self.site, before == publishedIdentity, let pages { return pages }
        // Settings or templates changed (or first request): everything read from them goes.
        dropAll()
        let fresh = try PublishedPages(site: site)
        // Read the templates now rather than at the first render: they must be the ones that sat
        // next to these settings, not whatever a build writes a moment later.
        _ = try fresh.renderer()
        // A build that replaced a file while it was read: use what was read for this request only,
        // and read again next time.
        if Self.publishedFiles(site: site) == before {
            self.site = site
            publishedIdentity = before
            pages = fresh
        }
        return fresh
    }

    /// The store for this request: the kept connection while the database file is the same one
    /// and the published pages it publishes with are unchanged.
    ///
    /// - Parameter open: opens a new store (with its page publisher) when none can be kept.
    func store(site: String, pages: PublishedPages, open: () throws -> CaseStore) throws -> CaseStore {
        let path = SitePaths.join(site, "var/kaitori.sqlite3")
        if let store, pages === self.pages, let storeIdentity, FileIdentity(path: path) == storeIdentity {
            return store
        }
        dropStore()
        let opened = try open()
        // Only a store publishing with the kept pages is kept; see `pages(site:)`.
        if pages === self.pages, let identity = FileIdentity(path: path) {
            store = opened
            storeIdentity = identity
        }
        return opened
    }

    /// Forgets the store, so the next request opens the database again: after a failure that may
    /// have left the connection in a state no request should inherit (I/O error, full disk).
    public func dropStore() {
        store = nil
        storeIdentity = nil
    }

    /// Forgets everything kept.
    public func dropAll() {
        dropStore()
        pages = nil
        publishedIdentity = []
        site = ""
    }

    private static func publishedFiles(site: String) -> [FileIdentity] {
        [SitePaths.publishedSite, SitePaths.publishedTemplates].map {
            FileIdentity(path: SitePaths.join(site, $0)) ?? .missing
        }
    }
}

/// A file's identity as `stat(2)` tells it: a replaced file (new inode) or one changed in place
/// (new modification time or size) compares unequal.
struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var modifiedSeconds: Int64
    var modifiedNanoseconds: Int64
    var size: Int64

    static let missing = FileIdentity(device: 0, inode: 0, modifiedSeconds: 0, modifiedNanoseconds: 0, size: -1)

    private init(device: UInt64, inode: UInt64, modifiedSeconds: Int64, modifiedNanoseconds: Int64, size: Int64) {
        self.device = device; self.inode = inode
        self.modifiedSeconds = modifiedSeconds; self.modifiedNanoseconds = modifiedNanoseconds
        self.size = size
    }

    /// nil when the file cannot be stat'ed (missing, unreadable folder).
    init?(path: String) {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        #if canImport(Darwin)
        modifiedSeconds = Int64(info.st_mtimespec.tv_sec)
        modifiedNanoseconds = Int64(info.st_mtimespec.tv_nsec)
        #else
        modifiedSeconds = Int64(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(info.st_mtim.tv_nsec)
        #endif
        size = Int64(info.st_size)
    }
}
