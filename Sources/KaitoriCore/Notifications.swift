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
        try queue(event, for: record, in: store) { try context(record, store, extra, kycLink) }
    }

    /// Queues the customer's message for `event` and the shop's for `shopEvent`, both made from one
    /// context (the case as it is now): making it once spares a new application's post a second
    /// one.
    public func queue(_ event: MessageEvent, andShop shopEvent: MessageEvent, for record: Case, in store: CaseStore,
                      kycLink: MustacheValue? = nil) throws {
        var made: MustacheValue?
        func shared() throws -> MustacheValue {
            if let made { return made }
            let context = try context(record, store, [:], kycLink)
            made = context
            return context
        }
        try queue(event, for: record, in: store, context: shared)
        try queueShop(shopEvent, for: record, in: store, context: shared)
    }

    /// `context` is asked for only when there is a message to make.
    private func queue(_ event: MessageEvent, for record: Case, in store: CaseStore, context makeContext: () throws -> MustacheValue) throws {
        guard let route = Notifications.channel(for: record.customer),
              let template = try template(event, record, channel: route.channel, recipient: route.recipient, store: store) else { return }
        let context = try makeContext()
        if route.channel == "email" {
            guard !template.emailBody.isEmpty else { return }
            try enqueue(event, record, channel: "email", recipient: route.recipient,
                        subject: template.emailSubject, body: template.emailBody, context: context, store: store)
        } else {
            guard !template.sms.isEmpty else { return }
            try enqueue(event, record, channel: "sms", recipient: route.recipient, subject: "", body: template.sms,
                        context: context, store: store)
        }
    }

    /// Queues a shop event's message to the shop's notification address, when one is set.
    public func queueShop(_ event: MessageEvent, for record: Case, in store: CaseStore, kycLink: MustacheValue? = nil) throws {
        try queueShop(event, for: record, in: store) { try context(record, store, [:], kycLink) }
    }

    private func queueShop(_ event: MessageEvent, for record: Case, in store: CaseStore, context makeContext: () throws -> MustacheValue) throws {
        let address = settings.delivery.shopNotifyEmail
        guard !address.isEmpty, let template = try template(event, record, channel: "email", recipient: address, store: store),
              !template.emailBody.isEmpty else { return }
        let context = try makeContext()
        try enqueue(event, record, channel: "email", recipient: address, subject: template.emailSubject,
                    body: template.emailBody, context: context, store: store)
    }

    private func context(_ record: Case, _ store: CaseStore, _ extra: [String: MustacheValue], _ kycLink: MustacheValue?) throws -> MustacheValue {
        if let kycLink { return MessageContext.make(settings: settings, record: record, kycLink: kycLink, extra: extra) }
        return try MessageContext.make(settings: settings, record: record, store: store, extra: extra)
    }

    /// The event's templates; nil when the shop has none. A published template of the wrong shape
    /// (a damaged `var/site.json`) is a failed message, like a broken template: it must not lose
    /// the change that caused it.
    private func template(_ event: MessageEvent, _ record: Case, channel: String, recipient: String,
                          store: CaseStore) throws -> Settings.MessageTemplate? {
        do {
            return try settings.messages.template(for: event.rawValue)
        } catch let error as JSONValue.MappingError {
            try failed(event, record, channel: channel, recipient: recipient, reason: "\(error); run `kaitori build` again", store: store)
            return nil
        }
    }

    /// Keeps a message that could not be made as failed, with the reason, for the shop to see in
    /// `kaitori outbox list` and the feed.
    private func failed(_ event: MessageEvent, _ record: Case, channel: String, recipient: String, reason: String,
                        store: CaseStore) throws {
        let now = store.clock.now()
        try store.db.query("""
            INSERT INTO outbox (case_id, event, channel, recipient, subject, body, created_at, next_attempt_at, state, last_error)
            VALUES (?,?,?,?,'','',?,?,'failed',?)
            """, [.int(record.id), .text(event.rawValue), .text(channel), .text(recipient), .int(now), .int(now),
                  .text("template error: \(reason)")])
        try store.addEvent(caseID: record.id, kind: "message_failed", detail: "\(event.rawValue): \(reason)", at: now)
    }

    private func enqueue(_ event: MessageEvent, _ record: Case, channel: String, recipient: String, subject: String,
                         body: String, context: MustacheValue, store: CaseStore) throws {
        let now = store.clock.now()
        do {
            let renderedSubject = try MessageContext.render(subject, name: "messages.\(event.rawValue).email_subject", context)
            let renderedBody = try MessageContext.render(body, name: "messages.\(event.rawValue).\(channel == "sms" ? "sms" : "email_body")", context)
            try store.db.query("""
                INSERT INTO outbox (case_id, event, channel, recipient, subject, body, created_at, next_attempt_at)
                VALUES (?,?,?,?,?,?,?,?)
                """, [.int(record.id), .text(event.rawValue), .text(channel), .text(recipient),
                      .text(renderedSubject.replacingNewlines()), .text(renderedBody), .int(now), .int(now)])
        } catch let error as TemplateError {
            // A broken template must not lose the case.
            try failed(event, record, channel: channel, recipient: recipient, reason: "\(error)", store: store)
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
