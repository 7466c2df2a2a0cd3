import KaitoriCore
import Mustache

/// The status page of one case (`/status/<token>/`, domain.md "Customer experience"): where the
/// case stands on the timeline, what the customer does next, the answer given, the payout date and
/// the tracking number of anything sent back. Rewritten by `CasePages` after every change.
struct StatusPageView {
    let record: Case
    let settings: Settings
    let history: [HistoryEntry]
    let idChecks: [IDCheck]
    /// The review page's path while it is published, the open ID request's page.
    let reviewPath: String?
    let kycPath: String?
    let now: Int64

    static let steps = ["申込受付", "発送待ち", "到着", "査定中", "査定完了", "回答済み", "本人確認", "お支払い"]

    /// How many steps are complete; the next one is current.
    var completed: Int {
        switch record.status {
        case .received, .confirmed: 1
        case .arrived: 3
        case .assessing: 3
        case .assessed: record.decision == nil ? 5 : 6
        case .approved, .purchased: 7
        case .paid: 8
        case .canceled: 0
        }
    }

    private func reached(_ status: CaseStatus) -> Int64? {
        history.last { $0.to == status }?.at
    }

    private var stepDates: [Int64?] {
        [record.createdAt, record.kitSentAt ?? reached(.confirmed), reached(.arrived), reached(.assessing),
         record.assessedAt, record.decidedAt, record.approvedAt, record.paidAt]
    }

    var context: MustacheValue {
        let done = completed
        let dates = stepDates
        let steps: [MustacheValue] = StatusPageView.steps.enumerated().map { index, label in
            let state = index < done ? "done" : (index == done ? "current" : "upcoming")
            let date = index < done ? dates[index].map { CivilDate(unixTime: $0).japanese } : nil
            return [
                "label": .string(label), "state": .string(state),
                "state_label": .string(state == "done" ? "完了" : (state == "current" ? "現在の段階" : "これから")),
                "current": .bool(state == "current"), "date": date.map { .string($0) } ?? .null,
            ]
        }
        var status: [String: MustacheValue] = [
            "code": .string(record.code),
            "created_date": .string(CivilDate(unixTime: record.createdAt).japanese),
            "updated": .string(Timestamp.display(record.updatedAt)),
            "current_label": .string(currentLabel),
            "canceled": .bool(record.status == .canceled),
            "canceled_note": .string(reached(.canceled).map { "\(CivilDate(unixTime: $0).japanese)にキャンセルのお手続きが完了しました。" } ?? ""),
            "steps": .list(steps),
            "next": next.context,
            "returns": .list(returns),
            "has_returns": .bool(!returns.isEmpty),
        ]
        if let decision = record.decision {
            let payoutLabel = settings.payoutMethod(record.payout.method)?.label ?? record.payout.method
            status["answer"] = [
                "label": .string(decision.label),
                "date": record.decidedAt.map { .string(CivilDate(unixTime: $0).japanese) } ?? .null,
                "is_cancel": .bool(decision == .cancel),
                "total_yen": .string(Yen.format(record.total)),
                "accepted_total_yen": .string(Yen.format(record.acceptedTotal)),
                "payout_label": decision == .cancel ? .null : .string(payoutLabel),
                "payout_date": record.paidAt.map { .string(CivilDate(unixTime: $0).japanese) } ?? .null,
                "payout_date_label": "お支払い日",
            ]
        }
        return .object(status)
    }

    var currentLabel: String {
        if record.status == .canceled { return "キャンセル" }
        let done = completed
        return done >= StatusPageView.steps.count ? "お支払い完了" : StatusPageView.steps[done] + (done == 5 ? "（ご回答待ち）" : "")
    }

    /// Declined items (every item of a canceled case), with the parcel once sent.
    var returns: [MustacheValue] {
        guard record.decision != nil || record.status == .canceled else { return [] }
        return record.items.filter { $0.declined || record.status == .canceled }.map { item in
            [
                "name": .string(item.displayName),
                "sent": .bool(item.returnedAt != nil),
                "carrier": .string(item.returnCarrier ?? ""),
                "tracking": .string(item.returnTracking ?? ""),
                "date": .string(item.returnedAt.map { CivilDate(unixTime: $0).japanese } ?? ""),
            ]
        }
    }

    struct Next {
        var title: String
        var lines: [String]
        var link: (url: String, label: String)? = nil
        var shipTo = false

        var context: MustacheValue {
            [
                "title": .string(title), "lines": .list(lines.map { .string($0) }),
                "link_url": link.map { .string($0.url) } ?? .null, "link_label": .string(link?.label ?? ""),
                "ship_to": .bool(shipTo),
            ]
        }
    }

    /// What happens next, and what (if anything) the customer does.
    var next: Next {
        switch record.status {
        case .received, .confirmed:
            return CustomerSending.next(record, settings: settings)
        case .arrived, .assessing:
            return Next(title: "査定しています", lines: ["お品物が到着しました。査定が完了しましたら、ご連絡します。"])
        case .assessed where record.decision == nil:
            if let reviewPath, record.reviewOpen(at: now) {
                let until = record.reviewExpiresAt.map { CivilDate(unixTime: $0 - 1).japanese } ?? ""
                return Next(title: "査定結果をご確認ください",
                            lines: ["査定が完了しました。\(until)までに、査定結果のページでご回答ください。"],
                            link: (reviewPath, "査定結果を確認して回答する"))
            }
            return Next(title: "ご回答の期限が過ぎています", lines: ["お手数ですが、受付番号を添えて当店までお問い合わせください。"])
        case .assessed:
            if let kycPath {
                return Next(title: "本人確認書類のご提出をお願いします",
                            lines: ["お買取りには、本人確認書類のご提出とご署名が必要です（古物営業法）。"],
                            link: (kycPath, "本人確認書類を提出する"))
            }
            if idChecks.contains(where: { $0.state == .submitted }) {
                return Next(title: "本人確認書類を確認しています", lines: ["ご提出ありがとうございます。確認が済みましたら、お支払いの手続きに進みます。"])
            }
            return Next(title: "当店からのご連絡をお待ちください", lines: ["本人確認のご案内をあらためてお送りします。"])
        case .approved, .purchased:
            let payout = settings.payoutMethod(record.payout.method)?.label ?? record.payout.method
            return Next(title: "お支払いの準備をしています",
                        lines: ["本人確認が完了しました。お買取り金額を\(payout)でお支払いします。お支払いが済みましたら、このページでお知らせします。"])
        case .paid:
            let date = record.paidAt.map { CivilDate(unixTime: $0).japanese } ?? ""
            return Next(title: "お支払いが完了しました", lines: ["\(date)にお支払いしました。ご利用いただき、ありがとうございました。"])
        case .canceled:
            if record.items.isEmpty {
                return Next(title: "キャンセルを承りました", lines: ["お品物の到着前のキャンセルのため、ご返送はありません。"])
            }
            let waiting = record.items.contains { $0.returnedAt == nil }
            return Next(title: "キャンセルを承りました",
                        lines: [waiting ? "お品物は送料当店負担でご返送します。発送しましたら、このページにお問い合わせ番号を表示します。"
                                        : "お品物をご返送しました。お問い合わせ番号は下記のとおりです。"])
        }
    }
}

/// What a customer does before the parcel arrives, which the applied page, the status page and the
/// first message all follow: a kit on its way, a pickup on a date, or "pack and send now".
enum CustomerSending {
    static func next(_ record: Case, settings: Settings) -> StatusPageView.Next {
        if record.kit {
            if let sent = record.kitSentAt {
                var line = "\(CivilDate(unixTime: sent).japanese)に梱包キットを発送しました。"
                if let tracking = record.kitTracking, !tracking.isEmpty {
                    line += "（\(record.kitCarrier ?? "") お問い合わせ番号 \(tracking)）"
                }
                return .init(title: "梱包キットをお送りしました",
                             lines: [line, "キットが届きましたら、お品物を詰めて、同封の着払い伝票でお送りください。"])
            }
            return .init(title: "梱包キットをお送りします",
                         lines: ["ご希望の梱包キット（段ボール箱・緩衝材）を準備しています。発送しましたら、このページとご連絡でお知らせします。",
                                 "キットが届きましたら、お品物を詰めて、同封の着払い伝票でお送りください。"])
        }
        if let pickup = settings.pickupText(date: record.pickupDate, slot: record.pickupSlot) {
            var lines = ["\(pickup)に、配送業者がご自宅へ集荷に伺います。"]
            if record.pickupArrangedAt != nil {
                lines.append("配送業者への集荷の手配が完了しました" + (record.pickupReference.map { $0.isEmpty ? "。" : "（受付番号 \($0)）。" } ?? "。"))
            } else {
                lines.append("配送業者への集荷の手配を進めています。")
            }
            lines.append("それまでにお品物を段ボール箱に詰め、受付番号を書いたメモを同封してください。")
            return .init(title: "集荷にお伺いします", lines: lines)
        }
        return .init(title: "お品物をお送りください",
                     lines: ["お品物を段ボール箱に詰め、受付番号を書いたメモを同封して、着払いで下記の住所へお送りください。"],
                     shipTo: true)
    }
}
