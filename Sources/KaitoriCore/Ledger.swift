/// The purchase ledger (古物台帳) the 古物営業法 requires: for every purchased item, the date, the item
/// and quantity, its features, the seller's address, name, occupation and age, and how identity
/// was confirmed (domain.md, "Records the law asks for").
public struct Ledger: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        /// 取引年月日: the day the purchase was confirmed (JST).
        public var date: CivilDate
        public var caseCode: String
        public var itemID: Int64
        /// 品目
        public var item: String
        public var quantity: Int
        /// 特徴: grade, condition tags and detail, product code, JAN.
        public var features: String
        public var unitPrice: Int
        public var amount: Int
        public var address: String
        public var name: String
        public var occupation: String
        /// 年齢 at `date`; nil when the stored birth date is not a date.
        public var age: Int?
        /// The ID document's type as the settings label it (e.g. 運転免許証).
        public var idType: String
        /// `upload`, `ekyc`, … (see `CaseStore.verificationMethodLabel`).
        public var verificationMethod: String
        /// How the address was confirmed, e.g. a 本人限定受取郵便 tracking number.
        public var addressCheck: String
        public var verifiedBy: String
        public var verifiedAt: Int64?
        /// 区分: one of the 13 古物 classes (`KobutsuClass`), from `kobutsu_classes` by the item's category.
        public var kobutsuClass: String = ""
        /// The method by the law's item: 「施行規則第15条第3項第2号（…）」; empty for an unlisted method.
        public var lawMethod: String = ""
        /// Why no ID was needed (「確認不要（買取金額 …）」), for a purchase made without one.
        public var idExemption: String = ""

        /// 本人確認の方法 in one cell: document, method and the address check.
        public var identification: String {
            if !idExemption.isEmpty, verificationMethod.isEmpty { return idExemption }
            var parts = [idType.isEmpty ? "本人確認書類（種類未記録）" : idType,
                         lawMethod.isEmpty ? CaseStore.verificationMethodLabel(verificationMethod) : lawMethod]
            if !addressCheck.isEmpty { parts.append("住所確認: \(addressCheck)") }
            return parts.joined(separator: "、")
        }
    }

    public var entries: [Entry]

    public static let header = ["取引年月日", "買取コード", "商品ID", "品目", "数量", "特徴", "買取単価", "金額",
                                "相手方の住所", "相手方の氏名", "相手方の職業", "相手方の年齢", "本人確認の方法",
                                "本人確認書類", "確認方式", "住所確認の記録", "確認者", "確認日時",
                                "古物区分", "確認方法（施行規則第15条第3項）", "本人確認不要の理由"]

    /// UTF-8 CSV with BOM. Customer text is neutralized so a spreadsheet never runs it as a formula.
    public var csv: String {
        CSV.encode([Ledger.header] + rows)
    }

    /// The data rows as text (no header, nothing neutralized: a workbook cell is a value).
    public var rows: [[String]] { entries.map(\.row) }
}

extension Ledger.Entry {
    /// The entry as a row of `Ledger.header`'s columns.
    public var row: [String] {
        [date.iso, caseCode, String(itemID), item, String(quantity), features, String(unitPrice),
         String(amount), address, name, occupation, age.map(String.init) ?? "", identification,
         idType, verificationMethod, addressCheck, verifiedBy, verifiedAt.map(Timestamp.display) ?? "",
         kobutsuClass, lawMethod, idExemption]
    }
}

extension CaseStore {
    /// Ledger entries for purchases confirmed from `from` to `to` (JST days, both included; nil
    /// for no bound), oldest first.
    public func ledger(from: CivilDate? = nil, to: CivilDate? = nil, settings: Settings) throws -> Ledger {
        var entries: [Ledger.Entry] = []
        try eachLedgerEntry(from: from, to: to, settings: settings) { entries.append($0) }
        return Ledger(entries: entries)
    }

    /// The same entries handed over one at a time, read a page at a time: an export of any size
    /// runs in memory that does not grow with the shop's history.
    public func eachLedgerEntry(from: CivilDate? = nil, to: CivilDate? = nil, settings: Settings,
                                _ body: (Ledger.Entry) throws -> Void) throws {
        var bounds = ""
        var values: [SQLValue] = []
        if let from { bounds += " AND s.created_at >= ?"; values.append(.int(from.daysSinceEpoch * 86400 - CivilDate.jstOffset)) }
        if let to { bounds += " AND s.created_at < ?"; values.append(.int(to.adding(days: 1).daysSinceEpoch * 86400 - CivilDate.jstOffset)) }
        // What is looked up per case, kept for the case at hand only: a purchase's items are
        // stocked together, so they come one after another.
        var current: (id: Int64, verified: (check: IDCheck, method: String)?, lawMethod: String, address: String, declared: [String])?
        let page = KeysetPage(time: "s.created_at", id: "s.id")
        try page.each({ condition, keys in
            try db.query("""
                SELECT s.created_at AS stocked_at, s.created_at AS page_time, s.id AS page_id, c.id AS case_row,
                       c.code AS case_code, c.id_exemption, i.*,
                       u.name AS customer_name, u.birth_date, u.occupation, u.postal_code, u.prefecture, u.address, u.building
                FROM stock s JOIN items i ON i.id = s.item_id JOIN cases c ON c.id = s.case_id JOIN customers u ON u.case_id = c.id
                WHERE \(condition)\(bounds)
                """ + page.orderAndLimit, keys + values)
        }) { r in
            let caseID = r.int("case_row")
            if current?.id != caseID {
                var lawMethod = ""
                let found = try verifiedID(caseID: caseID)
                if let found, let row = try db.query("SELECT method_item, method_label FROM id_checks WHERE id = ?", [.int(found.check.id)]).first,
                   let item = row.optionalInt("method_item") {
                    lawMethod = Settings.VerificationMethod(id: found.method, item: Int(item), label: row.optionalString("method_label") ?? "", addressMail: false).lawReference
                }
                let address = try addressChecks(caseID: caseID).last(where: { $0.state != .sent })?.summary ?? ""
                current = (caseID, found, lawMethod, address, try declaredCategories(caseID: caseID))
            }
            guard let current else { return }
            let id = current.verified
            let item = Item(row: r)
            let date = CivilDate(unixTime: r.int("stocked_at"))
            let customer = Customer(name: r.string("customer_name"), postalCode: r.string("postal_code"), prefecture: r.string("prefecture"),
                                    address: r.string("address"), building: r.string("building"))
            var features = ["グレード \(item.grade) \(item.gradeLabel)"]
            if !item.tags.isEmpty { features.append(item.tags) }
            if !item.condition.isEmpty { features.append(item.condition.replacing("\n", with: " ")) }
            if !item.productCode.isEmpty { features.append("商品コード \(item.productCode)") }
            if !item.jan.isEmpty { features.append("JAN \(item.jan)") }
            try body(Ledger.Entry(
                date: date, caseCode: r.string("case_code"), itemID: item.id, item: item.displayName, quantity: item.quantity,
                features: features.joined(separator: " / "), unitPrice: item.unitPrice, amount: item.subtotal,
                address: customer.fullAddress, name: customer.name, occupation: r.string("occupation"),
                age: CivilDate(iso: r.string("birth_date"))?.age(on: date),
                idType: id?.check.idType.map { settings.idType($0)?.label ?? $0 } ?? "",
                verificationMethod: id?.method ?? "", addressCheck: id?.check.addressConfirmation ?? current.address,
                verifiedBy: id?.check.reviewedBy ?? "", verifiedAt: id?.check.reviewedAt,
                kobutsuClass: settings.kobutsuClass(of: item, declared: current.declared),
                lawMethod: current.lawMethod, idExemption: r.optionalString("id_exemption") ?? ""))
        }
    }

    func declaredCategories(caseID: Int64) throws -> [String] {
        try db.query("SELECT category FROM declared_items WHERE case_id = ? GROUP BY category ORDER BY MIN(position)", [.int(caseID)]).map { $0.string("category") }
    }
}

extension Settings {
    /// The ledger's 古物 class of an item: by its category, else by the one category the customer
    /// declared; empty when neither is mapped in `kobutsu_classes` (several declared categories
    /// with different classes are not guessed).
    public func kobutsuClass(of item: Item, declared: [String]) -> String {
        if !item.category.isEmpty { return compliance.kobutsuClasses[item.category] ?? "" }
        let classes = Set(declared.compactMap { compliance.kobutsuClasses[$0] })
        return classes.count == 1 ? classes.first! : ""
    }
}
