/// The message templates of `messages:` in shop.yml, by event name (`application_received`, ...).
///
/// Read from shop.yml they are all here at once. Read from the `var/site.json` that `kaitori build`
/// published, each event's templates stay as their JSON text until first asked for: an
/// application post queues two messages of the fifteen events, and reading every template (10 KB of
/// the file's 15 KB) was about 6 % of the handler's instructions per post (docs/performance.md).
/// The text is checked as JSON when the file is read, so a damaged file is still refused whole; a
/// template of the wrong shape is reported with its path when its event is first asked for.
public struct MessageTemplates: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    private var read: [String: Settings.MessageTemplate]
    /// Events not read yet: the text of each one's object in the published file.
    private var unread: [String: JSONText]

    public init(_ templates: [String: Settings.MessageTemplate]) {
        read = templates
        unread = [:]
    }

    public init(dictionaryLiteral elements: (String, Settings.MessageTemplate)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The templates of a published file's `messages` object, left unread (see the type).
    public init(json r: JSONReader) throws {
        read = [:]
        unread = [:]
        if case .unparsed(let text) = r.value {
            for (event, member) in text.members { unread[event] = member }
        } else {
            read = try r.dictionary(Self.template)
        }
    }

    private static func template(_ r: JSONReader) throws -> Settings.MessageTemplate {
        Settings.MessageTemplate(emailSubject: try r["emailSubject"].string(), emailBody: try r["emailBody"].string(),
                                 sms: try r["sms"].string())
    }

    /// The event's templates; nil when the shop has none for it.
    /// - Throws: `JSONValue.MappingError` naming the path when the published file holds something
    ///   else than templates there.
    public func template(for event: String) throws -> Settings.MessageTemplate? {
        if let template = read[event] { return template }
        guard let text = unread[event] else { return nil }
        return try Self.template(JSONReader(text.parse(), path: text.path))
    }

    /// The event's templates, for settings read from shop.yml and for tests: a published
    /// template that cannot be read counts as none here (`template(for:)` says why).
    public subscript(event: String) -> Settings.MessageTemplate? {
        get { try? template(for: event) }
        set {
            unread[event] = nil
            read[event] = newValue
        }
    }

    /// Every event's templates, read.
    public func all() throws -> [String: Settings.MessageTemplate] {
        var all = read
        for (event, _) in unread { all[event] = try template(for: event) }
        return all
    }

    public var isEmpty: Bool { read.isEmpty && unread.isEmpty }

    public static func == (a: MessageTemplates, b: MessageTemplates) -> Bool {
        if a.unread.isEmpty, b.unread.isEmpty { return a.read == b.read }
        guard let left = try? a.all(), let right = try? b.all() else { return false }
        return left == right
    }
}

extension MessageTemplates: Codable {
    public init(from decoder: any Decoder) throws {
        self.init(try [String: Settings.MessageTemplate](from: decoder))
    }

    public func encode(to encoder: any Encoder) throws {
        try all().encode(to: encoder)
    }
}
