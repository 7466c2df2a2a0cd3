import KaitoriCore

/// Everything staff see about one case, as text and as JSON.
struct CaseDetail {
    let record: Case
    let history: [HistoryEntry]
    let checks: [IDCheck]
    let memos: [(at: Int64, author: String, text: String)]
    let messages: [(event: String, channel: String, state: String, at: Int64)]
    let settings: Settings
    let kycToken: String?
    let now: Int64

    static func load(code: String, store: CaseStore, settings: Settings) throws -> CaseDetail {
        let record = try store.load(code: code)
        let messages = try store.outboxMessages(caseID: record.id).map {
            (event: $0.event, channel: $0.channel, state: $0.state.rawValue, at: $0.createdAt)
        }
        return CaseDetail(record: record, history: try store.history(caseID: record.id), checks: try store.idChecks(caseID: record.id),
                          memos: try store.memos(caseID: record.id), messages: messages, settings: settings,
                          kycToken: try store.openIDCheckToken(caseID: record.id), now: store.clock.now())
    }

    var reviewLink: String? {
        guard record.reviewOpen(at: now), let token = record.reviewToken else { return nil }
        return settings.absoluteURL("/review/\(token)/")
    }

    var kycLink: String? { kycToken.map { settings.absoluteURL("/kyc/\($0)/") } }

    /// The customer's status page while it is published.
    var statusLink: String? {
        guard let token = record.statusToken, record.showsStatusPage(at: now) else { return nil }
        return settings.absoluteURL("/status/\(token)/")
    }

    var json: CaseJSON {
        let c = record.customer
        let p = record.payout
        return CaseJSON(
            code: record.code, status: record.status.rawValue, status_label: record.status.label,
            created_at: Timestamp.iso(record.createdAt), updated_at: Timestamp.iso(record.updatedAt), parent: record.parentCode,
            customer: .init(name: c.name, kana: c.kana, email: c.email, phone: c.phone, birth_date: c.birthDate,
                            occupation: c.occupation, postal_code: c.postalCode, prefecture: c.prefecture, address: c.address,
                            building: c.building, contact: c.contact?.rawValue),
            payout: .init(method: p.method, label: settings.payoutMethod(p.method)?.label,
                          bank_code: p.isBankTransfer ? p.bankCode : nil, branch_code: p.isBankTransfer ? p.branchCode : nil,
                          account_type: p.isBankTransfer ? p.accountType : nil,
                          account_number: p.isBankTransfer ? p.accountNumber : nil,
                          account_holder: p.isBankTransfer ? p.accountHolder : nil),
            declared_items: record.declaredItems.map { .init(category: $0.category, description: $0.description, quantity: $0.quantity) },
            boxes: record.boxes, kit: record.kit,
            pickup_date: record.pickupDate.isEmpty ? nil : record.pickupDate,
            pickup_slot: record.pickupSlot.isEmpty ? nil : record.pickupSlot, notes: record.notes,
            tracking_number: record.trackingNumber.isEmpty ? nil : record.trackingNumber,
            items: record.items.map {
                .init(id: $0.id, name: $0.displayName, product_code: $0.productCode, jan: $0.jan, quantity: $0.quantity,
                      unit_price: $0.unitPrice, sale_price: $0.salePrice, subtotal: $0.subtotal, grade: $0.grade,
                      grade_label: $0.gradeLabel, shelf: $0.shelf, tags: $0.tags, condition: $0.condition,
                      staff_memo: $0.staffMemo, buyer_comment: $0.buyerComment, weight: $0.weight, declined: $0.declined,
                      returned_at: $0.returnedAt.map(Timestamp.iso), return_carrier: $0.returnCarrier,
                      return_tracking: $0.returnTracking)
            },
            total: record.total, accepted_total: record.acceptedTotal, decision: record.decision?.rawValue,
            review_expires_at: record.reviewExpiresAt.map(Timestamp.iso),
            links: .init(review: reviewLink, kyc: kycLink, status: statusLink),
            id_checks: checks.map {
                .init(state: $0.state.rawValue, id_type: $0.idType, created_at: Timestamp.iso($0.createdAt),
                      submitted_at: $0.submittedAt.map(Timestamp.iso), reviewed_by: $0.reviewedBy,
                      address_confirmation: $0.addressConfirmation, note: $0.note,
                      files: $0.files.map { .init(kind: $0.kind, path: $0.path, content_type: $0.contentType, size: $0.size) })
            },
            memos: memos.map { .init(at: Timestamp.iso($0.at), author: $0.author, text: $0.text) },
            history: history.map { .init(from: $0.from?.rawValue, to: $0.to.rawValue, at: Timestamp.iso($0.at), by: $0.by.description, note: $0.note) })
    }

    var text: String {
        let c = record.customer
        var lines: [String] = []
        lines.append("\(record.code)  \(record.status.label) (\(record.status.rawValue))  受付 \(Timestamp.display(record.createdAt))")
        if let parent = record.parentCode { lines.append("再査定元: \(parent)") }
        lines.append("")
        lines.append("お客様    \(c.name)（\(c.kana)）  生年月日 \(c.birthDate)  職業 \(c.occupation)")
        lines.append("住所      \(c.fullAddress)")
        lines.append("連絡先    \(c.phone)  \(c.email)  希望: \(c.contact?.rawValue ?? "指定なし")")
        let payoutLabel = settings.payoutMethod(record.payout.method)?.label ?? record.payout.method
        if record.payout.isBankTransfer {
            let p = record.payout
            lines.append("支払方法  \(payoutLabel)  \(p.bankCode)-\(p.branchCode) 種別\(p.accountType) \(p.accountNumber) \(p.accountHolder)")
        } else {
            lines.append("支払方法  \(payoutLabel)")
        }
        var parcel = "箱数 \(record.boxes)  キット \(record.kit ? "希望" : "不要")"
        if !record.pickupDate.isEmpty { parcel += "  集荷 \(record.pickupDate) \(settings.pickupSlot(record.pickupSlot)?.label ?? record.pickupSlot)" }
        if let sent = record.kitSentAt { parcel += "  キット発送 \(Timestamp.display(sent)) \(record.kitCarrier ?? "") \(record.kitTracking ?? "")" }
        if let arranged = record.pickupArrangedAt { parcel += "  集荷手配 \(Timestamp.display(arranged)) \(record.pickupReference ?? "")" }
        if !record.trackingNumber.isEmpty { parcel += "  送り状 \(record.trackingNumber)" }
        lines.append(parcel)
        if !record.notes.isEmpty { lines.append("備考      \(record.notes)") }
        lines.append("")
        lines.append("申込品目:")
        for d in record.declaredItems {
            lines.append("  - \(settings.category(d.category)?.label ?? d.category)  \(d.description) ×\(d.quantity)")
        }
        if !record.items.isEmpty {
            lines.append("")
            lines.append("査定明細:")
            for i in record.items {
                var line = "  #\(i.id) \(i.displayName)  \(i.gradeLabel)  \(Yen.format(i.unitPrice)) ×\(i.quantity) = \(Yen.format(i.subtotal))"
                if i.declined { line += "  [不成約]" }
                if let t = i.returnTracking { line += "  返送済 \(i.returnCarrier ?? "") \(t)" }
                lines.append(line)
            }
            lines.append("  合計 \(Yen.format(record.total))  成約 \(Yen.format(record.acceptedTotal))")
        }
        if let decision = record.decision { lines.append("回答: \(decision.label)") }
        if let link = reviewLink { lines.append("査定結果ページ: \(link)（\(Timestamp.display(record.reviewExpiresAt ?? 0)) まで）") }
        if let link = kycLink { lines.append("本人確認ページ: \(link)") }
        if !checks.isEmpty {
            lines.append("")
            lines.append("本人確認:")
            for k in checks {
                var line = "  \(k.state.rawValue)  \(k.idType.flatMap { settings.idType($0)?.label } ?? "-")  \(Timestamp.display(k.createdAt))"
                if let a = k.addressConfirmation { line += "  住所確認: \(a)" }
                if !k.note.isEmpty { line += "  \(k.note)" }
                lines.append(line)
                for f in k.files { lines.append("    \(f.kind)  \(f.contentType)  \(f.size) bytes  \(f.path)") }
            }
        }
        if !messages.isEmpty {
            lines.append("")
            lines.append("メッセージ:")
            for m in messages { lines.append("  \(Timestamp.display(m.at))  \(m.event)  \(m.channel)  \(m.state)") }
        }
        if !memos.isEmpty {
            lines.append("")
            lines.append("メモ:")
            for m in memos { lines.append("  \(Timestamp.display(m.at))  \(m.author): \(m.text)") }
        }
        lines.append("")
        lines.append("履歴:")
        for h in history {
            lines.append("  \(Timestamp.display(h.at))  \(h.from?.rawValue ?? "-") → \(h.to.rawValue)  \(h.by)\(h.note.isEmpty ? "" : "  \(h.note)")")
        }
        return lines.terminalText
    }
}

enum CaseListTable {
    static func render(_ rows: [CaseSummary]) -> String {
        var lines = ["CODE       STATUS     CREATED           NAME                 ACCEPTED     ACTION"]
        for r in rows {
            let action = r.needsAction.map { "! \($0) (\(r.daysWaited)d)" } ?? ""
            lines.append("\(r.code)  \(r.status.rawValue.padding(10))\(Timestamp.display(r.createdAt))  \(r.name.padding(20)) \(Yen.format(r.acceptedTotal).padding(12)) \(action)")
        }
        return lines.terminalText
    }
}

extension String {
    func padding(_ width: Int) -> String {
        // East Asian wide characters take two columns in a terminal.
        let columns = unicodeScalars.reduce(0) { $0 + ($1.value >= 0x1100 ? 2 : 1) }
        return columns >= width ? self + " " : self + String(repeating: " ", count: width - columns)
    }
}
