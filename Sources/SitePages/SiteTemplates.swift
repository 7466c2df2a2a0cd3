import Mustache

/// The site's parsed templates: the pages the code renders by name, the layout every page is
/// wrapped in, and the partials (`site-templates/partials/*.mustache`) they include.
public struct SiteTemplates: Sendable {
    /// Templates the code renders; a shop folder without one of these cannot be built.
    public static let required = ["layout", "page", "home", "apply", "apply-confirm", "applied", "review", "review-confirm",
                                  "kyc", "status", "error"]
    /// Required templates that are not content layouts: a content file may not name them in `layout`.
    public static let reserved: Set<String> = ["layout", "apply", "apply-confirm", "applied", "review", "review-confirm", "kyc",
                                               "status", "error"]

    public let sources: [TemplateSource]
    let library: TemplateLibrary

    /// Parses every source, collecting every problem instead of stopping at the first.
    public static func parse(_ sources: [TemplateSource]) -> (SiteTemplates?, [SiteError]) {
        var library = TemplateLibrary()
        var problems: [SiteError] = []
        var seen: [String: String] = [:]
        for source in sources {
            if let earlier = seen[source.name] {
                problems.append(SiteError(file: source.file, message: "has the same name '\(source.name)' as \(earlier); rename one of them"))
                continue
            }
            seen[source.name] = source.file
            switch Result(catching: { () throws(TemplateError) in try Template(source: source.source, name: source.file) }) {
            case .success(let template): library[source.name] = template
            case .failure(let error): problems.append(SiteError(error))
            }
        }
        for name in required where seen[name] == nil {
            problems.append(SiteError(file: "\(SitePaths.templatesFolder)/\(name).mustache", message: "is missing; every site needs it"))
        }
        guard problems.isEmpty else { return (nil, problems) }
        return (SiteTemplates(sources: sources, library: library), [])
    }

    /// Parses `sources`, throwing the first problem.
    public init(sources: [TemplateSource]) throws {
        let (templates, problems) = SiteTemplates.parse(sources)
        guard let templates else { throw problems[0] }
        self = templates
    }

    private init(sources: [TemplateSource], library: TemplateLibrary) {
        self.sources = sources
        self.library = library
    }

    public func has(_ name: String) -> Bool { library[name] != nil }

    /// Top-level templates a content file may use as its `layout`.
    public var layouts: [String] {
        sources.filter { !$0.file.hasPrefix(SitePaths.partialsFolder + "/") && !SiteTemplates.reserved.contains($0.name) }
            .map(\.name).sorted()
    }

    func render(_ name: String, _ context: MustacheValue) throws -> String {
        switch Result(catching: { () throws(TemplateError) in try library.render(name, context, escaping: .html) }) {
        case .success(let html): return html
        case .failure(let error): throw SiteError(error)
        }
    }
}

extension SiteError {
    init(_ error: TemplateError) {
        self.init(file: error.file, line: error.line, column: error.column, message: error.message)
    }
}
