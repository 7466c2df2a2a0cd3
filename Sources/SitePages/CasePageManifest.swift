import FoundationEssentials

/// Which files under `public/` each case owns (`var/case-pages.json`). A reissued or withdrawn
/// review link replaces the token in the database, so without this list a per-case write could not
/// find the old page to remove it.
public struct CasePageManifest: Codable, Equatable, Sendable {
    /// Case code → paths relative to `public/`.
    public var pages: [String: [String]]

    public init(pages: [String: [String]] = [:]) { self.pages = pages }

    /// The manifest on disk; a missing or unreadable one counts as empty (the next full build
    /// rewrites every page from the database and so removes whatever a lost entry left behind).
    public static func load(site: String) -> CasePageManifest {
        let path = SitePaths.join(site, SitePaths.casePageManifest)
        guard let bytes = try? FileSystem.readBytes(path),
              let manifest = try? JSONDecoder().decode(CasePageManifest.self, from: Data(bytes)) else {
            return CasePageManifest()
        }
        return manifest
    }

    public func save(site: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        try FileSystem.replaceFile(SitePaths.join(site, SitePaths.casePageManifest), with: Array(encoder.encode(self)), mode: 0o640)
    }

    public mutating func set(_ code: String, _ paths: [String]) {
        pages[code] = paths.isEmpty ? nil : paths
    }
}
