/// The settings as the handler gets them in `var/site.json`: everything but `delivery`, of which
/// only `shopNotifyEmail` is kept (the handler queues the shop's notifications; it sends nothing).
/// A compromised web-server process therefore learns no mail or SMS account, host or secret name.
public struct HandlerSettings: Encodable {
    public let settings: Settings
    public init(_ settings: Settings) { self.settings = settings }

    enum Key: String, CodingKey {
        case shop, site, form, payoutMethods, idTypes, contactChannels, review, uploads, autoConfirm, documents, bankTransfer, shopNotifyEmail, messages
        case compliance, store, abuse
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: Key.self)
        let s = settings
        try c.encode(s.shop, forKey: .shop); try c.encode(s.site, forKey: .site); try c.encode(s.form, forKey: .form)
        try c.encode(s.payoutMethods, forKey: .payoutMethods); try c.encode(s.idTypes, forKey: .idTypes)
        try c.encode(s.contactChannels, forKey: .contactChannels); try c.encode(s.review, forKey: .review)
        try c.encode(s.uploads, forKey: .uploads); try c.encode(s.autoConfirm, forKey: .autoConfirm)
        try c.encode(s.documents, forKey: .documents)
        if let bank = s.bankTransfer { try c.encode(bank, forKey: .bankTransfer) } else { try c.encodeNil(forKey: .bankTransfer) }
        try c.encode(s.delivery.shopNotifyEmail, forKey: .shopNotifyEmail)
        try c.encode(s.messages, forKey: .messages)
        // The ID rule decides the review and ID pages; the private key's path is never encoded.
        try c.encode(s.compliance, forKey: .compliance)
        // Where the store is; the password is not part of it (an environment variable or a file).
        try c.encode(StoreJSON(store: s.store), forKey: .store)
        try c.encode(s.abuse, forKey: .abuse)
    }
}

extension Settings {
    /// These settings as the handler reads them back from `HandlerSettings`.
    public var forHandler: Settings {
        var copy = self
        copy.delivery = .handlerOnly(shopNotifyEmail: delivery.shopNotifyEmail)
        copy.compliance.privateKeyPath = ""
        return copy
    }
}

/// Reads `Settings` from the JSON `HandlerSettings` writes (keys are the property names), without
/// `Codable`: the handler does this on every request. `SettingsJSONTests` round-trips the sample
/// shop's settings through both, so the two can never drift apart.
extension Settings {
    public init(json r: JSONReader) throws {
        let shop = try r["shop"], site = try r["site"], form = try r["form"], review = try r["review"]
        let uploads = try r["uploads"], documents = try r["documents"]
        let bank = try r["bankTransfer"]
        let console = try r["console"]
        func choices(_ c: JSONReader) throws -> [Choice] {
            try c.array { Choice(id: try $0["id"].string(), label: try $0["label"].string()) }
        }
        self.init(
            shop: Shop(name: try shop["name"].string(), company: try shop["company"].string(),
                       representative: try shop["representative"].string(), postalCode: try shop["postalCode"].string(),
                       address: try shop["address"].string(), phone: try shop["phone"].string(),
                       email: try shop["email"].string(), hours: try shop["hours"].string(),
                       licenseNumber: try shop["licenseNumber"].string(), licenseCommission: try shop["licenseCommission"].string()),
            site: Site(baseURL: try site["baseURL"].string(), handlerURL: try site["handlerURL"].string(),
                       contactURL: try site["contactURL"].string(),
                       casePages: try Site.CasePages(json: site["casePages"])),
            form: Form(categories: try choices(form["categories"]), kitOffered: try form["kitOffered"].bool(),
                       pickupOffered: try form["pickupOffered"].bool(), pickupSlots: try choices(form["pickupSlots"]),
                       maxBoxes: try form["maxBoxes"].int(), maxItems: try form["maxItems"].int(),
                       minimumAge: try form["minimumAge"].int()),
            payoutMethods: try choices(r["payoutMethods"]),
            idTypes: try r["idTypes"].array { IDType(id: try $0["id"].string(), label: try $0["label"].string(), back: try $0["back"].bool()) },
            contactChannels: try r["contactChannels"].array {
                guard let c = ContactChannel(rawValue: try $0.string()) else { throw $0.fail("unknown contact channel") }
                return c
            },
            review: Review(validDays: try review["validDays"].int()),
            uploads: Uploads(maxFileBytes: try uploads["maxFileBytes"].int(), maxRequestBytes: try uploads["maxRequestBytes"].int()),
            autoConfirm: try r["autoConfirm"].bool(),
            documents: Documents(estimateFooter: try documents["estimateFooter"].string(),
                                 contractFooter: try documents["contractFooter"].string(),
                                 sealImage: try documents["sealImage"].isNull ? "" : try documents["sealImage"].string()),
            bankTransfer: bank.isNull ? nil : BankTransfer(
                requesterCode: try bank["requesterCode"].string(), requesterName: try bank["requesterName"].string(),
                bankCode: try bank["bankCode"].string(), bankName: try bank["bankName"].string(),
                branchCode: try bank["branchCode"].string(), branchName: try bank["branchName"].string(),
                accountType: try bank["accountType"].int(), accountNumber: try bank["accountNumber"].string(),
                transferDesignation: try bank["transferDesignation"].string()),
            delivery: .handlerOnly(shopNotifyEmail: try r["shopNotifyEmail"].string()),
            messages: try MessageTemplates(json: r["messages"]),
            // A site built before the console existed has no `console`: the defaults then.
            console: console.isNull ? Console() : Console(
                idleTimeoutMinutes: try console["idleTimeoutMinutes"].int(),
                absoluteTimeoutHours: try console["absoluteTimeoutHours"].int(),
                ownerTOTPRequired: try console["ownerTOTPRequired"].bool()),
            compliance: try Self.compliance(r["compliance"]))
        store = try Store.read(r["store"])
        // A site.json published before `abuse` existed: every limit off until the next build.
        let abuse = try r["abuse"]
        if !abuse.isNull {
            self.abuse = Abuse(postsPerWindow: try abuse["postsPerWindow"].int(), windowSeconds: try abuse["windowSeconds"].int(),
                               applicationsPerEmailPerDay: try abuse["applicationsPerEmailPerDay"].int(),
                               applicationsPerPhonePerDay: try abuse["applicationsPerPhonePerDay"].int(),
                               minimumConfirmSeconds: try abuse["minimumConfirmSeconds"].int())
        }
    }

    /// A site.json published before these settings existed reads as the defaults (the handler
    /// keeps working until the next build).
    private static func compliance(_ c: JSONReader) throws -> Compliance {
        if c.isNull { return Compliance() }
        return Compliance(
            idCheckThreshold: try c["idCheckThreshold"].int(),
            idCheckAlwaysCategories: try c["idCheckAlwaysCategories"].array { try $0.string() },
            verificationMethods: try c["verificationMethods"].array {
                VerificationMethod(id: try $0["id"].string(), item: try $0["item"].int(), label: try $0["label"].string(),
                                   addressMail: try $0["addressMail"].bool())
            },
            kobutsuClasses: try c["kobutsuClasses"].dictionary { try $0.string() },
            retentionPurchaseYears: try c["retentionPurchaseYears"].int(),
            retentionUnpurchasedDays: try c["retentionUnpurchasedDays"].int())
    }

    private static func enumValue<E: RawRepresentable>(_ r: JSONReader) throws -> E where E.RawValue == String {
        guard let value = E(rawValue: try r.string()) else { throw r.fail("unknown value") }
        return value
    }
}

extension Settings.Site.CasePages {
    /// Missing in a `var/site.json` written before the setting existed: files, as then.
    init(json r: JSONReader) throws {
        if r.isNull { self = .files; return }
        guard let mode = Self(rawValue: try r.string()) else { throw r.fail("unknown case_pages mode") }
        self = mode
    }
}
