import Mustache

/// Queues customer and shop messages in the outbox, inside the caller's transaction, so a
/// message exists exactly when the change that caused it does. Delivery is a separate step
/// (`kaitori outbox send`), so no customer ever waits on a mail server.
public struct Notifications {
    public let settings: Settings

    public init(settings: Settings) { self.settings = settings }

    /// The channel rule of domain.md: the customer's preference; with none, email when there is
    /// an address, else SMS to the phone; with neither, nothing.
    public static func channel(for customer: Customer) -> (channel: String, recipient: String)? {
        switch customer.contact {
        case .email where !customer.email.isEmpty: return ("email", customer.email)
        case .sms where !customer.phone.isEmpty: return ("sms", customer.phone)
        default:
            if !customer.email.isEmpty { return ("email", customer.email) }
            if !customer.phone.isEmpty { return ("sms", customer.phone) }
            return nil
        }
    }

    /// Queues `event`'s message for the case's customer. No template, or an empty one for the
    /// chosen channel, means no message.
    /// - Parameter kycLink: the ID page link when the caller knows it (a new case has none);
    ///   otherwise it is looked up.
    public func queue(_ event: MessageEvent, for record: Case, in store: CaseStore, extra: [String: MustacheValue] = [:],
                      kycLink: MustacheValue? = nil) throws {
        let made = try draft(event, for: record) { try context(record, store, extra, kycLink) }
        try queue(made.map { [$0] } ?? [], caseID: record.id, in: store)
    }

    /// Queues the customer's message for `event` and the shop's for `shopEvent`, both made from one
    /// context (the case as it is now): making it once spares a new application's post a second
    /// one.
    public func queue(_ event: MessageEvent, andShop shopEvent: MessageEvent, for record: Case, in store: CaseStore,
                      kycLink: MustacheValue? = nil) throws {
        let drafts = try drafts(event, andShop: shopEvent, for: record) { try context(record, store, [:], kycLink) }
        try queue(drafts, caseID: record.id, in: store)
    }

    /// A message made and not queued yet: its text, or why it could not be made (a broken
    /// template, a damaged published file), which is queued as a failed message.
    struct Draft: Equatable, Sendable {
        enum Text: Equatable, Sendable {
            case made(subject: String, body: String)
            case failed(reason: String)
        }
        let event: MessageEvent
        let channel: String
        let recipient: String
        let text: Text
    }

    /// Makes the customer's message for `event` and the shop's for `shopEvent` from `record`
    /// without the store, for a caller that queues them later in its transaction
    /// (`queue(_:caseID:in:)`): a new application's messages are made before its transaction takes
    /// the write queue, so that rendering them does not hold the queue (docs/performance.md,
    /// "Statements compiled before the write queue"). The case's id is not part of any message.
    func drafts(_ event: MessageEvent, andShop shopEvent: MessageEvent, for record: Case,
                kycLink: MustacheValue) throws -> [Draft] {
        try drafts(event, andShop: shopEvent, for: record) {
            MessageContext.make(settings: settings, record: record, kycLink: kycLink, extra: [:])
        }
    }

    private func drafts(_ event: MessageEvent, andShop shopEvent: MessageEvent, for record: Case,
                        context makeContext: () throws -> MustacheValue) throws -> [Draft] {
        var made: MustacheValue?
        func shared() throws -> MustacheValue {
            if let made { return made }
            let context = try makeContext()
            made = context
            return context
        }
        return [try draft(event, for: record, context: shared), try draftShop(shopEvent, for: record, context: shared)]
            .compactMap { $0 }
    }

    /// Queues drafts for the case `caseID`, in order, inside the caller's transaction: each made
    /// message in the outbox, each failed one as failed (with its reason) and in the feed.
    func queue(_ drafts: [Draft], caseID: Int64, in store: CaseStore) throws {
        for draft in drafts {
            let now = store.clock.now()
            switch draft.text {
            case let .made(subject, body):
                try store.db.query(Notifications.insertOutbox, [.int(caseID), .text(draft.event.rawValue), .text(draft.channel),
                                                                .text(draft.recipient), .text(subject), .text(body), .int(now), .int(now)])
            case let .failed(reason):
                try store.db.query("""
                    INSERT INTO outbox (case_id, event, channel, recipient, subject, body, created_at, next_attempt_at, state, last_error)
                    VALUES (?,?,?,?,'','',?,?,'failed',?)
                    """, [.int(caseID), .text(draft.event.rawValue), .text(draft.channel), .text(draft.recipient), .int(now), .int(now),
                          .text("template error: \(reason)")])
                try store.addEvent(caseID: caseID, kind: "message_failed", detail: "\(draft.event.rawValue): \(reason)", at: now)
            }
        }
    }

    /// The customer's message for `event`; nil when there is none to send. `context` is asked for
    /// only when there is a message to make.
    private func draft(_ event: MessageEvent, for record: Case, context makeContext: () throws -> MustacheValue) throws -> Draft? {
        guard let route = Notifications.channel(for: record.customer) else { return nil }
        let template: Settings.MessageTemplate
        switch try self.template(event) {
        case .none: return nil
        case .failure(let failure):
            return Draft(event: event, channel: route.channel, recipient: route.recipient, text: .failed(reason: failure.reason))
        case .success(let found): template = found
        }
        if route.channel == "email" {
            guard !template.emailBody.isEmpty else { return nil }
            return try draft(event, channel: "email", recipient: route.recipient, subject: template.emailSubject,
                             body: template.emailBody, context: try makeContext())
        }
        guard !template.sms.isEmpty else { return nil }
        return try draft(event, channel: "sms", recipient: route.recipient, subject: "", body: template.sms, context: try makeContext())
    }

    /// Queues a shop event's message to the shop's notification address, when one is set.
    public func queueShop(_ event: MessageEvent, for record: Case, in store: CaseStore, kycLink: MustacheValue? = nil) throws {
        let made = try draftShop(event, for: record) { try context(record, store, [:], kycLink) }
        try queue(made.map { [$0] } ?? [], caseID: record.id, in: store)
    }

    private func draftShop(_ event: MessageEvent, for record: Case, context makeContext: () throws -> MustacheValue) throws -> Draft? {
        let address = settings.delivery.shopNotifyEmail
        guard !address.isEmpty else { return nil }
        switch try template(event) {
        case .none: return nil
        case .failure(let failure): return Draft(event: event, channel: "email", recipient: address, text: .failed(reason: failure.reason))
        case .success(let template):
            guard !template.emailBody.isEmpty else { return nil }
            return try draft(event, channel: "email", recipient: address, subject: template.emailSubject, body: template.emailBody,
                         context: try makeContext())
        }
    }

    private func context(_ record: Case, _ store: CaseStore, _ extra: [String: MustacheValue], _ kycLink: MustacheValue?) throws -> MustacheValue {
        if let kycLink { return MessageContext.make(settings: settings, record: record, kycLink: kycLink, extra: extra) }
        return try MessageContext.make(settings: settings, record: record, store: store, extra: extra)
    }

    /// The event's templates; nil when the shop has none. A published template of the wrong shape
    /// (a damaged `var/site.json`) is a failed message, like a broken template: it must not lose
    /// the change that caused it.
    private func template(_ event: MessageEvent) throws -> Result<Settings.MessageTemplate, TemplateFailure>? {
        do {
            return try settings.messages.template(for: event.rawValue).map { .success($0) }
        } catch let error as JSONValue.MappingError {
            return .failure(TemplateFailure(reason: "\(error); run `kaitori build` again"))
        }
    }

    private struct TemplateFailure: Error {
        let reason: String
    }

    /// A message's row in the outbox (also compiled ahead of a new application's transaction:
    /// `CaseStore.applicationStatements`).
    static let insertOutbox = """
        INSERT INTO outbox (case_id, event, channel, recipient, subject, body, created_at, next_attempt_at)
        VALUES (?,?,?,?,?,?,?,?)
        """

    /// The message rendered from its templates; a broken template makes a failed draft rather than
    /// an error: it must not lose the case.
    private func draft(_ event: MessageEvent, channel: String, recipient: String, subject: String, body: String,
                       context: MustacheValue) throws -> Draft {
        do {
            let renderedSubject = try MessageContext.render(subject, name: "messages.\(event.rawValue).email_subject", context)
            let renderedBody = try MessageContext.render(body, name: "messages.\(event.rawValue).\(channel == "sms" ? "sms" : "email_body")", context)
            return Draft(event: event, channel: channel, recipient: recipient,
                         text: .made(subject: renderedSubject.replacingNewlines(), body: renderedBody))
        } catch let error as TemplateError {
            return Draft(event: event, channel: channel, recipient: recipient, text: .failed(reason: "\(error)"))
        }
    }
}

extension String {
    /// Header values must be one line.
    func replacingNewlines() -> String {
        // Most subjects hold no line break: no walk through their characters then.
        guard utf8.contains(where: { $0 == 0x0A || $0 == 0x0D }) else { return trimmingSpaces() }
        return String(self.map { $0 == "\n" || $0 == "\r" ? " " : $0 }).trimmingSpaces()
    }

    func trimmingSpaces() -> String { TextNormalizer.trim(self) }
}
