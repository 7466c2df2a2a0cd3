/// A buyback case: one application, its parcel, assessment, decision, ID check and payout.
public struct Case: Equatable, Sendable {
    public var id: Int64
    public var code: String
    public var status: CaseStatus
    public var createdAt: Int64
    public var updatedAt: Int64
    public var parentCode: String?
    public var customer: Customer
    public var payout: Payout
    public var declaredItems: [DeclaredItem]
    public var boxes: Int
    public var kit: Bool
    public var pickupDate: String
    public var pickupSlot: String
    public var notes: String
    public var trackingNumber: String
    public var reviewToken: String?
    public var reviewExpiresAt: Int64?
    public var assessedAt: Int64?
    public var decision: Decision?
    public var decidedAt: Int64?
    public var signatureName: String?
    public var signatureFileID: Int64?
    public var approvedAt: Int64?
    public var purchasedAt: Int64?
    public var paidAt: Int64?
    public var payoutBatchID: Int64?
    public var items: [Item]
    /// The customer's status page link (`/status/<token>/`), there from the application on.
    public var statusToken: String? = nil
    /// The packing kit, once staff recorded it as sent.
    public var kitSentAt: Int64? = nil
    public var kitCarrier: String? = nil
    public var kitTracking: String? = nil
    /// The pickup, once staff arranged it with the carrier (and the carrier's reference, if any).
    public var pickupArrangedAt: Int64? = nil
    public var pickupReference: String? = nil

    /// The customer's answer on the review page.
    public enum Decision: String, Codable, Sendable, CaseIterable {
        case all, part, cancel
        public var label: String {
            switch self {
            case .all: "すべて売却"
            case .part: "一部売却"
            case .cancel: "すべてキャンセル"
            }
        }
    }

    /// Sum of quantity × unit price over all items.
    public var total: Int { items.reduce(0) { $0 + $1.subtotal } }
    /// Sum over the items the customer agreed to sell.
    public var acceptedTotal: Int { items.filter { !$0.declined }.reduce(0) { $0 + $1.subtotal } }
    public var acceptedItems: [Item] { items.filter { !$0.declined } }
    /// Declined items (or every item of a canceled case) that have not been sent back yet.
    public var itemsAwaitingReturn: [Item] {
        items.filter { ($0.declined || status == .canceled) && $0.returnedAt == nil }
    }

    /// Whether the customer's status page is published at `now`: from the application on, and
    /// once finished (paid, or canceled with everything sent back) for `CaseStore.statusPageDays`
    /// after the last change, so the payout date and return tracking number stay readable.
    public func showsStatusPage(at now: Int64) -> Bool {
        guard statusToken != nil else { return false }
        let finished = status == .paid || (status == .canceled && itemsAwaitingReturn.isEmpty)
        return !finished || updatedAt + CaseStore.statusPageDays * 86_400 > now
    }

    /// Whether the review link works at `now`: assessed, not answered, not expired.
    public func reviewOpen(at now: Int64) -> Bool {
        status == .assessed && decision == nil && reviewToken != nil && (reviewExpiresAt ?? 0) > now
    }
}

/// One assessed item (domain.md, "Assessment items").
public struct Item: Equatable, Sendable, Codable {
    public var id: Int64
    public var position: Int
    public var productCode: String
    public var jan: String
    public var name: String
    public var quantity: Int
    public var unitPrice: Int
    public var salePrice: Int
    public var grade: Int
    public var shelf: String
    public var tags: String
    public var condition: String
    public var staffMemo: String
    public var buyerComment: String
    public var weight: String
    public var declined: Bool
    public var returnCarrier: String?
    public var returnTracking: String?
    public var returnedAt: Int64?
    /// The shop's item category (`form.categories` id); empty when staff did not set one.
    public var category: String = ""

    public init(id: Int64 = 0, position: Int = 0, productCode: String = "", jan: String = "", name: String = "",
                quantity: Int = 1, unitPrice: Int = 0, salePrice: Int = 0, grade: Int = 3, shelf: String = "",
                tags: String = "", condition: String = "", staffMemo: String = "", buyerComment: String = "",
                weight: String = "", declined: Bool = false, returnCarrier: String? = nil,
                returnTracking: String? = nil, returnedAt: Int64? = nil, category: String = "") {
        self.category = category
        self.id = id; self.position = position; self.productCode = productCode; self.jan = jan; self.name = name
        self.quantity = quantity; self.unitPrice = unitPrice; self.salePrice = salePrice; self.grade = grade
        self.shelf = shelf; self.tags = tags; self.condition = condition; self.staffMemo = staffMemo
        self.buyerComment = buyerComment; self.weight = weight; self.declined = declined
        self.returnCarrier = returnCarrier; self.returnTracking = returnTracking; self.returnedAt = returnedAt
    }

    public var subtotal: Int { quantity * unitPrice }

    /// What the customer sees as the item's name: the name, else the product code, else the JAN.
    public var displayName: String { !name.isEmpty ? name : (!productCode.isEmpty ? productCode : jan) }

    public static let grades: [Int: String] = [1: "新品", 2: "中古A", 3: "中古B", 4: "中古C", 5: "中古D", 6: "未使用"]
    public var gradeLabel: String { Item.grades[grade] ?? "" }
}

/// One recorded status change.
public struct HistoryEntry: Equatable, Sendable {
    public var from: CaseStatus?
    public var to: CaseStatus
    public var at: Int64
    public var by: Actor
    public var note: String
}
