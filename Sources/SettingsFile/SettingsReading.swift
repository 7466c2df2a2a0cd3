import Foundation
import KaitoriCore

/// The schema of `shop.yml`: which keys exist, their types, defaults and rules.
/// docs/settings.md documents the same keys for shops.
struct SettingsReading {
    let r: NodeReader
    let file: String
    let sink: ProblemSink

    /// `site.case_pages`: `files` or `handler` (docs/scaling.md); nil when not given: then `files`
    /// with SQLite, `handler` with PostgreSQL (several hosts, whose files would go stale).
    func casePages(_ siteR: NodeReader) -> Settings.Site.CasePages? {
        guard siteR.value("case_pages") != nil else { return nil }
        let raw = siteR.string("case_pages", required: false)
        if let mode = Settings.Site.CasePages(rawValue: raw) { return mode }
        siteR.problem("case_pages", "must be files or handler, got \(raw)")
        return nil
    }

    func read() -> Settings {
        let shopR = r.child("shop")
        let licenseR = shopR.child("license")
        let postalCode = shopR.string("postal_code")
        let shop = Settings.Shop(
            name: shopR.string("name"), company: shopR.string("company"),
            representative: shopR.string("representative", required: false),
            postalCode: TextNormalizer.postalCode(postalCode) ?? postalCode, address: shopR.string("address"), phone: shopR.string("phone"),
            email: shopR.string("email"), hours: shopR.string("hours", required: false),
            licenseNumber: licenseR.string("number"), licenseCommission: licenseR.string("commission"))
        if !postalCode.isEmpty, TextNormalizer.postalCode(postalCode) == nil {
            shopR.problem("postal_code", "must be a postal code NNN-NNNN (7 digits), got \(postalCode)")
        }
        if !shop.licenseNumber.isEmpty, TextNormalizer.licenseNumberDigits(shop.licenseNumber) == nil {
            let count = TextNormalizer.digits(shop.licenseNumber).filter { ("0"..."9").contains($0) }.count
            licenseR.problem("number", "must be the 12-digit 古物商許可番号 as on the licence, e.g. 第431010012345号 or 431010012345 (got \(shop.licenseNumber): \(count) digit(s))")
        }
        if !shop.licenseCommission.isEmpty, !shop.licenseCommission.hasSuffix("公安委員会") {
            licenseR.problem("commission", "must name the commission that granted the licence, ending in 公安委員会 (e.g. 埼玉県公安委員会)")
        }
        if !shop.email.isEmpty, !shop.email.contains("@") { shopR.problem("email", "not an email address") }
        licenseR.finish(); shopR.finish()

        let siteR = r.child("site")
        let givenCasePages = casePages(siteR)
        var site = Settings.Site(baseURL: siteR.string("base_url"), handlerURL: siteR.string("handler_url"),
                                 contactURL: siteR.string("contact_url"),
                                 casePages: givenCasePages ?? .files)
        if !(site.baseURL.hasPrefix("http://") || site.baseURL.hasPrefix("https://")) {
            siteR.problem("base_url", "must start with http:// or https://")
        }
        if !site.handlerURL.hasPrefix("/"), !site.handlerURL.hasPrefix("http") {
            siteR.problem("handler_url", "must be a path such as /cgi-bin/kaitori or an absolute URL")
        }
        siteR.finish()

        let formR = r.child("form")
        let categories = choices(formR, "categories", required: true)
        let kitR = formR.child("kit", required: false)
        let kitOffered = kitR.bool("offered", default: false)
        kitR.finish()
        let pickupR = formR.child("pickup", required: false)
        let pickupOffered = pickupR.bool("offered", default: false)
        let slots = choices(pickupR, "slots", required: pickupOffered)
        if pickupOffered, slots.isEmpty, pickupR.node?.mapping?["slots"] != nil {
            pickupR.problem("slots", "pickup is offered but no time slots are listed")
        }
        pickupR.finish()
        let form = Settings.Form(categories: categories, kitOffered: kitOffered, pickupOffered: pickupOffered,
                                 pickupSlots: slots, maxBoxes: formR.int("max_boxes", default: 10, range: 1...100),
                                 maxItems: formR.int("max_items", default: 30, range: 1...200),
                                 minimumAge: formR.int("minimum_age", default: 18, range: 18...120))
        formR.finish()

        let payouts = choices(r, "payout_methods", required: true)
        var idTypes: [Settings.IDType] = []
        var seen: Set<String> = []
        for item in r.list("id_types") {
            let id = item.string("id")
            if !seen.insert(id).inserted { item.problem("id", "duplicate id \(id)") }
            checkID(item, id)
            idTypes.append(Settings.IDType(id: id, label: item.string("label"), back: item.bool("back", default: true)))
            item.finish()
        }
        var channels: [ContactChannel] = []
        for (s, line) in r.scalars("contact_channels") {
            if let c = ContactChannel(rawValue: s) { channels.append(c) }
            else { sink.add(file, line, "contact_channels", "unknown channel \(s) (use email, sms, none)") }
        }
        if r.value("contact_channels") == nil { channels = ContactChannel.allCases }
        if channels.contains(.sms), r.child("delivery", required: false).node?.mapping?["sms_method"]?.scalar?.string ?? "none" == "none" {
            r.problem("contact_channels", "customers may choose SMS but delivery.sms_method is none: their messages will fail", severity: .warning)
        }

        let reviewR = r.child("review", required: false)
        let review = Settings.Review(validDays: reviewR.int("valid_days", default: 21, range: 1...365))
        reviewR.finish()
        let uploadsR = r.child("uploads", required: false)
        let fileMB = uploadsR.int("max_file_mb", default: 10, range: 1...100)
        let requestMB = uploadsR.int("max_request_mb", default: 25, range: 1...300)
        if requestMB < fileMB { uploadsR.problem("max_request_mb", "must be at least max_file_mb (\(fileMB))") }
        uploadsR.finish()
        let autoConfirm = r.bool("auto_confirm", default: false)

        let docsR = r.child("documents", required: false)
        let documents = Settings.Documents(estimateFooter: docsR.string("estimate_footer", required: false),
                                           contractFooter: docsR.string("contract_footer", required: false),
                                           sealImage: docsR.string("seal_image", required: false))
        if documents.sealImage.hasPrefix("/") || documents.sealImage.split(separator: "/").contains("..") {
            docsR.problem("seal_image", "must be a path inside the shop folder, e.g. site-templates/documents/seal.png")
        }
        docsR.finish()

        let consoleR = r.child("console", required: false)
        let idleMinutes = consoleR.int("idle_timeout_minutes", default: 30, range: 1...1440)
        let console = Settings.Console(idleTimeoutMinutes: idleMinutes,
                                       absoluteTimeoutHours: consoleR.int("absolute_timeout_hours", default: 12, range: 1...168),
                                       ownerTOTPRequired: consoleR.bool("owner_totp_required", default: false))
        if console.absoluteTimeoutSeconds < console.idleTimeoutSeconds {
            consoleR.problem("absolute_timeout_hours", "must be at least idle_timeout_minutes (\(idleMinutes) minutes)")
        }
        consoleR.finish()

        let abuseR = r.child("abuse", required: false)
        let abuse = Settings.Abuse(
            postsPerWindow: abuseR.int("posts_per_window", default: 0, range: 0...100_000),
            windowSeconds: abuseR.int("window_minutes", default: 10, range: 1...1440) * 60,
            applicationsPerEmailPerDay: abuseR.int("applications_per_email_per_day", default: 0, range: 0...1000),
            applicationsPerPhonePerDay: abuseR.int("applications_per_phone_per_day", default: 0, range: 0...1000),
            minimumConfirmSeconds: abuseR.int("minimum_confirm_seconds", default: 0, range: 0...600))
        abuseR.finish()

        let bank = bankTransfer(payouts: payouts)
        let delivery = readDelivery()
        let messages = readMessages()
        let compliance = readCompliance(categories: form.categories)
        let store = readStore()
        if givenCasePages == nil, store != .sqlite { site.casePages = .handler }

        var settings = Settings(shop: shop, site: site, form: form, payoutMethods: payouts, idTypes: idTypes,
                        contactChannels: channels, review: review,
                        uploads: Settings.Uploads(maxFileBytes: fileMB << 20, maxRequestBytes: requestMB << 20),
                        autoConfirm: autoConfirm, documents: documents, bankTransfer: bank, delivery: delivery,
                        messages: MessageTemplates(messages), console: console, compliance: compliance)
        settings.store = store
        settings.abuse = abuse
        return settings
    }

    /// `id_check`, `verification_methods`, `kobutsu_classes`, `retention`, `keys` (docs/settings.md).
    private func readCompliance(categories: [Settings.Choice]) -> Settings.Compliance {
        let known = Set(categories.map(\.id))
        var compliance = Settings.Compliance()

        let idR = r.child("id_check", required: false)
        compliance.idCheckThreshold = idR.int("threshold", default: Settings.Compliance.defaultThreshold, range: 1...100_000_000)
        for (id, line) in idR.scalars("always_categories") {
            if !known.contains(id) { sink.add(file, line, "id_check.always_categories", "unknown category \(id) (form.categories lists \(categories.map(\.id).joined(separator: ", ")))") }
            else if !compliance.idCheckAlwaysCategories.contains(id) { compliance.idCheckAlwaysCategories.append(id) }
        }
        idR.finish()

        var seen: Set<String> = []
        for item in r.list("verification_methods", required: false) {
            let id = item.string("id")
            if !seen.insert(id).inserted { item.problem("id", "duplicate id \(id)") }
            checkID(item, id)
            let number = item.int("item", default: 0, range: 1...20)
            if item.value("item") == nil { item.problem("item", "missing (required): the item number (号) of 施行規則 第15条第3項 this method follows") }
            compliance.verificationMethods.append(Settings.VerificationMethod(
                id: id, item: number, label: item.string("label"), addressMail: item.bool("address_mail", default: false)))
            item.finish()
        }
        if r.value("verification_methods") == nil {
            r.problem("verification_methods", "no verification methods listed: staff cannot record how an ID was checked", severity: .warning)
        }

        let classesR = r.child("kobutsu_classes", required: false)
        for (k, v) in classesR.node?.mapping ?? [:] {
            let id = k.scalar?.string ?? "?", value = v.scalar?.string ?? "", line = v.mark?.line ?? classesR.line
            if !known.contains(id) { sink.add(file, line, "kobutsu_classes.\(id)", "unknown category \(id)") }
            if !KobutsuClass.all.contains(value) {
                sink.add(file, line, "kobutsu_classes.\(id)", "must be one of the 13 古物 classes: \(KobutsuClass.all.joined(separator: ", "))")
            }
            compliance.kobutsuClasses[id] = value
        }
        if classesR.node != nil {
            for c in categories where compliance.kobutsuClasses[c.id] == nil {
                classesR.problem(c.id, "category \(c.id) has no 古物 class: its ledger rows show none", severity: .warning)
            }
        }

        let retentionR = r.child("retention", required: false)
        let years = retentionR.int("purchase_years", default: Settings.Compliance.minimumRetentionYears, range: 0...100)
        if years < Settings.Compliance.minimumRetentionYears {
            retentionR.problem("purchase_years", "must be at least \(Settings.Compliance.minimumRetentionYears): 古物営業法 requires purchase records and ID records to be kept 3 years")
        }
        compliance.retentionPurchaseYears = max(years, Settings.Compliance.minimumRetentionYears)
        compliance.retentionUnpurchasedDays = retentionR.int("unpurchased_days", default: Settings.Compliance.defaultUnpurchasedDays, range: 1...3650)
        retentionR.finish()

        let keysR = r.child("keys", required: false)
        compliance.privateKeyPath = keysR.string("private_key", required: false)
        if !compliance.privateKeyPath.isEmpty {
            let site = URL(fileURLWithPath: file).deletingLastPathComponent().path
            let resolved = KeyFiles.resolve(compliance.privateKeyPath, site: site)
            if KeyFiles.isInside(resolved, folder: site) {
                keysR.problem("private_key", "\(resolved) is inside the shop folder; keep the private key outside it (the web server can read the shop folder)")
            }
        }
        keysR.finish()
        return compliance
    }

    private func checkID(_ item: NodeReader, _ id: String) {
        if !id.isEmpty, !id.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }) {
            item.problem("id", "ids use a-z, 0-9, _ and - only (got \(id))")
        }
    }

    private func choices(_ parent: NodeReader, _ key: String, required: Bool) -> [Settings.Choice] {
        var out: [Settings.Choice] = []
        var seen: Set<String> = []
        let items = parent.list(key, required: required)
        if required, items.isEmpty, parent.node?.mapping?[key] != nil { parent.problem(key, "must list at least one entry") }
        for item in items {
            let id = item.string("id")
            if !seen.insert(id).inserted { item.problem("id", "duplicate id \(id)") }
            checkID(item, id)
            out.append(Settings.Choice(id: id, label: item.string("label")))
            item.finish()
        }
        return out
    }

    private func bankTransfer(payouts: [Settings.Choice]) -> Settings.BankTransfer? {
        guard r.value("bank_transfer") != nil else {
            if payouts.contains(where: { $0.id == Payout.bankTransfer }) {
                sink.add(file, r.lineOf("payout_methods"), "bank_transfer", "missing: needed for the Zengin file because payout_methods offers bank_transfer", .warning)
            }
            return nil
        }
        let b = r.child("bank_transfer")
        func digits(_ k: String, _ n: Int) -> String {
            let v = b.string(k)
            if !v.isEmpty, v.count != n || !v.allSatisfy({ ("0"..."9").contains($0) }) { b.problem(k, "must be exactly \(n) digits (got \(v))") }
            return v
        }
        let result = Settings.BankTransfer(
            requesterCode: digits("requester_code", 10), requesterName: b.string("requester_name"),
            bankCode: digits("bank_code", 4), bankName: b.string("bank_name", required: false),
            branchCode: digits("branch_code", 3), branchName: b.string("branch_name", required: false),
            accountType: b.int("account_type", default: 1, range: 1...9),
            accountNumber: digits("account_number", 7),
            transferDesignation: b.string("transfer_designation", required: false, default: "7"))
        if ![1, 2, 9].contains(result.accountType) { b.problem("account_type", "must be 1 (普通), 2 (当座) or 9 (その他)") }
        if !["7", "8", " ", "0", ""].contains(result.transferDesignation) {
            b.problem("transfer_designation", "must be \"7\", \"8\", \"0\" or \" \"")
        }
        b.finish()
        return result
    }

    private func readDelivery() -> Settings.Delivery {
        let d = r.child("delivery", required: false)
        func method<E: RawRepresentable & CaseIterable>(_ k: String, _ def: E) -> E where E.RawValue == String {
            let raw = d.string(k, required: false, default: def.rawValue)
            if let m = E(rawValue: raw) { return m }
            d.problem(k, "unknown method \(raw) (use \(E.allCases.map(\.rawValue).joined(separator: ", ")))")
            return def
        }
        let smtpR = d.child("smtp", required: false)
        let smtp = Settings.Delivery.SMTP(host: smtpR.string("host", required: false, default: "127.0.0.1"),
                                          port: smtpR.int("port", default: 25, range: 1...65535),
                                          starttls: smtpR.bool("starttls", default: false),
                                          implicitTLS: smtpR.bool("implicit_tls", default: false),
                                          username: smtpR.string("username", required: false),
                                          passwordEnv: smtpR.string("password_env", required: false),
                                          passwordFile: smtpR.string("password_file", required: false))
        smtpR.finish()
        let delivery = Settings.Delivery(
            emailFrom: d.string("email_from", required: false, default: ""),
            emailMethod: method("email_method", Settings.Delivery.EmailMethod.none),
            sendmailCommand: d.string("sendmail_command", required: false, default: "/usr/sbin/sendmail -t -i"),
            smtp: smtp, smsMethod: method("sms_method", Settings.Delivery.SMSMethod.none),
            smsCommand: d.string("sms_command", required: false), smsHTTPURL: d.string("sms_http_url", required: false),
            smsHTTPAuthEnv: d.string("sms_http_auth_env", required: false),
            smsHTTPAuthFile: d.string("sms_http_auth_file", required: false),
            caFile: d.string("ca_file", required: false),
            shopNotifyEmail: d.string("shop_notify_email", required: false),
            maxAttempts: d.int("max_attempts", default: 8, range: 1...100))
        if delivery.emailMethod != .none, delivery.emailFrom.isEmpty { d.problem("email_from", "required when email_method is \(delivery.emailMethod.rawValue)") }
        if delivery.smsMethod == .command, delivery.smsCommand.isEmpty { d.problem("sms_command", "required when sms_method is command") }
        if delivery.smsMethod == .http, !delivery.smsHTTPURL.hasPrefix("http") { d.problem("sms_http_url", "required (an https:// URL) when sms_method is http") }
        if delivery.smsHTTPURL.contains("@") { d.problem("sms_http_url", "must not carry a user or password: name them with sms_http_auth_env or sms_http_auth_file") }
        if delivery.smtp.starttls && delivery.smtp.implicitTLS { smtpR.problem("implicit_tls", "choose one of starttls and implicit_tls") }
        d.finish()
        return delivery
    }

    private func readMessages() -> [String: Settings.MessageTemplate] {
        let m = r.child("messages", required: false)
        var out: [String: Settings.MessageTemplate] = [:]
        for (name, entry) in m.entries() {
            guard MessageEvent(rawValue: name) != nil else {
                sink.add(file, entry.line, "messages.\(name)", "unknown event (known: \(MessageEvent.allCases.map(\.rawValue).joined(separator: ", ")))")
                continue
            }
            let t = Settings.MessageTemplate(emailSubject: entry.string("email_subject", required: false),
                                             emailBody: entry.string("email_body", required: false),
                                             sms: entry.string("sms", required: false))
            if !t.emailBody.isEmpty, t.emailSubject.isEmpty { entry.problem("email_subject", "an email body needs a subject") }
            entry.finish()
            out[name] = t
        }
        for event in MessageEvent.expectedCustomerEvents where out[event.rawValue] == nil {
            sink.add(file, m.line, "messages.\(event.rawValue)", "no template: customers get no message for this event", .warning)
        }
        return out
    }
}

private extension Settings {
}
