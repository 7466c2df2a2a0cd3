#if canImport(Glibc)
import Glibc
#endif

/// The case store: one SQLite database under the shop's `var/` (the default), or a PostgreSQL
/// database shared by several web hosts (`store:` in shop.yml). Every change goes through a
/// method here, inside one transaction, together with its history row, shop event and queued
/// messages, so nothing is ever half-written.
public final class CaseStore {
    public let db: Database
    public let clock: any Clock
    /// Publishes the customer pages of changed cases after each commit (nil: nobody publishes,
    /// e.g. the site build, which writes every page itself, and tests of the store alone).
    public let pages: (any CasePagePublisher)?
    /// Cases changed by the open transaction, in the order first changed.
    private var touched: [Int64] = []
    /// Where new case codes come from (random; tests draw known ones to meet a code already taken).
    var drawCaseCode: () -> String = Identifiers.caseCode

    /// The schema version a migrated database reports in `PRAGMA user_version`.
    public static var schemaVersion: Int { Schema.count }

    /// The shop folder: the parent of `var/` holding the database (stored files and keys are found from it).
    public let site: String

    public convenience init(path: String, clock: any Clock = SystemClock(), pages: (any CasePagePublisher)? = nil) throws {
        // The path up to its last "/" (`joined(separator:)` here cost the handler 0.2 M instructions
        // of run-time type look-ups on every post).
        let folder = path.lastIndex(of: "/").map { String(path[..<$0]) } ?? ""
        let site = folder.hasSuffix("/var") ? String(folder.dropLast(4)) : (folder == "var" ? "." : folder)
        try self.init(database: try Database(path: path), site: site, clock: clock, pages: pages)
    }

    /// A store on PostgreSQL for the shop folder `site` (keys and SQLite-era files are found from it).
    public convenience init(postgres location: PostgresLocation, site: String, clock: any Clock = SystemClock(),
                            pages: (any CasePagePublisher)? = nil) throws {
        try self.init(database: try Database(postgres: location), site: site, clock: clock, pages: pages)
    }

    private init(database: Database, site: String, clock: any Clock, pages: (any CasePagePublisher)?) throws {
        db = database
        self.clock = clock
        self.pages = pages
        self.site = site
        try Schema.migrate(db)
        db.afterCommit = { [unowned self] in self.publishTouched() }
        db.afterRollback = { [unowned self] in self.touched.removeAll() }
    }

    /// `var/kaitori.sqlite3` in a shop folder, creating `var/` (mode 0700) when needed.
    /// - Parameter pages: who rewrites a case's customer pages after a change. Every caller that
    ///   changes cases passes `SitePagePublisher` (SitePages); passing nil is a decision, not a default.
    public static func open(site: String, clock: any Clock = SystemClock(), pages: (any CasePagePublisher)?) throws -> CaseStore {
        try open(site: site, store: .sqlite, clock: clock, pages: pages)
    }

    /// The shop's store as `store:` in shop.yml says: `var/kaitori.sqlite3`, or PostgreSQL.
    public static func open(site: String, store: Settings.Store, clock: any Clock = SystemClock(),
                            pages: (any CasePagePublisher)?) throws -> CaseStore {
        if case .postgres(let location) = store {
            return try CaseStore(postgres: location, site: site, clock: clock, pages: pages)
        }
        let dir = site + "/var"
        if mkdir(dir, 0o700) != 0, errno != EEXIST {
            throw StoreError.unavailable("cannot create \(dir): \(String(cString: strerror(errno)))")
        }
        return try CaseStore(path: dir + "/kaitori.sqlite3", clock: clock, pages: pages)
    }

    // MARK: Changes and their pages

    /// Records that a case changed (and bumps its `updated_at`). Every store method that changes
    /// what a customer page shows without moving the status calls it inside its transaction;
    /// `move` calls it for every status change. After the commit the page publisher rewrites the
    /// case's pages; after a rollback nothing is published.
    public func touch(caseID: Int64) throws {
        try db.query("UPDATE cases SET updated_at = ? WHERE id = ?", [.int(clock.now()), .int(caseID)])
        if !touched.contains(caseID) { touched.append(caseID) }
        if !db.inTransaction { publishTouched() }
    }

    private func publishTouched() {
        let ids = touched
        touched.removeAll()
        guard let pages, !ids.isEmpty else { return }
        var codes: [String] = []
        for id in ids {
            if let row = try? db.query("SELECT code FROM cases WHERE id = ?", [.int(id)]).first { codes.append(row.string("code")) }
        }
        if !codes.isEmpty { pages.publish(codes: codes, store: self) }
    }

    // MARK: Creating cases

    /// Stores a validated application as a new case. The same non-empty `submissionID` twice
    /// returns the first case instead of creating another (double click, reloaded POST).
    /// - Parameter poster: who posted the application, for the spam and abuse limits (nil: staff,
    ///   a renegotiation copy); `AbuseRefusal` is thrown with nothing stored.
    /// - Returns: the case and whether it was created by this call.
    public func create(_ app: Application, settings: Settings, by actor: Actor = .customer,
                       initialStatus: CaseStatus = .received, parentID: Int64? = nil,
                       notify: Bool = true, poster: Poster? = nil) throws -> (Case, created: Bool) {
        let now = clock.now()
        let statusToken = Identifiers.token()
        let firstCode = drawCaseCode()
        let c = app.customer
        // Built from what is about to be inserted rather than read back: this is on every post's path.
        func newCase(id: Int64, code: String) -> Case {
            Case(id: id, code: code, status: initialStatus, createdAt: now, updatedAt: now,
                 parentCode: nil, customer: c, payout: app.payout, declaredItems: app.items, boxes: app.boxes,
                 kit: app.kit, pickupDate: app.pickupDate, pickupSlot: app.pickupSlot, notes: app.notes,
                 trackingNumber: "", reviewToken: nil, reviewExpiresAt: nil, assessedAt: nil, decision: nil,
                 decidedAt: nil, signatureName: nil, signatureFileID: nil, approvedAt: nil, purchasedAt: nil,
                 paidAt: nil, payoutBatchID: nil, items: [], statusToken: statusToken)
        }
        // The messages and the statements of the transaction are made before it takes the write
        // queue, so that the queue is held for the writes alone (`Database.prepareAhead` says why).
        // A message is made from the case as it will be stored; the case's id is in none of them.
        let notifications = notify ? Notifications(settings: settings) : nil
        let drafted = parentID == nil
            ? try notifications?.drafts(.applicationReceived, andShop: .shopApplication, for: newCase(id: 0, code: firstCode), kycLink: .null)
            : nil
        db.prepareAhead(CaseStore.applicationStatements)
        return try db.transaction {
            // The same post again (a double click, a reload) is the case it made, whatever the limits.
            if !app.submissionID.isEmpty,
               let existing = try db.query(SQL.caseBySubmission, [.text(app.submissionID)]).first {
                return (try load(id: existing.int("id")), false)
            }
            // A customer post: its rate limit and daily caps in this same transaction.
            if let poster { try screen(app, poster: poster, settings: settings, now: now) }
            var caseID: Int64 = 0
            var code = firstCode
            // A code already taken inserts nothing (ON CONFLICT DO NOTHING: on PostgreSQL an error
            // would abort the whole transaction) and another is drawn.
            for attempt in 0..<20 {
                if attempt > 0 { code = drawCaseCode() }
                if let id = try insertCase(app, code: code, statusToken: statusToken, status: initialStatus, parentID: parentID, now: now) {
                    caseID = id
                    break
                }
            }
            guard caseID != 0 else { throw StoreError.failed("could not find a free case code") }
            try db.query(SQL.insertCustomer, [.int(caseID), .text(c.name), .text(c.kana), .text(c.birthDate), .text(c.occupation),
                      .text(c.postalCode), .text(c.prefecture), .text(c.address), .text(c.building),
                      .text(c.phone), .text(c.email), .of(c.contact?.rawValue)])
            for (i, item) in app.items.enumerated() {
                try db.query(SQL.insertDeclaredItem, [.int(caseID), .int(Int64(i + 1)), .text(item.category), .text(item.description), .int(Int64(item.quantity))])
            }
            try recordHistory(caseID: caseID, from: nil, to: initialStatus, by: actor, note: parentID == nil ? "" : "renegotiation", at: now)
            var record = newCase(id: caseID, code: code)
            if parentID != nil { record = try load(id: caseID) }
            if let notifications {
                try addEvent(caseID: caseID, kind: "application", detail: "\(c.name) 様から申込", at: now)
                // Made again here only if the first code was taken (or for a renegotiation copy).
                let drafts = try (code == firstCode ? drafted : nil)
                    ?? notifications.drafts(.applicationReceived, andShop: .shopApplication, for: record, kycLink: .null)
                try notifications.queue(drafts, caseID: caseID, in: self)
            }
            if settings.autoConfirm, initialStatus == .received {
                try move(&record, to: .confirmed, by: .system, action: "confirm", note: "auto-confirm")
            }
            // A new case has no page files yet, and gets none here: rendering its status page on
            // the application's own path cost a quarter of the post (docs/performance.md). Until
            // its first change writes the file, the web server hands `/status/{token}/` to the
            // handler, which renders the same page from the store (`CasePages.page`).
            touched.removeAll { $0 == caseID }
            return (record, true)
        }
    }

    /// Stores several validated applications in one transaction, each as `create` would (its own
    /// rules, limits and messages, in a savepoint, so one refused application leaves the others
    /// whole), with one commit: one `fdatasync` for the whole batch instead of one per case. A
    /// persistent handler answering many posts at once gathers them into batches (group commit,
    /// `GroupCommit` in KaitoriHandler); nothing is acknowledged before the commit.
    /// - Returns: each application's outcome, in order. A failed commit throws: nothing was stored.
    public func createBatch(_ batch: [(application: Application, settings: Settings, poster: Poster?)])
        throws -> [Result<Case, any Error>] {
        db.prepareAhead(CaseStore.applicationStatements)
        return try db.transaction {
            batch.map { item in Result { try create(item.application, settings: item.settings, poster: item.poster).0 } }
        }
    }

    private func insertCase(_ app: Application, code: String, statusToken: String, status: CaseStatus, parentID: Int64?,
                            now: Int64) throws -> Int64? {
        let p = app.payout
        return try db.insert(SQL.insertCase, [.text(code), .text(statusToken), .text(status.rawValue), .int(now), .int(now),
                  app.submissionID.isEmpty ? .null : .text(app.submissionID), .of(parentID),
                  .text(p.method), .text(p.bankCode), .text(p.branchCode), .int(Int64(p.accountType)),
                  .text(p.accountNumber), .text(p.accountHolder), .int(Int64(app.boxes)), .of(app.kit),
                  .text(app.pickupDate), .text(app.pickupSlot), .text(app.notes)])
    }

    /// The statements a new application's transaction runs, by name, so that `create` can have
    /// them compiled before it takes the write queue (`Database.prepareAhead`) and run the very
    /// same texts inside it.
    enum SQL {
        static let caseBySubmission = "SELECT id FROM cases WHERE submission_id = ?"
        static let insertCase = """
            INSERT INTO cases (code, status_token, status, created_at, updated_at, submission_id, parent_id, payout_method,
                bank_code, branch_code, account_type, account_number, account_holder, boxes, kit, pickup_date, pickup_slot, notes)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            ON CONFLICT (code) DO NOTHING
            """
        static let insertCustomer = """
            INSERT INTO customers (case_id, name, kana, birth_date, occupation, postal_code, prefecture, address,
                building, phone, email, contact) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)
            """
        static let insertDeclaredItem = "INSERT INTO declared_items (case_id, position, category, description, quantity) VALUES (?,?,?,?,?)"
        static let insertHistory = "INSERT INTO history (case_id, from_status, to_status, at, actor_kind, actor_name, note) VALUES (?,?,?,?,?,?,?)"
        static let insertEvent = "INSERT INTO events (case_id, kind, at, detail) VALUES (?,?,?,?)"
    }

    /// Every statement of a new application's transaction that runs whatever the shop's settings
    /// (the spam limits' counts, when set, are compiled where they run).
    static let applicationStatements = [SQL.caseBySubmission, SQL.insertCase, SQL.insertCustomer, SQL.insertDeclaredItem,
                                        SQL.insertHistory, SQL.insertEvent, Notifications.insertOutbox]

    // MARK: Transitions

    /// Moves a case to `target`, the only way a status changes. Refuses anything domain.md does
    /// not allow, naming the case, its status and the refused action.
    public func move(_ record: inout Case, to target: CaseStatus, by actor: Actor, action: String, note: String = "") throws {
        let current = try status(ofCaseID: record.id)
        guard current.canMove(to: target) else {
            throw StoreError.illegalTransition(code: record.code, status: current, action: action)
        }
        let now = clock.now()
        try db.query("UPDATE cases SET status = ?, updated_at = ? WHERE id = ? AND status = ?",
                     [.text(target.rawValue), .int(now), .int(record.id), .text(current.rawValue)])
        guard db.changes == 1 else { throw StoreError.illegalTransition(code: record.code, status: current, action: action) }
        try recordHistory(caseID: record.id, from: current, to: target, by: actor, note: note, at: now)
        if !touched.contains(record.id) { touched.append(record.id) }
        record.status = target
        record.updatedAt = now
    }

    func status(ofCaseID id: Int64) throws -> CaseStatus {
        guard let row = try db.query("SELECT status FROM cases WHERE id = ?", [.int(id)]).first,
              let status = CaseStatus(rawValue: row.string("status")) else {
            throw StoreError.notFound("no case with id \(id)")
        }
        return status
    }

    func recordHistory(caseID: Int64, from: CaseStatus?, to: CaseStatus, by actor: Actor, note: String, at: Int64) throws {
        try db.query(SQL.insertHistory, [.int(caseID), .of(from?.rawValue), .text(to.rawValue), .int(at), .text(actor.kind), .of(actor.name), .text(note)])
    }

    /// Adds an entry to the shop's feed of customer events.
    public func addEvent(caseID: Int64?, kind: String, detail: String, at: Int64? = nil) throws {
        try db.query(SQL.insertEvent, [.of(caseID), .text(kind), .int(at ?? clock.now()), .text(detail)])
    }

    // MARK: Reading

    public func load(code: String) throws -> Case {
        let normalized = Identifiers.normalizeCode(code)
        guard let row = try db.query("SELECT id FROM cases WHERE code = ?", [.text(normalized)]).first else {
            throw StoreError.notFound("no case with code \(code)")
        }
        return try load(id: row.int("id"))
    }

    public func load(reviewToken token: String) throws -> Case? {
        guard let row = try db.query("SELECT id FROM cases WHERE review_token = ?", [.text(token)]).first else { return nil }
        return try load(id: row.int("id"))
    }

    public func load(id: Int64) throws -> Case {
        guard let r = try db.query("""
            SELECT c.*, u.name, u.kana, u.birth_date, u.occupation, u.postal_code, u.prefecture, u.address, u.building,
                   u.phone, u.email, u.contact, p.code AS parent_code
            FROM cases c JOIN customers u ON u.case_id = c.id LEFT JOIN cases p ON p.id = c.parent_id
            WHERE c.id = ?
            """, [.int(id)]).first else { throw StoreError.notFound("no case with id \(id)") }
        let customer = Customer(name: r.string("name"), kana: r.string("kana"), birthDate: r.string("birth_date"),
                                occupation: r.string("occupation"), postalCode: r.string("postal_code"),
                                prefecture: r.string("prefecture"), address: r.string("address"),
                                building: r.string("building"), phone: r.string("phone"), email: r.string("email"),
                                contact: r.optionalString("contact").flatMap(ContactChannel.init(rawValue:)))
        let payout = Payout(method: r.string("payout_method"), bankCode: r.string("bank_code"),
                            branchCode: r.string("branch_code"), accountType: Int(r.int("account_type")),
                            accountNumber: r.string("account_number"), accountHolder: r.string("account_holder"))
        let declared = try db.query("SELECT * FROM declared_items WHERE case_id = ? ORDER BY position", [.int(id)]).map {
            DeclaredItem(category: $0.string("category"), description: $0.string("description"), quantity: Int($0.int("quantity")))
        }
        return Case(id: id, code: r.string("code"), status: CaseStatus(rawValue: r.string("status")) ?? .received,
                    createdAt: r.int("created_at"), updatedAt: r.int("updated_at"),
                    parentCode: r.optionalString("parent_code"), customer: customer, payout: payout,
                    declaredItems: declared, boxes: Int(r.int("boxes")), kit: r.bool("kit"),
                    pickupDate: r.string("pickup_date"), pickupSlot: r.string("pickup_slot"), notes: r.string("notes"),
                    trackingNumber: r.string("tracking_number"),
                    reviewToken: r.optionalString("review_token"), reviewExpiresAt: r.optionalInt("review_expires_at"),
                    assessedAt: r.optionalInt("assessed_at"),
                    decision: r.optionalString("decision").flatMap(Case.Decision.init(rawValue:)),
                    decidedAt: r.optionalInt("decided_at"), signatureName: r.optionalString("signature_name"),
                    signatureFileID: r.optionalInt("signature_file_id"), approvedAt: r.optionalInt("approved_at"),
                    purchasedAt: r.optionalInt("purchased_at"), paidAt: r.optionalInt("paid_at"),
                    payoutBatchID: r.optionalInt("payout_batch_id"), items: try items(caseID: id),
                    statusToken: r.optionalString("status_token"), kitSentAt: r.optionalInt("kit_sent_at"),
                    kitCarrier: r.optionalString("kit_carrier"), kitTracking: r.optionalString("kit_tracking"),
                    pickupArrangedAt: r.optionalInt("pickup_arranged_at"), pickupReference: r.optionalString("pickup_reference"))
    }

    public func items(caseID: Int64) throws -> [Item] {
        try db.query("SELECT * FROM items WHERE case_id = ? ORDER BY position, id", [.int(caseID)]).map(Item.init(row:))
    }

    public func history(caseID: Int64) throws -> [HistoryEntry] {
        try db.query("SELECT * FROM history WHERE case_id = ? ORDER BY id", [.int(caseID)]).map { r in
            HistoryEntry(from: r.optionalString("from_status").flatMap(CaseStatus.init(rawValue:)),
                         to: CaseStatus(rawValue: r.string("to_status")) ?? .received, at: r.int("at"),
                         by: Actor(kind: r.string("actor_kind"), name: r.optionalString("actor_name")), note: r.string("note"))
        }
    }
}

extension Item {
    init(row r: Row) {
        self.init(id: r.int("id"), position: Int(r.int("position")), productCode: r.string("product_code"),
                  jan: r.string("jan"), name: r.string("name"), quantity: Int(r.int("quantity")),
                  unitPrice: Int(r.int("unit_price")), salePrice: Int(r.int("sale_price")), grade: Int(r.int("grade")),
                  shelf: r.string("shelf"), tags: r.string("tags"), condition: r.string("condition"),
                  staffMemo: r.string("staff_memo"), buyerComment: r.string("buyer_comment"), weight: r.string("weight"),
                  declined: r.bool("declined"), returnCarrier: r.optionalString("return_carrier"),
                  returnTracking: r.optionalString("return_tracking"), returnedAt: r.optionalInt("returned_at"),
                  category: r.string("category"))
    }
}
