import KaitoriCore
import Mustache

/// The confirmation page (確認画面) of a valid application: every value as the shop's documents
/// will print it, and the normalized form carried on as hidden fields for the second post, which
/// the handler validates again (the browser is never trusted).
struct ApplyConfirmView {
    let settings: Settings
    let application: Application
    /// The form as `ApplicationValidator.normalized` returned it.
    let values: FormValues

    /// Fields the confirmation page does not carry: the step buttons set their own, and the
    /// honeypot is empty by the time a page is confirmed.
    static let notCarried: Set<String> = ["step", "website"]

    var context: MustacheValue {
        [
            "action": .string(settings.handlerPath("/apply")),
            "sections": .list(sections.map { section in
                [
                    "title": .string(section.title),
                    "rows": .list(section.rows.map {
                        ["label": .string($0.label), "value": .string($0.value), "multiline": .bool($0.value.contains("\n"))]
                    }),
                    "has_items": .bool(!section.items.isEmpty),
                    "items": .list(section.items.map {
                        ["category": .string(settings.category($0.category)?.label ?? $0.category),
                         "description": .string($0.description), "quantity": .int($0.quantity)]
                    }),
                ]
            }),
            "hidden": .list(hidden.map { ["name": .string($0.name), "value": .string($0.value)] }),
        ]
    }

    /// The normalized values, with the birth date as the ISO date the first post resolved, so
    /// the second post cannot read it differently.
    var hidden: [(name: String, value: String)] {
        var out: [(name: String, value: String)] = []
        for pair in values.pairs where !ApplyConfirmView.notCarried.contains(pair.name) {
            out.append(pair.name == "birth_date" ? (pair.name, application.customer.birthDate) : pair)
        }
        return out
    }

    struct Section {
        var title: String
        var rows: [(label: String, value: String)]
        var items: [DeclaredItem] = []
    }

    var sections: [Section] {
        let c = application.customer
        let birth = CivilDate(iso: c.birthDate).map(JapaneseDate.display) ?? c.birthDate
        var contact: [(label: String, value: String)] = [
            ("ご住所", c.fullAddress), ("電話番号", c.phone),
            ("メールアドレス", c.email.isEmpty ? "（なし）" : c.email),
        ]
        if !settings.contactChannels.isEmpty {
            contact.append(("ご希望の連絡方法", c.contact.map(ApplyFormView.label) ?? "指定なし"))
        }
        let p = application.payout
        var payout: [(label: String, value: String)] = [("お支払い方法", settings.payoutMethod(p.method)?.label ?? p.method)]
        if p.isBankTransfer {
            payout += [
                ("金融機関コード", p.bankCode), ("支店コード", p.branchCode),
                ("口座種別", ApplyFormView.accountTypes.first { $0.0 == String(p.accountType) }?.1 ?? ""),
                ("口座番号", p.accountNumber), ("口座名義（カナ）", p.accountHolder),
            ]
        }
        var sending: [(label: String, value: String)] = [("箱数", "\(application.boxes)箱")]
        if settings.form.kitOffered { sending.append(("梱包キット", application.kit ? "希望する（無料）" : "希望しない")) }
        if settings.form.pickupOffered {
            sending.append(("集荷のご希望", settings.pickupText(date: application.pickupDate, slot: application.pickupSlot)
                                ?? "なし（ご自身で発送）"))
        }
        var list = [
            Section(title: "お客様の情報", rows: [("お名前", c.name), ("フリガナ", c.kana), ("生年月日", birth), ("ご職業", c.occupation)]),
            Section(title: "ご住所・ご連絡先", rows: contact),
            Section(title: "お支払い方法", rows: payout),
            Section(title: "お送りいただくお品物", rows: sending, items: application.items),
        ]
        if !application.notes.isEmpty { list.append(Section(title: "備考", rows: [("備考", application.notes)])) }
        return list
    }
}
