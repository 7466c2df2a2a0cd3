/// The message templates of `messages:` in shop.yml, by event name (`application_received`, ...).
///
/// Read from shop.yml they are all here at once. Read from the `var/site.json` that `kaitori build`
/// published, each event's templates stay unread in the checked document until first asked for: an
/// application post queues two messages of the fifteen events, and reading every template (10 KB of
/// the file's 15 KB) was about 6 % of the handler's instructions per post (docs/performance.md).
/// The text is checked as JSON when the file is read, so a damaged file is still refused whole; a
/// template of the wrong shape is reported with its path when its event is first asked for.
public struct MessageTemplates: Equatable, Sendable, ExpressibleByDictionaryLiteral {
    private var read: [String: Settings.MessageTemplate]
    /// The published file's `messages` object, its events not read yet (nil for settings from shop.yml).
    private var unread: JSONReader?

    public init(_ templates: [String: Settings.MessageTemplate]) {
        read = templates
        unread = nil
    }

    public init(dictionaryLiteral elements: (String, Settings.MessageTemplate)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// The templates of a published file's `messages` object, left unread (see the type).
    public init(json r: JSONReader) throws {
        guard r.isObject else { throw r.fail("expected an object") }
        read = [:]
        unread = r
    }

    private static func template(_ r: JSONReader) throws -> Settings.MessageTemplate {
        Settings.MessageTemplate(emailSubject: try r["emailSubject"].string(), emailBody: try r["emailBody"].string(),
                                 sms: try r["sms"].string())
    }

    /// The event's templates; nil when the shop has none for it.
    /// - Throws: `JSONValue.MappingError` naming the path when the published file holds something
    ///   else than templates there.
    public func template(for event: String) throws -> Settings.MessageTemplate? {
        if let unread {
            let member = try unread[event]
            return member.exists ? try Self.template(member) : nil
        }
        return read[event]
    }

    /// The event's templates, for settings read from shop.yml and for tests: a published
    /// template that cannot be read counts as none here (`template(for:)` says why).
    public subscript(event: String) -> Settings.MessageTemplate? {
        get { try? template(for: event) }
        set {
            // Changed after reading a published file: every event read first, the readable ones kept.
            if let unread {
                for (name, member) in (try? unread.members()) ?? [] { read[name] = try? Self.template(member) }
                self.unread = nil
            }
            read[event] = newValue
        }
    }

    /// Every event's templates, read.
    public func all() throws -> [String: Settings.MessageTemplate] {
        guard let unread else { return read }
        return try unread.dictionary(Self.template)
    }

    public var isEmpty: Bool { unread.map { $0.count == 0 } ?? read.isEmpty }

    public static func == (a: MessageTemplates, b: MessageTemplates) -> Bool {
        if a.unread == nil, b.unread == nil { return a.read == b.read }
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
