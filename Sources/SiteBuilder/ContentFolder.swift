import SitePages

/// Reads `content/**/*.md` into pages: `content/index.md` is `/`, `content/faq.md` is `/faq/`,
/// `content/guide/index.md` is `/guide/`.
enum ContentFolder {
    /// First path segments the site itself uses; a content page there would hide a real page.
    static let reservedSegments: Set<String> = ["apply", "review", "kyc", "status", "postal", "assets"]

    /// Every page, drafts included (the caller leaves them out), or every problem found.
    static func read(site: String, layouts: [String]) -> ([ContentPage], [SiteError]) {
        let root = SitePaths.join(site, SitePaths.contentFolder)
        guard FileSystem.isDirectory(root) else {
            return ([], [SiteError(file: SitePaths.contentFolder + "/", message: "is missing; it holds the site's pages as Markdown files")])
        }
        var pages: [ContentPage] = []
        var problems: [SiteError] = []
        var owners: [String: String] = [:]
        for relative in markdownFiles(root, prefix: "", problems: &problems) {
            let file = SitePaths.contentFolder + "/" + relative
            let segments = relative.dropLast(3).split(separator: "/").map(String.init)
            if let bad = segments.first(where: { !isURLSegment($0) }) {
                problems.append(SiteError(file: file, message: "'\(bad)' cannot be part of a page address; use lowercase letters, digits, '-' and '_'"))
                continue
            }
            let path = segments.last == "index" ? Array(segments.dropLast()) : segments
            if let first = path.first, reservedSegments.contains(first) {
                problems.append(SiteError(file: file, message: "would be published at /\(first)/, which the site itself uses; rename the file"))
                continue
            }
            let url = path.isEmpty ? "/" : "/" + path.joined(separator: "/") + "/"
            if let other = owners[url] {
                problems.append(SiteError(file: file, message: "would be published at \(url), like \(other); remove one of them"))
                continue
            }
            owners[url] = file
            let text: String
            do {
                text = try FileSystem.readText(SitePaths.join(site, file), name: file)
            } catch let error as SiteError {
                problems.append(error)
                continue
            } catch {
                problems.append(SiteError(file: file, message: "\(error)"))
                continue
            }
            switch FrontMatter.parse(text, file: file) {
            case .failure(let failure):
                problems += failure.problems
            case .success(let (matter, body)):
                guard layouts.contains(matter.layout) else {
                    problems.append(SiteError(file: file, line: 2, message: "layout: no template '\(matter.layout)'; use one of \(layouts.joined(separator: ", "))"))
                    continue
                }
                pages.append(ContentPage(file: file, url: url, title: matter.title, description: matter.description,
                                         layout: matter.layout, menuOrder: matter.menu, draft: matter.draft,
                                         html: Markdown.html(body)))
            }
        }
        return (pages, problems)
    }

    /// The menu: published pages with a `menu` position, in that order (then by address).
    static func menu(_ pages: [ContentPage]) -> [MenuEntry] {
        pages.filter { !$0.draft }
            .compactMap { page in page.menuOrder.map { MenuEntry(title: page.title, url: page.url, order: $0) } }
            .sorted { ($0.order, $0.url) < ($1.order, $1.url) }
    }

    private static func markdownFiles(_ folder: String, prefix: String, problems: inout [SiteError]) -> [String] {
        let names: [String]
        do {
            names = try FileSystem.entries(folder)
        } catch {
            problems.append(SiteError(file: SitePaths.contentFolder + "/" + prefix, message: "cannot be listed: \(error)"))
            return []
        }
        var files: [String] = []
        for name in names where !name.hasPrefix(".") {
            let path = folder + "/" + name
            if FileSystem.isDirectory(path) {
                files += markdownFiles(path, prefix: prefix + name + "/", problems: &problems)
            } else if name.hasSuffix(".md") {
                files.append(prefix + name)
            }
        }
        return files
    }

    private static func isURLSegment(_ segment: String) -> Bool {
        !segment.isEmpty && segment.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }
}
