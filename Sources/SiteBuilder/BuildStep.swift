import KaitoriCore
import SettingsFile
import SitePages

/// One stage of the build. The default pipeline is a literal list, run in order with a
/// `[i/n] name` progress line each; the first step that fails stops the build.
struct BuildStep {
    let name: String
    let run: (BuildContext) throws -> Void

    static let pipeline: [BuildStep] = [
        .readSettings, .loadTemplates, .readContent, .checkTemplates, .prepareOutput,
        .writeContentPages, .writeFormPages, .writeCasePages, .writeMaps, .copyAssets, .copyPostal, .publish,
    ]

    static let readSettings = BuildStep(name: "Read shop.yml") { context in
        do {
            var settings = try SettingsFile.require(site: context.site)
            if let baseURL = context.baseURL { settings.site.baseURL = baseURL }
            context.settings = settings
        } catch let error as SettingsError {
            throw StepFailure(error.problems.map { SiteError(file: $0.file, line: $0.line, message: "\($0.key): \($0.message)") })
        }
    }

    static let loadTemplates = BuildStep(name: "Load site-templates/") { context in
        let (sources, readProblems) = TemplateFolder.read(site: context.site)
        guard readProblems.isEmpty else { throw StepFailure(readProblems) }
        let (templates, problems) = SiteTemplates.parse(sources)
        guard let templates else { throw StepFailure(problems) }
        context.templates = templates
        context.assetVersion = try AssetFolder.version(site: context.site)
    }

    static let readContent = BuildStep(name: "Read content/") { context in
        let templates = try context.require(context.templates, "the templates")
        let (pages, problems) = ContentFolder.read(site: context.site, layouts: templates.layouts)
        guard problems.isEmpty else { throw StepFailure(problems) }
        context.content = pages.filter { !$0.draft }
        context.renderer = SiteRenderer(settings: try context.require(context.settings, "the settings"),
                                        menu: ContentFolder.menu(pages), templates: templates,
                                        assetVersion: context.assetVersion)
    }

    static let checkTemplates = BuildStep(name: "Check form, review and ID page templates") { context in
        try TemplatePreview.check(try context.require(context.renderer, "the renderer"), now: context.now)
    }

    static let prepareOutput = BuildStep(name: "Lock var/build.lock and prepare the build folder") { context in
        context.lock = try BuildLock.acquire(site: context.site)
        context.output = try OutputFolder.prepare(site: context.site)
    }

    static let writeContentPages = BuildStep(name: "Write content pages") { context in
        let renderer = try context.require(context.renderer, "the renderer")
        let output = try context.require(context.output, "the build folder")
        for page in context.content {
            try output.write(String(page.url.dropFirst()) + "index.html", renderer.contentPage(page))
            context.indexedPaths.append(page.url)
            context.pages += 1
        }
    }

    static let writeFormPages = BuildStep(name: "Write the application form and status pages") { context in
        let renderer = try context.require(context.renderer, "the renderer")
        let output = try context.require(context.output, "the build folder")
        try output.write("apply/index.html", renderer.applyForm(values: FormValues(), errors: nil))
        context.indexedPaths.append("/apply/")
        let notFound = try renderer.errorPage(status: 404, title: CustomerText.notFoundTitle, message: CustomerText.notFound, backURL: nil)
        // The token folders get an index page so that a server with directory listings switched
        // on can never list every customer's link.
        for path in ["404.html", "review/index.html", "kyc/index.html"] { try output.write(path, notFound) }
        context.pages += 4
    }

    static let writeCasePages = BuildStep(name: "Write review and ID pages") { context in
        let database = SitePaths.join(context.site, "var/kaitori.sqlite3")
        // `site.case_pages: handler`: every page is rendered per request, none is a file.
        guard try context.require(context.settings, "the settings").site.casePages == .files else { return }
        let renderer = try context.require(context.renderer, "the renderer")
        let setting = renderer.settings.store
        guard setting != .sqlite || FileSystem.exists(database) else { return }
        let output = try context.require(context.output, "the build folder")
        do {
            let open = { try CaseStore.open(site: context.site, store: setting, clock: FixedClock(context.now), pages: nil) }
            let store = try open()
            let written = try CasePageWriter.write(codes: try store.codesWithCustomerPages(now: context.now), store: store,
                                                   threads: context.caseThreads, open: open, renderer: renderer,
                                                   output: output, now: context.now)
            for entry in written.manifest { context.manifest.set(entry.code, entry.paths) }
            context.casePages += written.pages
        } catch let error as StoreError {
            throw SiteError(file: setting == .sqlite ? "var/kaitori.sqlite3" : "store (shop.yml)", message: error.description)
        }
        context.pages += context.casePages
    }

    static let writeMaps = BuildStep(name: "Write robots.txt and sitemap.xml") { context in
        let settings = try context.require(context.settings, "the settings")
        let output = try context.require(context.output, "the build folder")
        try output.write("robots.txt", RobotsFile.text(settings: settings))
        try output.write("sitemap.xml", Sitemap.xml(paths: context.indexedPaths, settings: settings))
    }

    static let copyAssets = BuildStep(name: "Copy site-templates/assets/") { context in
        let output = try context.require(context.output, "the build folder")
        context.assets = try AssetFolder.copy(site: context.site, to: output.path + "/assets")
    }

    /// The postal-code shards, when the shop imported them; without them the form's address is typed.
    static let copyPostal = BuildStep(name: "Copy var/postal/ (postal-code shards)") { context in
        let output = try context.require(context.output, "the build folder")
        let source = SitePaths.join(context.site, SitePaths.postalFolder)
        guard FileSystem.isDirectory(source) else { return }
        try FileSystem.makeDirectories(output.path + "/postal")
        for name in try FileSystem.entries(source) where name.hasSuffix(".json") && !name.hasPrefix(".") {
            try FileSystem.writeFile(try FileSystem.readText(source + "/" + name), to: output.path + "/postal/" + name, mode: 0o644)
        }
    }

    static let publish = BuildStep(name: "Swap in public/ and publish var/site.json") { context in
        let templates = try context.require(context.templates, "the templates")
        let renderer = try context.require(context.renderer, "the renderer")
        let published = PublishedSite(settings: renderer.settings, menu: renderer.menu,
                                      assetVersion: context.assetVersion, builtAt: context.now)
        // Encoded before the swap, so what follows it is a few small writes in var/ and the delete.
        let encoded = try published.encoded()
        let encodedTemplates = try PublishedSite.encodedTemplates(templates.sources)
        let output = try context.require(context.output, "the build folder")
        try output.publish()
        try FileSystem.replaceFile(SitePaths.join(context.site, SitePaths.publishedTemplates), with: encodedTemplates, mode: 0o640)
        try FileSystem.replaceFile(SitePaths.join(context.site, SitePaths.publishedSite), with: encoded, mode: 0o640)
        try context.manifest.save(site: context.site)
        try output.removePrevious()
    }
}

/// Every problem of one step; the runner adds the step's name.
struct StepFailure: Error {
    var problems: [SiteError]
    init(_ problems: [SiteError]) { self.problems = problems }
}
