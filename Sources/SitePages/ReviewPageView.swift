import KaitoriCore
import Mustache

/// The review page of one assessed case (domain.md, "Review page"): the items and total with the
/// three answers while the link is open, the recorded answer once the customer has replied.
struct ReviewPageView {
    let record: Case
    let settings: Settings
    /// The open ID request's token, linked from the answered page.
    let kycToken: String?
    let now: Int64
    /// What the customer chose, when the handler shows the page again (修正する, or an answer
    /// that cannot be recorded) instead of the static page.
    var draft: ReviewDraft? = nil

    var context: MustacheValue {
        let open = record.reviewOpen(at: now)
        var review: [String: MustacheValue] = [
            "code": .string(record.code),
            "assessed_date": .string(record.assessedAt.map { CivilDate(unixTime: $0).japanese } ?? ""),
            "expires_date": .string(record.reviewExpiresAt.map { CivilDate(unixTime: $0 - 1).japanese } ?? ""),
            "items": .list(record.items.map(item)),
            "count": .int(record.items.count),
            "total": .int(record.total),
            "total_yen": .string(Yen.format(record.total)),
            "open": .bool(open),
            "action": .string(settings.handlerPath("/review/\(record.reviewToken ?? "")")),
            "decision": decisionField.context,
            "id_step": idStep,
            "has_errors": .bool(!(draft?.messages.isEmpty ?? true)),
            "error_summary": .string(CustomerText.summary),
            "errors": .list((draft?.messages ?? []).map { ["message": .string($0), "href": "#f-decision-1"] }),
        ]
        if let decision = record.decision {
            let sold = decision == .cancel ? [] : record.acceptedItems
            let returned = decision == .cancel ? record.items : record.items.filter(\.declined)
            review["answered"] = [
                "label": .string(decision.label),
                "is_all": .bool(decision == .all),
                "is_part": .bool(decision == .part),
                "is_cancel": .bool(decision == .cancel),
                "decided_date": .string(record.decidedAt.map { CivilDate(unixTime: $0).japanese } ?? ""),
                "sold_items": .list(sold.map(item)),
                "has_sold_items": .bool(!sold.isEmpty),
                "returned_items": .list(returned.map(item)),
                "has_returned_items": .bool(!returned.isEmpty),
                "accepted_total_yen": .string(Yen.format(record.acceptedTotal)),
                "kyc_url": kycToken.map { .string("/kyc/\($0)/") } ?? .null,
                "id_required": .bool(settings.idRequirement(for: record).required),
                "approved": .bool([.approved, .purchased, .paid].contains(record.status)),
            ]
        }
        return .object(review)
    }

    /// Whether an ID step follows the answer (domain.md, "When an ID check is required"), told
    /// before the customer answers. Selling only some items can lower the total below the
    /// threshold, so the page says when a part sale needs none.
    private var idStep: MustacheValue {
        let rule = settings.idRequirement(for: record)
        let threshold = Yen.format(rule.threshold)
        let kinds = settings.compliance.idCheckAlwaysCategories.compactMap { settings.category($0)?.label }.joined(separator: "、")
        let text: String
        if !rule.required {
            text = "今回のお買取りでは、本人確認書類のご提出は不要です（お買取り金額が\(threshold)未満で、本人確認が必要な品目を含まないため）。ご回答のあと、ご署名のみお願いいたします。"
        } else if rule.categories.isEmpty {
            text = "お買取り金額が\(threshold)以上となるため、ご回答のあと本人確認書類のご提出とご署名をお願いいたします。一部売却でお買取り金額が\(threshold)未満になる場合は、本人確認書類は不要です\(kinds.isEmpty ? "" : "（\(kinds)を除く）")。"
        } else {
            text = "\(rule.categories.joined(separator: "、"))のお買取りには、金額にかかわらず本人確認が必要です。ご回答のあと本人確認書類のご提出とご署名をお願いいたします。"
        }
        return ["required": .bool(rule.required), "text": .string(text)]
    }

    private var decisionField: FormField {
        FormField(name: "decision", id: "f-decision", label: "いずれかをお選びください", type: "radio",
                  value: draft?.decision?.rawValue ?? "", required: true, options: [
            FormField.Option(value: Case.Decision.all.rawValue, label: Case.Decision.all.label,
                             hint: "すべてのお品物を査定金額でお売りいただきます。"),
            FormField.Option(value: Case.Decision.part.rawValue, label: Case.Decision.part.label,
                             hint: "売却しないお品物に印を付けてください。そのお品物は送料当店負担でご返送します。"),
            FormField.Option(value: Case.Decision.cancel.rawValue, label: Case.Decision.cancel.label,
                             hint: "すべてのお品物を送料当店負担でご返送します。"),
        ], messages: draft?.messages ?? [])
    }

    private func item(_ item: Item) -> MustacheValue {
        ReviewPageView.item(item, checked: draft?.declined.contains(item.id) ?? false)
    }

    static func item(_ item: Item, checked: Bool = false) -> MustacheValue {
        [
            "id": .string(String(item.id)),
            "decline_id": .string("decline-\(item.id)"),
            "name": .string(item.displayName),
            "grade": .string(item.gradeLabel),
            "quantity": .int(item.quantity),
            "unit_price_yen": .string(Yen.format(item.unitPrice)),
            "subtotal": .int(item.subtotal),
            "subtotal_yen": .string(Yen.format(item.subtotal)),
            "comment": .string(item.buyerComment),
            "declined": .bool(item.declined),
            "checked": .bool(checked),
        ]
    }
}

/// An answer not yet recorded: shown again on the review page with what is wrong with it.
public struct ReviewDraft: Sendable {
    public var decision: Case.Decision?
    public var declined: Set<Int64>
    public var messages: [String]

    public init(decision: Case.Decision?, declined: Set<Int64>, messages: [String] = []) {
        self.decision = decision; self.declined = declined; self.messages = messages
    }
}

/// The confirmation of a review answer (確認画面): what is sold for how much, what comes back, and
/// the answer carried on as hidden fields for the post that records it.
struct ReviewConfirmView {
    let record: Case
    let settings: Settings
    let decision: Case.Decision
    let declined: Set<Int64>

    var context: MustacheValue {
        let sold = decision == .cancel ? [] : record.items.filter { !declined.contains($0.id) }
        let returned = decision == .cancel ? record.items : record.items.filter { declined.contains($0.id) }
        let total = sold.reduce(0) { $0 + $1.subtotal }
        return [
            "code": .string(record.code),
            "action": .string(settings.handlerPath("/review/\(record.reviewToken ?? "")")),
            "decision": .string(decision.rawValue),
            "decision_label": .string(decision.label),
            "is_cancel": .bool(decision == .cancel),
            "accepted_total_yen": .string(Yen.format(total)),
            "sold_items": .list(sold.map { ReviewPageView.item($0) }),
            "has_sold_items": .bool(!sold.isEmpty),
            "returned_items": .list(returned.map { ReviewPageView.item($0) }),
            "has_returned_items": .bool(!returned.isEmpty),
            "declined_ids": .list(decision == .part ? record.items.filter { declined.contains($0.id) }.map { .string(String($0.id)) } : []),
        ]
    }
}
