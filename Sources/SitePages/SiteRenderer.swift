import KaitoriCore
import Mustache

/// Renders every page of the customer site from the shop's templates and published settings: the
/// builder uses it for the static pages, the handler for the pages it answers with per request.
///
/// Each page is its body template rendered first, then `layout` with the body as `{{{body}}}`,
/// so a shop edits the header and footer in one place.
public final class SiteRenderer {
    public let settings: Settings
    public let menu: [MenuEntry]
    public let templates: SiteTemplates
    public let assetVersion: String

    /// Reads `var/site.json`: settings, menu and templates exactly as the last build checked them.
    /// - Throws: `SiteError` if the site was never built, or the published file is unreadable.
    public static func load(site: String) throws -> SiteRenderer {
        try SiteRenderer(published: PublishedSite.load(site: site), templates: PublishedSite.loadTemplates(site: site))
    }

    public convenience init(published: PublishedSite, templates: [TemplateSource]) throws {
        self.init(settings: published.settings, menu: try published.menu(),
                  templates: SiteTemplates(checked: templates), assetVersion: published.assetVersion)
    }

    public init(settings: Settings, menu: [MenuEntry], templates: SiteTemplates, assetVersion: String) {
        self.settings = settings
        self.menu = menu
        self.templates = templates
        self.assetVersion = assetVersion
    }

    // MARK: Pages the handler renders

    /// The application form: empty for the static `/apply/`, or with the customer's values and
    /// messages for the handler's 422 answer. Same template either way.
    public func applyForm(values: FormValues, errors: FieldErrors?) throws -> String {
        let hasErrors = !(errors?.errors.isEmpty ?? true)
        let meta = PageMeta(title: hasErrors ? "入力内容をご確認ください（お申し込み）" : "宅配買取のお申し込み",
                            description: "\(settings.shop.name)の宅配買取お申し込みフォームです。送料・手数料無料でお品物をお送りいただけます。",
                            path: "/apply/", kind: "apply", indexable: !hasErrors)
        return try render("apply", meta, ["form": ApplyFormView(settings: settings, values: values, errors: errors).context])
    }

    /// The confirmation page of a valid application (`step=confirm`): nothing is stored yet.
    /// - Parameter values: the form as `ApplicationValidator.normalized` returned it, carried on
    ///   as hidden fields.
    public func applyConfirm(_ application: Application, values: FormValues) throws -> String {
        let view = ApplyConfirmView(settings: settings, application: application, values: values)
        return try render("apply-confirm", PageMeta(title: "お申し込み内容のご確認", kind: "apply-confirm"), ["confirm": view.context])
    }

    /// The confirmation of a review answer (`step=confirm`), checked but not recorded.
    public func reviewConfirm(_ record: Case, decision: Case.Decision, declined: Set<Int64>) throws -> String {
        let view = ReviewConfirmView(record: record, settings: settings, decision: decision, declined: declined)
        return try render("review-confirm", PageMeta(title: "ご回答内容のご確認（受付番号 \(record.code)）", kind: "review-confirm",
                                                     holdsToken: true), ["confirm": view.context])
    }

    /// "Application received", showing the case code the customer quotes from now on.
    /// - Parameter record: the case just stored, when the handler found it; its kit or pickup
    ///   choice decides what the customer is told to do next ("pack and send now" without one).
    public func applied(code: String, record: Case? = nil) throws -> String {
        var extra: [String: MustacheValue] = ["code": .string(code)]
        let kit = record?.kit ?? false
        let pickup = record.flatMap { settings.pickupText(date: $0.pickupDate, slot: $0.pickupSlot) }
        extra["kit"] = .bool(kit)
        extra["pickup"] = !kit ? pickup.map { .string($0) } ?? .null : .null
        extra["send_now"] = .bool(!kit && pickup == nil)
        if let record, kit || pickup != nil {
            extra["next"] = CustomerSending.next(record, settings: settings).context
        }
        return try render("applied", PageMeta(title: "お申し込みを受け付けました", kind: "applied"), extra)
    }

    /// A status page with a title, an explanation and a way back; a 410 also offers the shop's
    /// contact page, since only the shop can reissue an expired link.
    public func errorPage(status: Int, title: String, message: String, backURL: String?) throws -> String {
        // The handler answers at the address that was posted to, which may hold a token.
        try render("error", PageMeta(title: title, kind: "error", holdsToken: true), [
            "error": [
                "status": .int(status),
                "title": .string(title),
                "message": .string(message),
                "back_url": .string(backURL ?? "/"),
                "back_label": .string(backURL == nil ? "トップページへ戻る" : "前のページへ戻る"),
                "gone": .bool(status == 410),
                "retry": .bool(status == 503),
            ],
        ])
    }

    // MARK: Pages the build writes

    public func contentPage(_ page: ContentPage) throws -> String {
        let meta = PageMeta(title: page.title, description: page.description, path: page.url,
                            kind: page.url == "/" ? "home" : "content", indexable: !page.draft)
        return try render(page.layout, meta, [
            "content": ["title": .string(page.title), "description": .string(page.description), "html": .string(page.html),
                        "url": .string(page.url)],
        ])
    }

    /// The review page of an assessed case; `kycToken` is the open ID request linked once answered.
    /// - Parameter draft: the customer's unrecorded choice when the handler shows the page again.
    public func reviewPage(_ record: Case, kycToken: String?, now: Int64, draft: ReviewDraft? = nil) throws -> String {
        let view = ReviewPageView(record: record, settings: settings, kycToken: kycToken, now: now, draft: draft)
        return try render("review", PageMeta(title: "査定結果のご確認（受付番号 \(record.code)）", kind: "review", holdsToken: true),
                          ["review": view.context])
    }

    /// The status page of one case (`/status/<token>/`).
    func statusPage(_ view: StatusPageView) throws -> String {
        try render("status", PageMeta(title: "お取引の状況（受付番号 \(view.record.code)）", kind: "status", holdsToken: true),
                   ["status": view.context])
    }

    /// The ID + signature page of one ID request.
    public func kycPage(_ record: Case, check: IDCheck) throws -> String {
        let view = KYCPageView(record: record, check: check, settings: settings)
        let title = check.state == .open ? "本人確認書類のご提出とご署名" : "本人確認書類を受け付けました"
        return try render("kyc", PageMeta(title: "\(title)（受付番号 \(record.code)）", kind: "kyc", holdsToken: true),
                          ["kyc": view.context])
    }

    // MARK: Rendering

    private func render(_ name: String, _ meta: PageMeta, _ extra: [String: MustacheValue]) throws -> String {
        var context = baseContext(meta)
        for (key, value) in extra { context[key] = value }
        context["body"] = .string(try templates.render(name, .object(context)))
        return try templates.render("layout", .object(context))
    }

    private func baseContext(_ meta: PageMeta) -> [String: MustacheValue] {
        let shop = settings.shop
        let version = assetVersion.isEmpty ? "" : "?v=" + assetVersion
        return [
            "shop": [
                "name": .string(shop.name), "company": .string(shop.company),
                "representative": .string(shop.representative), "postal_code": .string(shop.postalCode),
                "address": .string(shop.address), "phone": .string(shop.phone),
                "phone_link": .string("tel:" + shop.phone.filter { $0.isNumber || $0 == "+" }),
                "email": .string(shop.email), "hours": .string(shop.hours),
                "license_number": .string(shop.licenseNumber), "license_commission": .string(shop.licenseCommission),
            ],
            "site": [
                "base_url": .string(settings.site.baseURL), "handler_url": .string(settings.site.handlerURL),
                "contact_url": .string(settings.site.contactURL),
            ],
            "settings": [
                "categories": .list(settings.form.categories.map { ["id": .string($0.id), "label": .string($0.label)] }),
                "payout_methods": .list(settings.payoutMethods.map { ["id": .string($0.id), "label": .string($0.label)] }),
                "id_types": .list(settings.idTypes.map { ["id": .string($0.id), "label": .string($0.label), "back": .bool($0.back)] }),
                "pickup_slots": .list(settings.form.pickupSlots.map { ["id": .string($0.id), "label": .string($0.label)] }),
                "kit_offered": .bool(settings.form.kitOffered),
                "pickup_offered": .bool(settings.form.pickupOffered),
                "minimum_age": .int(settings.form.minimumAge),
                "review_valid_days": .int(settings.review.validDays),
                "max_file_mb": .int(max(1, settings.uploads.maxFileBytes / (1024 * 1024))),
            ],
            "menu": .list(menu.map { entry in
                ["title": .string(entry.title), "url": .string(entry.url), "current": .bool(entry.url == meta.path)]
            }),
            "assets": ["css": .string("/assets/site.css" + version), "js": .string("/assets/site.js" + version)],
            "page": [
                "title": .string(meta.title),
                "description": .string(meta.description),
                "kind": .string(meta.kind),
                "home": .bool(meta.path == "/"),
                "canonical": meta.indexable && !meta.path.isEmpty ? .string(settings.absoluteURL(meta.path)) : .null,
                "noindex": .bool(!meta.indexable),
                "holds_token": .bool(meta.holdsToken),
            ],
        ]
    }
}
