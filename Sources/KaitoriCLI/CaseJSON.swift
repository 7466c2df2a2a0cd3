import KaitoriCore

/// The JSON shapes of interfaces.md. Keys are snake_case and stable: scripts rely on them.
struct CaseSummaryJSON: Encodable {
    let code: String
    let status: String
    let status_label: String
    let name: String
    let kana: String
    let phone: String
    let email: String
    let created_at: String
    let updated_at: String
    let total: Int
    let accepted_total: Int
    let needs_action: String?
    let days_waited: Int

    init(_ s: CaseSummary) {
        code = s.code; status = s.status.rawValue; status_label = s.status.label; name = s.name; kana = s.kana
        phone = s.phone; email = s.email; created_at = Timestamp.iso(s.createdAt); updated_at = Timestamp.iso(s.updatedAt)
        total = s.total; accepted_total = s.acceptedTotal; needs_action = s.needsAction; days_waited = s.daysWaited
    }
}

struct CaseJSON: Encodable {
    struct CustomerJSON: Encodable {
        let name, kana, email, phone, birth_date, occupation, postal_code, prefecture, address, building: String
        let contact: String?
    }
    struct PayoutJSON: Encodable {
        let method: String
        let label: String?
        let bank_code, branch_code: String?
        let account_type: Int?
        let account_number, account_holder: String?
    }
    struct ItemJSON: Encodable {
        let id: Int64
        let name: String
        let product_code, jan: String
        let quantity, unit_price, sale_price, subtotal, grade: Int
        let grade_label: String
        let shelf, tags, condition, staff_memo, buyer_comment, weight: String
        let declined: Bool
        let returned_at: String?
        let return_carrier, return_tracking: String?
    }
    struct DeclaredJSON: Encodable { let category: String; let description: String; let quantity: Int }
    struct LinksJSON: Encodable { let review: String?; let kyc: String?; let status: String? }
    struct HistoryJSON: Encodable { let from: String?; let to: String; let at: String; let by: String; let note: String }
    struct IDCheckJSON: Encodable {
        let state: String
        let id_type: String?
        let created_at: String
        let submitted_at: String?
        let reviewed_by: String?
        let address_confirmation: String?
        let note: String
        let files: [FileJSON]
    }
    struct FileJSON: Encodable { let kind: String; let path: String; let content_type: String; let size: Int64 }
    struct MemoJSON: Encodable { let at: String; let author: String; let text: String }

    let code: String
    let status: String
    let status_label: String
    let created_at: String
    let updated_at: String
    let parent: String?
    let customer: CustomerJSON
    let payout: PayoutJSON
    let declared_items: [DeclaredJSON]
    let boxes: Int
    let kit: Bool
    let pickup_date: String?
    let pickup_slot: String?
    let notes: String
    let tracking_number: String?
    let items: [ItemJSON]
    let total: Int
    let accepted_total: Int
    let decision: String?
    let review_expires_at: String?
    let links: LinksJSON
    let id_checks: [IDCheckJSON]
    let memos: [MemoJSON]
    let history: [HistoryJSON]
}
