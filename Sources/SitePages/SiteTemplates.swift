import Mustache
import Synchronization

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
    private let parsed: Parsed

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
        self.parsed = Parsed(library: library, unparsed: [:])
    }

    /// Templates a build has already checked (`var/site-templates.json`), each parsed only when a
    /// page first needs it, with the partials it includes. The handler, the console and the page
    /// publisher render one or two pages per process: parsing all of them was most of the cost of
    /// writing the status page on every application post (docs/performance.md).
    public init(checked sources: [TemplateSource]) {
        var unparsed: [String: TemplateSource] = [:]
        for source in sources where unparsed[source.name] == nil { unparsed[source.name] = source }
        self.sources = sources
        self.parsed = Parsed(library: TemplateLibrary(), unparsed: unparsed)
    }

    public func has(_ name: String) -> Bool { parsed.has(name) }

    /// Top-level templates a content file may use as its `layout`.
    public var layouts: [String] {
        sources.filter { !$0.file.hasPrefix(SitePaths.partialsFolder + "/") && !SiteTemplates.reserved.contains($0.name) }
            .map(\.name).sorted()
    }

    func render(_ name: String, _ context: MustacheValue) throws -> String {
        switch Result(catching: { () throws(TemplateError) in
            try parsed.library(for: name).render(name, context, escaping: .html)
        }) {
        case .success(let html): return html
        case .failure(let error): throw SiteError(error)
        }
    }
}

/// The parsed templates, and the sources of those not parsed yet (none when built with `parse`).
/// Shared by copies of a `SiteTemplates`, behind a lock so a renderer may be used from any thread.
private final class Parsed: Sendable {
    private let state: Mutex<(library: TemplateLibrary, unparsed: [String: TemplateSource])>

    init(library: TemplateLibrary, unparsed: [String: TemplateSource]) {
        state = Mutex((library, unparsed))
    }

    func has(_ name: String) -> Bool {
        state.withLock { $0.library[name] != nil || $0.unparsed[name] != nil }
    }

    /// A library holding `name` and every partial it includes, directly or through other partials,
    /// parsing those not parsed yet. A name with no source is left out: rendering reports it.
    func library(for name: String) throws(TemplateError) -> TemplateLibrary {
        let result = state.withLock { state -> Result<TemplateLibrary, TemplateError> in
            var wanted = [name]
            while let next = wanted.popLast() {
                guard state.library[next] == nil, let source = state.unparsed[next] else { continue }
                switch Result(catching: { () throws(TemplateError) in try Template(source: source.source, name: source.file) }) {
                case .success(let template):
                    state.library[next] = template
                    state.unparsed[next] = nil
                    wanted.append(contentsOf: template.partialNames)
                case .failure(let error):
                    return .failure(error)
                }
            }
            return .success(state.library)
        }
        return try result.get()
    }
}

extension SiteError {
    init(_ error: TemplateError) {
        self.init(file: error.file, line: error.line, column: error.column, message: error.message)
    }
}
