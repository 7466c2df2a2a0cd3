import KaitoriCore
import Mustache

/// The application form's view model (interfaces.md, "POST /apply fields"), for the static empty
/// form and for the handler's 422 re-render with every typed value and a message per field.
struct ApplyFormView {
    /// Rows shown when the customer has typed fewer; JS adds more, the handler keeps every row sent.
    static let minimumItemRows = 3
    static let accountTypes = [("1", "普通"), ("2", "当座"), ("4", "貯蓄")]
    static let birthDateHint = "西暦・和暦のどちらでも入力できます（例：1985/4/12、昭和60年4月12日、S60.4.12）。"
    static let occupations = ["会社員", "公務員", "自営業", "会社役員", "パート・アルバイト", "学生", "専業主婦・主夫", "無職", "その他"]

    let settings: Settings
    let values: FormValues
    let errors: FieldErrors

    init(settings: Settings, values: FormValues, errors: FieldErrors?) {
        self.settings = settings
        self.values = values
        self.errors = errors ?? FieldErrors([])
    }

    var context: MustacheValue {
        let rows = itemRows()
        let single = singleFields()
        var fields: [String: MustacheValue] = [:]
        for field in single { fields[field.name] = field.context }
        let itemMessages = groupItemMessages(rows)
        return [
            "action": .string(settings.handlerPath("/apply")),
            "fields": .object(fields),
            "items": [
                "rows": .list(rows.map { $0.context }),
                "template_row": ItemRow(index: 0, settings: settings, placeholder: true).context,
                "max": .int(settings.form.maxItems),
                "invalid": .bool(!itemMessages.isEmpty),
                "messages": .list(itemMessages.map { .string($0) }),
                "error_id": "items-error",
            ],
            "bank": ["shown": .bool(settings.payoutMethod(Payout.bankTransfer) != nil)],
            "kit_offered": .bool(settings.form.kitOffered),
            "pickup_offered": .bool(settings.form.pickupOffered),
            "has_errors": .bool(!errors.errors.isEmpty),
            "error_summary": .string(CustomerText.summary),
            "errors": .list(summary(rows, single).map { ["message": .string($0.message), "href": .string("#" + $0.anchor)] }),
            "terms_url": "/terms/",
        ]
    }

    // MARK: Fields

    private func field(_ name: String, _ label: String, type: String = "text", autocomplete: String = "",
                       inputmode: String = "", maxlength: Int = 0, placeholder: String = "", hint: String = "",
                       required: Bool = false, requirement: String = "", options: [FormField.Option] = [],
                       default defaultValue: String = "") -> FormField {
        FormField(name: name, id: "f-" + name.replacingUnderscores, label: label, type: type,
                  value: values.has(name) ? values[name] : defaultValue, autocomplete: autocomplete,
                  inputmode: inputmode, maxlength: maxlength, placeholder: placeholder, hint: hint,
                  required: required, requirement: requirement, options: options,
                  messages: errors.messages(for: name))
    }

    private func singleFields() -> [FormField] {
        let bank = "銀行振込の場合は必須"
        var occupation = field("occupation", "ご職業", autocomplete: "organization-title", maxlength: 40,
                               placeholder: "例：会社員", hint: "古物営業法により、ご職業をお伺いしています。", required: true)
        occupation.datalist = ApplyFormView.occupations
        var list = [
            field("name", "お名前", autocomplete: "name", maxlength: 60, placeholder: "例：山田 太郎", required: true),
            field("kana", "フリガナ", maxlength: 60, placeholder: "例：ヤマダ タロウ", hint: "カタカナでご入力ください。", required: true),
            field("birth_date", "生年月日", autocomplete: "bday", maxlength: 20, placeholder: "例：1985-04-12",
                  hint: ApplyFormView.birthDateHint + "\(settings.form.minimumAge)歳未満の方はお申し込みいただけません。",
                  required: true),
            occupation,
            field("postal_code", "郵便番号", autocomplete: "postal-code", inputmode: "numeric", maxlength: 8,
                  placeholder: "例：330-0063", hint: "半角・全角どちらの数字でもかまいません。", required: true),
            field("prefecture", "都道府県", type: "select", autocomplete: "address-level1", required: true,
                  options: [FormField.Option(value: "", label: "選択してください")] + prefectures.map { FormField.Option(value: $0, label: $0) }),
            field("address", "ご住所（市区町村・番地）", autocomplete: "address-line1", maxlength: 120,
                  placeholder: "例：さいたま市浦和区高砂2-8-14", required: true),
            field("building", "建物名・部屋番号", autocomplete: "address-line2", maxlength: 80, placeholder: "例：まる福ハイツ101号室"),
            field("phone", "電話番号", type: "tel", autocomplete: "tel", inputmode: "tel", maxlength: 13,
                  placeholder: "例：090-1234-5678", hint: "日中にご連絡のつく番号をご入力ください。", required: true),
            field("email", "メールアドレス", type: "email", autocomplete: "email", inputmode: "email", maxlength: 254,
                  placeholder: "例：taro@example.jp", hint: "ご連絡方法で「メール」を選んだ場合は必須です。"),
            field("contact", "ご希望の連絡方法", type: "radio",
                  options: settings.contactChannels.map { FormField.Option(value: $0.rawValue, label: ApplyFormView.label($0)) },
                  default: settings.contactChannels.contains(.none) ? ContactChannel.none.rawValue : ""),
            field("payout", "お支払い方法", type: "radio", required: true,
                  options: settings.payoutMethods.map { FormField.Option(value: $0.id, label: $0.label) }),
            field("bank_code", "金融機関コード", autocomplete: "off", inputmode: "numeric", maxlength: 4, placeholder: "例：0009",
                  hint: "4桁の数字です。キャッシュカードや通帳、金融機関のウェブサイトでご確認いただけます。", requirement: bank),
            field("branch_code", "支店コード", autocomplete: "off", inputmode: "numeric", maxlength: 3, placeholder: "例：123",
                  hint: "3桁の数字です（店番）。", requirement: bank),
            field("account_type", "口座種別", type: "select", autocomplete: "off", requirement: bank,
                  options: ApplyFormView.accountTypes.map { FormField.Option(value: $0.0, label: $0.1) }, default: "1"),
            field("account_number", "口座番号", autocomplete: "off", inputmode: "numeric", maxlength: 7, placeholder: "例：1234567",
                  hint: "7桁の数字です。7桁未満の場合は先頭に0を付けてください。", requirement: bank),
            field("account_holder", "口座名義（カナ）", autocomplete: "off", maxlength: 60, placeholder: "例：ヤマダ タロウ",
                  hint: "通帳に記載のとおり、カタカナでご入力ください。", requirement: bank),
            field("boxes", "お送りいただく箱数", type: "select", required: true,
                  options: (1...max(1, settings.form.maxBoxes)).map { FormField.Option(value: String($0), label: "\($0)箱") },
                  default: "1"),
            field("notes", "備考", type: "textarea", maxlength: 1000,
                  placeholder: "動作の不具合や付属品の欠品、ご質問などがあればご記入ください。"),
            field("agree", "買取利用規約に同意します", type: "checkbox", required: true),
            field("submission_id", "", type: "hidden"),
        ]
        if settings.form.kitOffered {
            list.append(field("kit", "梱包キット（段ボール箱・緩衝材）", type: "radio",
                              hint: "ご自宅に段ボール箱がない場合は、無料でお送りします。",
                              options: [FormField.Option(value: "no", label: "希望しない"), FormField.Option(value: "yes", label: "希望する（無料）")],
                              default: "no"))
        }
        if settings.form.pickupOffered {
            list.append(field("pickup_date", "集荷希望日", type: "date", autocomplete: "off", placeholder: "例：2026-12-01",
                              hint: "集荷をご希望の場合のみご入力ください。明日以降、60日以内の日付を選べます。",
                              requirement: "集荷をご希望の場合"))
            list.append(field("pickup_slot", "集荷希望時間帯", type: "select", autocomplete: "off", requirement: "集荷をご希望の場合",
                              options: [FormField.Option(value: "", label: "選択してください")]
                                  + settings.form.pickupSlots.map { FormField.Option(value: $0.id, label: $0.label) }))
        }
        return list
    }

    static func label(_ channel: ContactChannel) -> String {
        switch channel {
        case .email: "メール"
        case .sms: "SMS（ショートメッセージ）"
        case .none: "指定なし"
        }
    }

    // MARK: Item rows

    /// One row of the "items you are sending" list; fields are named as interfaces.md says and
    /// aligned by position, so row N's messages are the validator's "N行目" messages.
    struct ItemRow {
        var index: Int
        var category = ""
        var description = ""
        var quantity = "1"
        var categoryMessages: [String] = []
        var descriptionMessages: [String] = []
        var quantityMessages: [String] = []
        let settings: Settings
        /// The row JS clones: `__N__` stands for the row number.
        var placeholder = false

        init(index: Int, settings: Settings, placeholder: Bool = false) {
            self.index = index; self.settings = settings; self.placeholder = placeholder
        }

        var number: String { placeholder ? "__N__" : String(index + 1) }

        var fields: [FormField] {
            let prefix = "f-item-\(number)-"
            let categories = [FormField.Option(value: "", label: "選択してください")]
                + settings.form.categories.map { FormField.Option(value: $0.id, label: $0.label) }
            return [
                FormField(name: "item_category", id: prefix + "category", label: "カテゴリ", type: "select", value: category,
                          autocomplete: "off", plainLabel: true, options: categories, messages: categoryMessages),
                FormField(name: "item_description", id: prefix + "description", label: "品名・型番など", value: description,
                          autocomplete: "off", maxlength: 200, placeholder: "例：Nintendo Switch 本体（有機ELモデル）",
                          plainLabel: true, messages: descriptionMessages),
                FormField(name: "item_quantity", id: prefix + "quantity", label: "数量", value: quantity,
                          autocomplete: "off", inputmode: "numeric", maxlength: 3, plainLabel: true, messages: quantityMessages),
            ]
        }

        var context: MustacheValue {
            let f = fields
            return [
                "number": .string(number),
                "category": f[0].context,
                "description": f[1].context,
                "quantity": f[2].context,
                "invalid": .bool(f.contains { $0.invalid }),
            ]
        }
    }

    private func itemRows() -> [ItemRow] {
        let categories = values.all("item_category")
        let descriptions = values.all("item_description")
        let quantities = values.all("item_quantity")
        let count = max(ApplyFormView.minimumItemRows, categories.count, descriptions.count, quantities.count)
        return (0..<count).map { i in
            var row = ItemRow(index: i, settings: settings)
            if i < categories.count { row.category = categories[i] }
            if i < descriptions.count { row.description = descriptions[i] }
            if i < quantities.count { row.quantity = quantities[i] }
            let number = i + 1
            row.categoryMessages = errors.messages(for: "item_category").filter { $0 == CustomerText.itemCategory(number) }
            row.descriptionMessages = errors.messages(for: "item_description").filter { $0 == CustomerText.itemDescription(number) }
            row.quantityMessages = errors.messages(for: "item_quantity").filter { $0 == CustomerText.itemQuantity(number) }
            return row
        }
    }

    /// Item problems that belong to no single row ("enter at least one item", "too many rows").
    private func groupItemMessages(_ rows: [ItemRow]) -> [String] {
        let perRow = Set(rows.flatMap { $0.categoryMessages + $0.descriptionMessages + $0.quantityMessages })
        return errors.errors.filter { $0.field.hasPrefix("item_") && !perRow.contains($0.message) }.map(\.message)
    }

    // MARK: Error summary

    /// Every message in field order, each linking to the control to fix.
    private func summary(_ rows: [ItemRow], _ fields: [FormField]) -> [(message: String, anchor: String)] {
        let single = Dictionary(fields.map { ($0.name, $0.anchor) }, uniquingKeysWith: { a, _ in a })
        return errors.errors.map { error in
            if error.field.hasPrefix("item_") {
                for row in rows {
                    for field in row.fields where field.name == error.field && field.messages.contains(error.message) {
                        return (error.message, field.anchor)
                    }
                }
                return (error.message, rows.first?.fields[1].anchor ?? "items")
            }
            return (error.message, single[error.field] ?? "apply-form")
        }
    }
}

extension String {
    /// `birth_date` → `birth-date`, for ids that read like the rest of the page's.
    var replacingUnderscores: String { String(map { $0 == "_" ? "-" : $0 }) }
}
