/// When a purchase needs a verified ID (古物営業法 第15条, domain.md "Legal rules"): the accepted
/// total reaches `id_check.threshold`, or an accepted item is in a category of
/// `id_check.always_categories`. Everything that decides it or shows it (purchase, the review and
/// ID pages, the ledger) asks this one function.
public struct IDRequirement: Equatable, Sendable {
    public var required: Bool
    /// The total the rule looked at (the accepted items once the customer answered, else all).
    public var total: Int
    public var threshold: Int
    /// Labels of the always-check categories among the items.
    public var categories: [String]

    /// The reason in one line, for the history, the ledger and staff.
    public var reason: String {
        let amount = total >= threshold ? "買取金額 \(Yen.format(total))（基準 \(Yen.format(threshold)) 以上）"
            : "買取金額 \(Yen.format(total))（基準 \(Yen.format(threshold)) 未満）"
        let kinds = categories.isEmpty ? "確認必須の品目なし" : "確認必須の品目: \(categories.joined(separator: "・"))"
        return "\(amount)、\(kinds)"
    }
}

extension Settings {
    /// Whether `record` needs a verified ID before it is purchased. An item without a category
    /// counts under every category the customer declared, so a missing category never waives a check.
    public func idRequirement(for record: Case) -> IDRequirement {
        let items = record.decision == nil ? record.items : record.acceptedItems
        let total = items.reduce(0) { $0 + $1.subtotal }
        var ids: [String] = []
        func add(_ id: String) { if compliance.idCheckAlwaysCategories.contains(id), !ids.contains(id) { ids.append(id) } }
        for item in items {
            if item.category.isEmpty { record.declaredItems.forEach { add($0.category) } } else { add(item.category) }
        }
        let labels = ids.map { category($0)?.label ?? $0 }
        return IDRequirement(required: total >= compliance.idCheckThreshold || !labels.isEmpty, total: total,
                             threshold: compliance.idCheckThreshold, categories: labels)
    }
}
