/// A row of the application's "items you are sending" list.
public struct DeclaredItem: Equatable, Sendable, Codable {
    public var category: String
    public var description: String
    public var quantity: Int
    public init(category: String, description: String, quantity: Int) {
        self.category = category; self.description = description; self.quantity = quantity
    }
}

/// The customer's details as stored with a case.
public struct Customer: Equatable, Sendable, Codable {
    public var name: String
    public var kana: String
    public var birthDate: String
    public var occupation: String
    public var postalCode: String
    public var prefecture: String
    public var address: String
    public var building: String
    public var phone: String
    public var email: String
    public var contact: ContactChannel?

    public init(name: String = "", kana: String = "", birthDate: String = "", occupation: String = "",
                postalCode: String = "", prefecture: String = "", address: String = "", building: String = "",
                phone: String = "", email: String = "", contact: ContactChannel? = nil) {
        self.name = name; self.kana = kana; self.birthDate = birthDate; self.occupation = occupation
        self.postalCode = postalCode; self.prefecture = prefecture; self.address = address
        self.building = building; self.phone = phone; self.email = email; self.contact = contact
    }

    /// The full address on one line, as documents and the ledger print it.
    public var fullAddress: String {
        let postal = postalCode.isEmpty ? "" : "〒\(postalCode) "
        return postal + prefecture + address + (building.isEmpty ? "" : " " + building)
    }
}

/// Where the money goes. Bank fields are empty unless the method is `bank_transfer`.
public struct Payout: Equatable, Sendable, Codable {
    public var method: String
    public var bankCode: String
    public var branchCode: String
    public var accountType: Int
    public var accountNumber: String
    public var accountHolder: String

    public static let bankTransfer = "bank_transfer"

    public init(method: String = "", bankCode: String = "", branchCode: String = "", accountType: Int = 0,
                accountNumber: String = "", accountHolder: String = "") {
        self.method = method; self.bankCode = bankCode; self.branchCode = branchCode
        self.accountType = accountType; self.accountNumber = accountNumber; self.accountHolder = accountHolder
    }

    public var isBankTransfer: Bool { method == Payout.bankTransfer }
}

/// A validated application, ready to become a case.
public struct Application: Equatable, Sendable {
    public var customer: Customer
    public var payout: Payout
    public var items: [DeclaredItem]
    public var boxes: Int
    public var kit: Bool
    public var pickupDate: String
    public var pickupSlot: String
    public var notes: String
    public var submissionID: String

    public init(customer: Customer, payout: Payout, items: [DeclaredItem], boxes: Int = 1, kit: Bool = false,
                pickupDate: String = "", pickupSlot: String = "", notes: String = "", submissionID: String = "") {
        self.customer = customer; self.payout = payout; self.items = items; self.boxes = boxes; self.kit = kit
        self.pickupDate = pickupDate; self.pickupSlot = pickupSlot; self.notes = notes; self.submissionID = submissionID
    }
}

public let prefectures: [String] = [
    "北海道", "青森県", "岩手県", "宮城県", "秋田県", "山形県", "福島県", "茨城県", "栃木県", "群馬県",
    "埼玉県", "千葉県", "東京都", "神奈川県", "新潟県", "富山県", "石川県", "福井県", "山梨県", "長野県",
    "岐阜県", "静岡県", "愛知県", "三重県", "滋賀県", "京都府", "大阪府", "兵庫県", "奈良県", "和歌山県",
    "鳥取県", "島根県", "岡山県", "広島県", "山口県", "徳島県", "香川県", "愛媛県", "高知県", "福岡県",
    "佐賀県", "長崎県", "熊本県", "大分県", "宮崎県", "鹿児島県", "沖縄県",
]
