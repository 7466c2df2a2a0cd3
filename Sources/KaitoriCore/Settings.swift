/// The shop's settings, as read from `shop.yml` by `SettingsFile` and published by `kaitori build`
/// as JSON for the handler (which must not load a YAML parser on every request).
///
/// Every key is documented in docs/settings.md.
public struct Settings: Codable, Equatable, Sendable {
    public var shop: Shop
    public var site: Site
    public var form: Form
    public var payoutMethods: [Choice]
    public var idTypes: [IDType]
    public var contactChannels: [ContactChannel]
    public var review: Review
    public var uploads: Uploads
    public var autoConfirm: Bool
    public var documents: Documents
    public var bankTransfer: BankTransfer?
    public var delivery: Delivery
    public var messages: MessageTemplates
    public var console: Console
    /// ID check rule, verification methods, ledger classes, retention, key path (Settings+Compliance.swift).
    public var compliance: Compliance = Compliance()
    /// SQLite (default) or PostgreSQL (Settings+Store.swift).
    public var store: Store = .sqlite
    /// Spam and abuse limits for customer posts (`abuse:` in shop.yml); all off when absent.
    public var abuse: Abuse = Abuse()

    public struct Shop: Codable, Equatable, Sendable {
        public var name: String
        public var company: String
        public var representative: String
        public var postalCode: String
        public var address: String
        public var phone: String
        public var email: String
        public var hours: String
        public var licenseNumber: String
        public var licenseCommission: String

        public init(name: String, company: String, representative: String, postalCode: String, address: String, phone: String, email: String, hours: String, licenseNumber: String, licenseCommission: String) {
            self.name = name; self.company = company; self.representative = representative; self.postalCode = postalCode; self.address = address; self.phone = phone; self.email = email; self.hours = hours; self.licenseNumber = licenseNumber; self.licenseCommission = licenseCommission
        }
    }

    public struct Site: Codable, Equatable, Sendable {
        /// Absolute URL of the published site, without a trailing slash.
        public var baseURL: String
        /// Path (or URL) of the handler as the web server exposes it, e.g. `/cgi-bin/kaitori`.
        public var handlerURL: String
        public var contactURL: String
        /// Where the customer's review, ID and status pages come from (`site.case_pages`).
        public var casePages: CasePages

        public init(baseURL: String, handlerURL: String, contactURL: String, casePages: CasePages = .files) {
            self.baseURL = baseURL; self.handlerURL = handlerURL; self.contactURL = contactURL
            self.casePages = casePages
        }

        /// `files`: written under `public/` after every change and served by the web server as
        /// files (one host). `handler`: rendered by the handler for each request from the store,
        /// so every host sharing one PostgreSQL store shows the same page (docs/scaling.md).
        public enum CasePages: String, Codable, CaseIterable, Sendable {
            case files, handler
        }
    }

    public struct Form: Codable, Equatable, Sendable {
        public var categories: [Choice]
        public var kitOffered: Bool
        public var pickupOffered: Bool
        public var pickupSlots: [Choice]
        public var maxBoxes: Int
        public var maxItems: Int
        public var minimumAge: Int

        public init(categories: [Choice], kitOffered: Bool, pickupOffered: Bool, pickupSlots: [Choice], maxBoxes: Int, maxItems: Int, minimumAge: Int) {
            self.categories = categories; self.kitOffered = kitOffered; self.pickupOffered = pickupOffered; self.pickupSlots = pickupSlots; self.maxBoxes = maxBoxes; self.maxItems = maxItems; self.minimumAge = minimumAge
        }
    }

    public struct Choice: Codable, Equatable, Sendable {
        public var id: String
        public var label: String
        public init(id: String, label: String) { self.id = id; self.label = label }
    }

    public struct IDType: Codable, Equatable, Sendable {
        public var id: String
        public var label: String
        /// Whether the back side must be uploaded too.
        public var back: Bool
        public init(id: String, label: String, back: Bool) { self.id = id; self.label = label; self.back = back }
    }

    public struct Review: Codable, Equatable, Sendable {
        public var validDays: Int

        public init(validDays: Int) {
            self.validDays = validDays
        }
    }

    public struct Uploads: Codable, Equatable, Sendable {
        public var maxFileBytes: Int
        public var maxRequestBytes: Int

        public init(maxFileBytes: Int, maxRequestBytes: Int) {
            self.maxFileBytes = maxFileBytes; self.maxRequestBytes = maxRequestBytes
        }
    }

    public struct Documents: Codable, Equatable, Sendable {
        public var estimateFooter: String
        public var contractFooter: String
        /// The shop seal (社印) printed by the shop's name: a PNG, JPEG or SVG file, relative to the
        /// shop folder; empty for none.
        public var sealImage: String

        public init(estimateFooter: String, contractFooter: String, sealImage: String = "") {
            self.estimateFooter = estimateFooter; self.contractFooter = contractFooter; self.sealImage = sealImage
        }
    }

    public struct BankTransfer: Codable, Equatable, Sendable {
        public var requesterCode: String
        public var requesterName: String
        public var bankCode: String
        public var bankName: String
        public var branchCode: String
        public var branchName: String
        public var accountType: Int
        public var accountNumber: String
        /// Position 112 of a data record: "7" telegraphic, "8" document, or " " / "0" where a bank wants it.
        public var transferDesignation: String

        public init(requesterCode: String, requesterName: String, bankCode: String, bankName: String, branchCode: String, branchName: String, accountType: Int, accountNumber: String, transferDesignation: String) {
            self.requesterCode = requesterCode; self.requesterName = requesterName; self.bankCode = bankCode; self.bankName = bankName; self.branchCode = branchCode; self.branchName = branchName; self.accountType = accountType; self.accountNumber = accountNumber; self.transferDesignation = transferDesignation
        }
    }

    /// How queued messages leave the machine. Only `kaitori outbox send` reads these: the handler's
    /// published settings carry none of them (`HandlerSettings`). Secrets are never here: only
    /// the names of the environment variables or files (outside the site folder) that hold them.
    public struct Delivery: Codable, Equatable, Sendable {
        public var emailFrom: String
        public var emailMethod: EmailMethod
        public var sendmailCommand: String
        public var smtp: SMTP
        public var smsMethod: SMSMethod
        public var smsCommand: String
        public var smsHTTPURL: String
        /// Environment variable holding `user:password` for the SMS gateway's Basic authorization.
        public var smsHTTPAuthEnv: String
        /// File (outside the site folder, mode 0600 or narrower) holding `user:password`.
        public var smsHTTPAuthFile: String
        /// A PEM file of certificate authorities trusted instead of the system's (a private CA),
        /// for SMTP and the SMS gateway. Empty: the system's.
        public var caFile: String
        public var shopNotifyEmail: String
        public var maxAttempts: Int

        public enum EmailMethod: String, Codable, Sendable, CaseIterable { case sendmail, smtp, file, none }
        public enum SMSMethod: String, Codable, Sendable, CaseIterable { case command, http, file, none }

        public struct SMTP: Codable, Equatable, Sendable {
            public var host: String
            public var port: Int
            /// STARTTLS is required: no STARTTLS offered means nothing is sent.
            public var starttls: Bool
            /// TLS from the first byte (`smtps`, port 465).
            public var implicitTLS: Bool
            public var username: String
            public var passwordEnv: String
            /// File (outside the site folder, mode 0600 or narrower) holding the password.
            public var passwordFile: String

            public init(host: String, port: Int, starttls: Bool, implicitTLS: Bool = false, username: String, passwordEnv: String, passwordFile: String = "") {
                self.host = host; self.port = port; self.starttls = starttls; self.implicitTLS = implicitTLS
                self.username = username; self.passwordEnv = passwordEnv; self.passwordFile = passwordFile
            }
        }

        public init(emailFrom: String, emailMethod: EmailMethod, sendmailCommand: String, smtp: SMTP, smsMethod: SMSMethod, smsCommand: String, smsHTTPURL: String,
                    smsHTTPAuthEnv: String = "", smsHTTPAuthFile: String = "", caFile: String = "", shopNotifyEmail: String, maxAttempts: Int) {
            self.emailFrom = emailFrom; self.emailMethod = emailMethod; self.sendmailCommand = sendmailCommand; self.smtp = smtp; self.smsMethod = smsMethod; self.smsCommand = smsCommand; self.smsHTTPURL = smsHTTPURL
            self.smsHTTPAuthEnv = smsHTTPAuthEnv; self.smsHTTPAuthFile = smsHTTPAuthFile; self.caFile = caFile
            self.shopNotifyEmail = shopNotifyEmail; self.maxAttempts = maxAttempts
        }

        /// What the handler's copy holds: no way of sending anything, only where the shop's own
        /// notifications go (the handler queues them).
        public static func handlerOnly(shopNotifyEmail: String) -> Delivery {
            Delivery(emailFrom: "", emailMethod: .none, sendmailCommand: "", smtp: SMTP(host: "", port: 25, starttls: false, username: "", passwordEnv: ""),
                     smsMethod: .none, smsCommand: "", smsHTTPURL: "", shopNotifyEmail: shopNotifyEmail, maxAttempts: 1)
        }
    }

    /// The staff console's sessions and logins (`console:` in shop.yml).
    public struct Console: Codable, Equatable, Sendable {
        /// A session unused this long ends (a laptop left open).
        public var idleTimeoutMinutes: Int
        /// A session ends this long after login, however busy.
        public var absoluteTimeoutHours: Int
        /// Owners must have a second factor (TOTP) to log in.
        public var ownerTOTPRequired: Bool

        public init(idleTimeoutMinutes: Int = 30, absoluteTimeoutHours: Int = 12, ownerTOTPRequired: Bool = false) {
            self.idleTimeoutMinutes = idleTimeoutMinutes; self.absoluteTimeoutHours = absoluteTimeoutHours
            self.ownerTOTPRequired = ownerTOTPRequired
        }

        public var idleTimeoutSeconds: Int64 { Int64(idleTimeoutMinutes) * 60 }
        public var absoluteTimeoutSeconds: Int64 { Int64(absoluteTimeoutHours) * 3600 }
    }

    public struct MessageTemplate: Codable, Equatable, Sendable {
        public var emailSubject: String
        public var emailBody: String
        public var sms: String
        public init(emailSubject: String = "", emailBody: String = "", sms: String = "") {
            self.emailSubject = emailSubject; self.emailBody = emailBody; self.sms = sms
        }
    }

    public func category(_ id: String) -> Choice? { form.categories.first { $0.id == id } }
    public func payoutMethod(_ id: String) -> Choice? { payoutMethods.first { $0.id == id } }
    public func pickupSlot(_ id: String) -> Choice? { form.pickupSlots.first { $0.id == id } }
    /// `2026年12月1日 午前中`: a pickup as pages and messages show it; nil without a valid date.
    public func pickupText(date: String, slot: String) -> String? {
        guard let d = CivilDate(iso: date) else { return nil }
        return d.japanese + " " + (pickupSlot(slot)?.label ?? slot)
    }
    public func idType(_ id: String) -> IDType? { idTypes.first { $0.id == id } }

    /// `handlerURL` joined with a route, e.g. `/cgi-bin/kaitori/apply`.
    public func handlerPath(_ route: String) -> String {
        var base = site.handlerURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + route
    }

    /// An absolute URL for a site path (`/review/abc/` → `https://shop.example/review/abc/`).
    public func absoluteURL(_ path: String) -> String {
        var base = site.baseURL
        while base.hasSuffix("/") { base.removeLast() }
        return base + path
    }

    public init(shop: Shop, site: Site, form: Form, payoutMethods: [Choice], idTypes: [IDType], contactChannels: [ContactChannel], review: Review, uploads: Uploads, autoConfirm: Bool, documents: Documents, bankTransfer: BankTransfer?, delivery: Delivery, messages: MessageTemplates, console: Console = Console(), compliance: Compliance = Compliance()) {
        self.compliance = compliance
        self.shop = shop; self.site = site; self.form = form; self.payoutMethods = payoutMethods; self.idTypes = idTypes; self.contactChannels = contactChannels; self.review = review; self.uploads = uploads; self.autoConfirm = autoConfirm; self.documents = documents; self.bankTransfer = bankTransfer; self.delivery = delivery; self.messages = messages
        self.console = console
    }
}

/// How the customer wants to be contacted (`contact` field).
public enum ContactChannel: String, Codable, Sendable, CaseIterable {
    case email, sms, none
}
