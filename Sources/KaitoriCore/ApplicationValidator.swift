/// Normalizes and validates the application form against domain.md and the shop's settings.
/// Pure: the handler calls it before opening the store, so a bad post never touches the database.
public struct ApplicationValidator: Sendable {
    public let settings: Settings
    public let today: CivilDate

    public init(settings: Settings, today: CivilDate) {
        self.settings = settings
        self.today = today
    }

    /// The values after normalization, as the form should show them again on an error.
    public func normalized(_ form: FormValues) -> FormValues {
        var out = FormValues()
        for (name, value) in form.pairs {
            out.pairs.append((name: name, value: normalize(name, value)))
        }
        return out
    }

    func normalize(_ name: String, _ value: String) -> String {
        switch name {
        case "kana", "account_holder": TextNormalizer.katakana(value)
        case "birth_date", "postal_code", "phone", "email", "bank_code", "branch_code", "account_number",
             "item_quantity", "boxes", "pickup_date":
            TextNormalizer.halfWidth(value)
        case "notes", "item_description": TextNormalizer.trim(value)
        default: TextNormalizer.trim(value)
        }
    }

    /// Validates normalized values; returns the application or every problem found.
    public func validate(_ raw: FormValues) -> Result<Application, FieldErrors> {
        let f = normalized(raw)
        var errors: [FieldError] = []
        func need(_ field: String, _ label: String, max: Int = 100) -> String {
            let v = f[field]
            if v.isEmpty { errors.append(FieldError(field, CustomerText.required(label))) }
            else if v.count > max { errors.append(FieldError(field, CustomerText.tooLong(label, max))) }
            return v
        }

        let name = need("name", "お名前", max: 60)
        let kana = need("kana", "フリガナ", max: 60)
        if !kana.isEmpty, !TextNormalizer.isKatakana(kana) { errors.append(FieldError("kana", CustomerText.kanaOnly)) }

        var birth = ""
        switch JapaneseDate.parse(f["birth_date"], label: "生年月日") {
        case .success(let date):
            birth = date.iso
            if date >= today { errors.append(FieldError("birth_date", CustomerText.dateInFuture("生年月日"))) }
            else if date.year <= 1900 { errors.append(FieldError("birth_date", CustomerText.birthDate)) }
            else if date.age(on: today) < settings.form.minimumAge {
                errors.append(FieldError("birth_date", CustomerText.underAge(settings.form.minimumAge)))
            }
        case .failure(let problem):
            errors.append(FieldError("birth_date", problem.message))
        }
        let occupation = need("occupation", "ご職業", max: 40)

        let postal = TextNormalizer.postalCode(f["postal_code"]) ?? TextNormalizer.digits(f["postal_code"])
        if TextNormalizer.postalCode(f["postal_code"]) == nil { errors.append(FieldError("postal_code", CustomerText.postalCode)) }
        let prefecture = f["prefecture"]
        if !prefectures.contains(prefecture) { errors.append(FieldError("prefecture", CustomerText.choose("都道府県"))) }
        let address = need("address", "ご住所", max: 120)
        let building = f["building"]
        if building.count > 80 { errors.append(FieldError("building", CustomerText.tooLong("建物名・部屋番号", 80))) }

        let phone = TextNormalizer.digits(f["phone"])
        if !(phone.count == 10 || phone.count == 11) || !phone.allSatisfy(\.isASCIIDigit) || !phone.hasPrefix("0") {
            errors.append(FieldError("phone", CustomerText.phone))
        }
        let email = f["email"]
        if !email.isEmpty, !ApplicationValidator.looksLikeEmail(email) { errors.append(FieldError("email", CustomerText.email)) }

        var contact: ContactChannel? = nil
        let contactRaw = f["contact"]
        if contactRaw.isEmpty {
            contact = nil
        } else if let c = ContactChannel(rawValue: contactRaw), settings.contactChannels.contains(c) {
            contact = c
            if c == .email, email.isEmpty { errors.append(FieldError("email", CustomerText.emailForContact)) }
            if c == .sms, !(phone.hasPrefix("070") || phone.hasPrefix("080") || phone.hasPrefix("090")) {
                errors.append(FieldError("phone", CustomerText.phoneForSMS))
            }
        } else {
            errors.append(FieldError("contact", CustomerText.choose("ご連絡方法")))
        }

        let payout = validatePayout(f, &errors)

        let items = validateItems(f, &errors)

        var boxes = 1
        let boxesRaw = f["boxes"]
        if !boxesRaw.isEmpty {
            if let b = Int(boxesRaw), (1...settings.form.maxBoxes).contains(b) { boxes = b }
            else { errors.append(FieldError("boxes", CustomerText.boxes(settings.form.maxBoxes))) }
        }
        let kit = settings.form.kitOffered && f["kit"] == "yes"

        var pickupDate = ""
        var pickupSlot = ""
        if settings.form.pickupOffered, !f["pickup_date"].isEmpty || !f["pickup_slot"].isEmpty {
            if let d = CivilDate(iso: f["pickup_date"]) {
                if d <= today { errors.append(FieldError("pickup_date", CustomerText.pickupDatePast)) }
                else if d > today.adding(days: 60) { errors.append(FieldError("pickup_date", CustomerText.pickupDate)) }
                pickupDate = d.iso
            } else {
                errors.append(FieldError("pickup_date", CustomerText.pickupDate))
            }
            if settings.pickupSlot(f["pickup_slot"]) == nil { errors.append(FieldError("pickup_slot", CustomerText.choose("集荷希望時間帯"))) }
            else { pickupSlot = f["pickup_slot"] }
        }
        let notes = f["notes"]
        if notes.count > 1000 { errors.append(FieldError("notes", CustomerText.tooLong("備考", 1000))) }
        if f["agree"] != "on" { errors.append(FieldError("agree", CustomerText.agree)) }

        let submission = String(f["submission_id"].prefix(64))
        errors = CustomerInput.screened(errors, f.pairs)
        if !errors.isEmpty { return .failure(FieldErrors(errors)) }
        let customer = Customer(name: name, kana: kana, birthDate: birth, occupation: occupation, postalCode: postal,
                                prefecture: prefecture, address: address, building: building, phone: phone,
                                email: email, contact: contact)
        return .success(Application(customer: customer, payout: payout, items: items, boxes: boxes, kit: kit,
                                    pickupDate: pickupDate, pickupSlot: pickupSlot, notes: notes,
                                    submissionID: submission))
    }

    /// The payout method and bank account of normalized values (`payout`, `bank_code`, `branch_code`,
    /// `account_type`, `account_number`, `account_holder`); problems are appended to `errors`.
    /// The application form and staff setting a case's payout (`CaseStore.setPayout`) both use it.
    public func validatePayout(_ f: FormValues, _ errors: inout [FieldError]) -> Payout {
        var payout = Payout(method: f["payout"])
        if settings.payoutMethod(payout.method) == nil {
            errors.append(FieldError("payout", CustomerText.choose("お支払い方法")))
        } else if payout.isBankTransfer {
            payout.bankCode = TextNormalizer.digits(f["bank_code"])
            payout.branchCode = TextNormalizer.digits(f["branch_code"])
            payout.accountNumber = TextNormalizer.digits(f["account_number"])
            payout.accountHolder = f["account_holder"]
            if payout.bankCode.count != 4 || !payout.bankCode.allSatisfy(\.isASCIIDigit) {
                errors.append(FieldError("bank_code", CustomerText.bankCode))
            }
            if payout.branchCode.count != 3 || !payout.branchCode.allSatisfy(\.isASCIIDigit) {
                errors.append(FieldError("branch_code", CustomerText.branchCode))
            }
            if let t = Int(f["account_type"]), [1, 2, 4].contains(t) { payout.accountType = t }
            else { errors.append(FieldError("account_type", CustomerText.accountType)) }
            if payout.accountNumber.count != 7 || !payout.accountNumber.allSatisfy(\.isASCIIDigit) {
                errors.append(FieldError("account_number", CustomerText.accountNumber))
            }
            if let problem = AccountHolder.problem(payout.accountHolder) { errors.append(FieldError("account_holder", problem)) }
        }
        return payout
    }

    private func validateItems(_ f: FormValues, _ errors: inout [FieldError]) -> [DeclaredItem] {
        let categories = f.all("item_category")
        let descriptions = f.all("item_description")
        let quantities = f.all("item_quantity")
        let rows = max(categories.count, descriptions.count, quantities.count)
        // Each row sends all three; counts that differ mean a tampered or broken post, not a
        // row to guess at.
        guard categories.count == descriptions.count, descriptions.count == quantities.count else {
            errors.append(FieldError("item_description", CustomerText.itemRowsMismatch))
            return []
        }
        var items: [DeclaredItem] = []
        for i in 0..<rows {
            let cat = i < categories.count ? categories[i] : ""
            let desc = i < descriptions.count ? descriptions[i] : ""
            let qty = i < quantities.count ? quantities[i] : ""
            // A row left entirely blank (the form shows spare rows) is not an item.
            if cat.isEmpty, desc.isEmpty, qty.isEmpty || qty == "1" { continue }
            let row = i + 1
            if settings.category(cat) == nil { errors.append(FieldError("item_category", CustomerText.itemCategory(row))) }
            if desc.isEmpty || desc.count > 200 { errors.append(FieldError("item_description", CustomerText.itemDescription(row))) }
            let q = Int(qty.isEmpty ? "1" : qty) ?? 0
            if q < 1 || q > 999 { errors.append(FieldError("item_quantity", CustomerText.itemQuantity(row))) }
            items.append(DeclaredItem(category: cat, description: desc, quantity: max(q, 1)))
        }
        if items.isEmpty { errors.append(FieldError("item_description", CustomerText.noItems)) }
        if items.count > settings.form.maxItems { errors.append(FieldError("item_description", CustomerText.tooManyItems(settings.form.maxItems))) }
        return items
    }

    static func looksLikeEmail(_ s: String) -> Bool { EmailAddress.isValid(s) }
}

extension Character {
    var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
