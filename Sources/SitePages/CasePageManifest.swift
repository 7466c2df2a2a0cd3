#if canImport(Glibc)
import Glibc
#endif

/// Which files under `public/` belong to which case, so a per-case write can remove pages whose
/// token has since changed (a reissued or withdrawn link leaves no trace in the database).
///
/// One small file per case (`var/case-pages/CODE`, a path a line): a per-case write reads and
/// writes only its own case's entry, so its cost does not grow with the number of cases.
public struct CasePageManifest: Equatable, Sendable {
    public var pages: [String: [String]]

    public init(pages: [String: [String]] = [:]) { self.pages = pages }

    public mutating func set(_ code: String, _ paths: [String]) {
        pages[code] = paths.isEmpty ? nil : paths
    }

    /// The pages recorded for one case.
    public static func pages(site: String, code: String) -> [String] {
        guard isSafe(code), let text = try? FileSystem.readText(entryPath(site, code)) else { return [] }
        return text.split(separator: "\n").map(String.init).filter(CasePage.isCasePagePath)
    }

    /// Records one case's pages (none removes its entry).
    public static func save(site: String, code: String, paths: [String]) throws {
        guard isSafe(code) else { return }
        let folder = SitePaths.join(site, SitePaths.casePageManifest)
        try FileSystem.makeDirectories(folder, mode: 0o750)
        let path = entryPath(site, code)
        if paths.isEmpty {
            if unlink(path) != 0, errno != ENOENT {
                throw SiteError(file: SitePaths.casePageManifest + "/" + code, message: "cannot be removed: \(FileSystem.reason())")
            }
        } else {
            try FileSystem.replaceFile(path, with: paths.joined(separator: "\n") + "\n", mode: 0o640)
        }
    }

    /// Replaces every entry (a full build): written beside the folder, then swapped in.
    public func save(site: String) throws {
        let folder = SitePaths.join(site, SitePaths.casePageManifest)
        let fresh = folder + ".new"
        let old = folder + ".old"
        try? FileSystem.removeTree(fresh)
        try? FileSystem.removeTree(old)
        try FileSystem.makeDirectories(fresh, mode: 0o750)
        for (code, paths) in pages where CasePageManifest.isSafe(code) {
            try FileSystem.writeFile(paths.joined(separator: "\n") + "\n", to: fresh + "/" + code, mode: 0o640)
        }
        if FileSystem.exists(folder), rename(folder, old) != 0 {
            throw SiteError(file: SitePaths.casePageManifest, message: "cannot be replaced: \(FileSystem.reason())")
        }
        guard rename(fresh, folder) == 0 else {
            throw SiteError(file: SitePaths.casePageManifest, message: "cannot be replaced: \(FileSystem.reason())")
        }
        try? FileSystem.removeTree(old)
    }

    private static func entryPath(_ site: String, _ code: String) -> String {
        SitePaths.join(site, SitePaths.casePageManifest) + "/" + code
    }

    /// Case codes only (`K7QX-3M9A`): nothing read from the database can name another path.
    private static func isSafe(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 16 && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
