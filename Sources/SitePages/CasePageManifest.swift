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

    /// Replaces every entry (a full build). An entry whose pages are unchanged is left as it is;
    /// a changed one is replaced on its own, atomically; the entry of a case with no pages any
    /// more is removed. (The folder used to be written anew beside the old one and swapped in:
    /// thousands of identical files created and as many deleted on every build of a large shop,
    /// and creating files soon after mass deletions is what a build's time went on: ext4 skips
    /// recently freed inodes one by one, `docs/performance.md`.) Builds hold the build lock, so no
    /// per-case write runs meanwhile.
    public func save(site: String) throws {
        let folder = SitePaths.join(site, SitePaths.casePageManifest)
        // Left by a build of an earlier version, which swapped whole folders.
        try? FileSystem.removeTree(folder + ".new")
        try? FileSystem.removeTree(folder + ".old")
        try FileSystem.makeDirectories(folder, mode: 0o750)
        let existing = Set(try FileSystem.entries(folder))
        for (code, paths) in pages where CasePageManifest.isSafe(code) {
            let text = paths.joined(separator: "\n") + "\n"
            let path = folder + "/" + code
            if existing.contains(code), (try? FileSystem.readText(path)) == text { continue }
            try FileSystem.replaceFile(path, with: text, mode: 0o640)
        }
        // Cases without pages now, and temporary files of an interrupted write.
        for name in existing where pages[name] == nil {
            if unlink(folder + "/" + name) != 0, errno != ENOENT {
                throw SiteError(file: SitePaths.casePageManifest + "/" + name, message: "cannot be removed: \(FileSystem.reason())")
            }
        }
    }

    private static func entryPath(_ site: String, _ code: String) -> String {
        SitePaths.join(site, SitePaths.casePageManifest) + "/" + code
    }

    /// Case codes only (`K7QX-3M9A`): nothing read from the database can name another path.
    private static func isSafe(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 16 && code.unicodeScalars.allSatisfy { ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
