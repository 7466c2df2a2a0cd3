/// One template as published: its library name (`apply`, or `field` for a partial) and the file it
/// came from, which errors name.
public struct TemplateSource: Codable, Equatable, Sendable {
    public var name: String
    public var file: String
    public var source: String

    public init(name: String, file: String, source: String) {
        self.name = name; self.file = file; self.source = source
    }
}
