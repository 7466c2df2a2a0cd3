/// The statuses of a case, exactly as in domain.md. A status only changes through a
/// `StatusTransition`, which the store records in the case's history.
public enum CaseStatus: String, Codable, Sendable, CaseIterable {
    case received, confirmed, arrived, assessing, assessed, approved, purchased, paid, canceled

    /// The label staff and customers see.
    public var label: String {
        switch self {
        case .received: "申込受付中"
        case .confirmed: "申込確定"
        case .arrived: "着荷済み"
        case .assessing: "査定中"
        case .assessed: "査定完了"
        case .approved: "査定承認済み"
        case .purchased: "買取完了"
        case .paid: "支払い済み"
        case .canceled: "キャンセル"
        }
    }

    /// The statuses this one may move to (domain.md, "Case statuses").
    public var next: Set<CaseStatus> {
        switch self {
        case .received: [.confirmed, .canceled]
        case .confirmed: [.arrived, .canceled]
        case .arrived: [.assessing]
        case .assessing: [.assessed]
        case .assessed: [.approved, .canceled, .assessing]
        case .approved: [.purchased, .canceled]
        case .purchased: [.paid]
        case .paid, .canceled: []
        }
    }

    public func canMove(to target: CaseStatus) -> Bool { next.contains(target) }
}

/// Who caused a change: the customer (through the handler), a named staff member, or the system
/// (automatic confirmation, expiry).
public enum Actor: Equatable, Sendable, CustomStringConvertible {
    case customer
    case staff(String)
    case system

    public var kind: String {
        switch self {
        case .customer: "customer"
        case .staff: "staff"
        case .system: "system"
        }
    }

    public var name: String? {
        if case .staff(let name) = self { return name }
        return nil
    }

    public var description: String {
        switch self {
        case .customer: "customer"
        case .staff(let name): "staff:\(name)"
        case .system: "system"
        }
    }

    public init(kind: String, name: String?) {
        switch kind {
        case "customer": self = .customer
        case "staff": self = .staff(name ?? "")
        default: self = .system
        }
    }
}
