import SitePages

/// Reads `site-templates/*.mustache` (pages and layouts, named by file) and
/// `site-templates/partials/*.mustache` (named by file, included with `{{> name}}`).
enum TemplateFolder {
    static func read(site: String) -> ([TemplateSource], [SiteError]) {
        let root = SitePaths.join(site, SitePaths.templatesFolder)
        guard FileSystem.isDirectory(root) else {
            return ([], [SiteError(file: SitePaths.templatesFolder + "/", message: "is missing; it holds the site's Mustache templates")])
        }
        var sources: [TemplateSource] = []
        var problems: [SiteError] = []
        for (folder, absolute) in [(SitePaths.templatesFolder, root), (SitePaths.partialsFolder, SitePaths.join(site, SitePaths.partialsFolder))] {
            guard FileSystem.isDirectory(absolute) else { continue }
            do {
                for name in try FileSystem.entries(absolute) where name.hasSuffix(".mustache") && !name.hasPrefix(".") {
                    let file = folder + "/" + name
                    let source = try FileSystem.readText(absolute + "/" + name, name: file)
                    sources.append(TemplateSource(name: String(name.dropLast(".mustache".count)), file: file, source: source))
                }
            } catch let error as SiteError {
                problems.append(error)
            } catch {
                problems.append(SiteError(file: folder + "/", message: "\(error)"))
            }
        }
        return (sources, problems)
    }
}
