import Mustache

/// The values message templates can use: `shop.*`, `case.*`, `customer.*`, `links.*`, `status_url` and
/// event extras such as `return.*`. docs/settings.md lists them.
public enum MessageContext {
    public static func make(settings: Settings, record: Case, store: CaseStore?, extra: [String: MustacheValue]) throws -> MustacheValue {
        var kycLink: MustacheValue = .null
        if let store, let token = try store.openIDCheckToken(caseID: record.id) {
            kycLink = .string(settings.absoluteURL("/kyc/\(token)/"))
        }
        return make(settings: settings, record: record, kycLink: kycLink, extra: extra)
    }

    public static func make(settings: Settings, record: Case, kycLink: MustacheValue, extra: [String: MustacheValue]) -> MustacheValue {
        let shop = settings.shop
        let pickup = settings.pickupText(date: record.pickupDate, slot: record.pickupSlot) ?? ""
        let statusLink: MustacheValue = record.statusToken.map { .string(settings.absoluteURL("/status/\($0)/")) } ?? .null
        var root: [String: MustacheValue] = [
            "shop": .object([
                "name": .string(shop.name), "company": .string(shop.company), "phone": .string(shop.phone),
                "email": .string(shop.email), "hours": .string(shop.hours), "address": .string(shop.address),
                "postal_code": .string(shop.postalCode),
                "license_number": .string(shop.licenseNumber), "license_commission": .string(shop.licenseCommission),
                "contact_url": .string(settings.site.contactURL.hasPrefix("/") ? settings.absoluteURL(settings.site.contactURL) : settings.site.contactURL),
            ]),
            "case": .object([
                "code": .string(record.code),
                "status": .string(record.status.rawValue),
                "status_label": .string(record.status.label),
                "created_date": .string(CivilDate(unixTime: record.createdAt).japanese),
                "boxes": .int(record.boxes),
                "kit": .bool(record.kit),
                "pickup": .string(pickup),
                "kit_sent_date": .string(record.kitSentAt.map { CivilDate(unixTime: $0).japanese } ?? ""),
                "kit_carrier": .string(record.kitCarrier ?? ""),
                "kit_tracking": .string(record.kitTracking ?? ""),
                "pickup_reference": .string(record.pickupReference ?? ""),
                "total": .int(record.total),
                "total_yen": .string(Yen.format(record.total)),
                "accepted_total": .int(record.acceptedTotal),
                "accepted_total_yen": .string(Yen.format(record.acceptedTotal)),
                "review_expires_date": .string(record.reviewExpiresAt.map { CivilDate(unixTime: $0 - 1).japanese } ?? ""),
                "payout_label": .string(settings.payoutMethod(record.payout.method)?.label ?? record.payout.method),
                "item_count": .int(record.items.count),
            ]),
            "customer": .object([
                "name": .string(record.customer.name), "kana": .string(record.customer.kana),
                "phone": .string(record.customer.phone), "email": .string(record.customer.email),
            ]),
            "links": .object([
                "review": record.reviewToken.map { .string(settings.absoluteURL("/review/\($0)/")) } ?? .null,
                "kyc": kycLink,
                "status": statusLink,
            ]),
            // The status page link, in every message from the first one.
            "status_url": statusLink,
        ]
        for (k, v) in extra { root[k] = v }
        return .object(root)
    }

    public static func render(_ source: String, name: String, _ context: MustacheValue) throws -> String {
        let template = try Template(source: source, name: name)
        return try template.render(context, library: TemplateLibrary(), escaping: .none)
    }
}
