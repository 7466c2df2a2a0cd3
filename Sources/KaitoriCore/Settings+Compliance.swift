/// The shop's compliance settings (古物営業法, 個人情報保護法): when an ID check is required, the
/// verification methods by the law's item number, the 古物 class of each item category for the
/// ledger, how long records are kept, and where the private key for ID images lives.
/// docs/settings.md documents the keys; docs/compliance.md explains what each is for.
extension Settings {
    public struct Compliance: Codable, Equatable, Sendable {
        /// `id_check.threshold`: an accepted total at or above this (yen) needs a verified ID.
        public var idCheckThreshold: Int
        /// `id_check.always_categories`: item categories that need a verified ID at any amount.
        public var idCheckAlwaysCategories: [String]
        /// `verification_methods`: the non-face-to-face methods the shop uses.
        public var verificationMethods: [VerificationMethod]
        /// `kobutsu_classes`: item category id → one of the 13 古物 classes (`KobutsuClass`).
        public var kobutsuClasses: [String: String]
        /// `retention.purchase_years`: purchases are kept this long after their last entry (≥ 3).
        public var retentionPurchaseYears: Int
        /// `retention.unpurchased_days`: personal data of cases that never became purchases is
        /// deleted this many days after the case ended.
        public var retentionUnpurchasedDays: Int
        /// `keys.private_key`: the private key that opens stored ID images, outside the shop folder.
        /// Never published to `var/site.json` (the handler must not even learn where it is).
        public var privateKeyPath: String

        public static let defaultThreshold = 10_000
        public static let minimumRetentionYears = 3
        public static let defaultUnpurchasedDays = 90

        public init(idCheckThreshold: Int = Compliance.defaultThreshold, idCheckAlwaysCategories: [String] = [],
                    verificationMethods: [VerificationMethod] = [], kobutsuClasses: [String: String] = [:],
                    retentionPurchaseYears: Int = Compliance.minimumRetentionYears,
                    retentionUnpurchasedDays: Int = Compliance.defaultUnpurchasedDays, privateKeyPath: String = "") {
            self.idCheckThreshold = idCheckThreshold; self.idCheckAlwaysCategories = idCheckAlwaysCategories
            self.verificationMethods = verificationMethods; self.kobutsuClasses = kobutsuClasses
            self.retentionPurchaseYears = retentionPurchaseYears; self.retentionUnpurchasedDays = retentionUnpurchasedDays
            self.privateKeyPath = privateKeyPath
        }

        enum CodingKeys: String, CodingKey {
            case idCheckThreshold, idCheckAlwaysCategories, verificationMethods, kobutsuClasses
            case retentionPurchaseYears, retentionUnpurchasedDays
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            self.init(idCheckThreshold: try c.decode(Int.self, forKey: .idCheckThreshold),
                      idCheckAlwaysCategories: try c.decode([String].self, forKey: .idCheckAlwaysCategories),
                      verificationMethods: try c.decode([VerificationMethod].self, forKey: .verificationMethods),
                      kobutsuClasses: try c.decode([String: String].self, forKey: .kobutsuClasses),
                      retentionPurchaseYears: try c.decode(Int.self, forKey: .retentionPurchaseYears),
                      retentionUnpurchasedDays: try c.decode(Int.self, forKey: .retentionUnpurchasedDays))
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(idCheckThreshold, forKey: .idCheckThreshold)
            try c.encode(idCheckAlwaysCategories, forKey: .idCheckAlwaysCategories)
            try c.encode(verificationMethods, forKey: .verificationMethods)
            try c.encode(kobutsuClasses, forKey: .kobutsuClasses)
            try c.encode(retentionPurchaseYears, forKey: .retentionPurchaseYears)
            try c.encode(retentionUnpurchasedDays, forKey: .retentionUnpurchasedDays)
        }

        public func verificationMethod(_ id: String) -> VerificationMethod? { verificationMethods.first { $0.id == id } }
    }

    /// One non-face-to-face verification method, by the item (号) of 古物営業法施行規則 第15条第3項
    /// it follows.
    public struct VerificationMethod: Codable, Equatable, Sendable {
        public var id: String
        /// The item number (号) of 施行規則 第15条第3項.
        public var item: Int
        public var label: String
        /// Whether the method includes mail sent to the address on the ID (本人限定受取郵便 or
        /// 転送不要 registered mail) whose delivery must be confirmed: the tracked address check.
        public var addressMail: Bool

        public init(id: String, item: Int, label: String, addressMail: Bool) {
            self.id = id; self.item = item; self.label = label; self.addressMail = addressMail
        }

        /// How the ledger names it: 「施行規則第15条第3項第2号（本人確認書類の画像＋本人限定受取郵便）」.
        public var lawReference: String { "施行規則第15条第3項第\(item)号（\(label)）" }
    }
}

/// The 13 classes of 古物 in 古物営業法施行規則 (第2条), the ledger's 区分 column.
public enum KobutsuClass {
    public static let all = ["美術品類", "衣類", "時計・宝飾品類", "自動車", "自動二輪車及び原動機付自転車", "自転車類",
                             "写真機類", "事務機器類", "機械工具類", "道具類", "皮革・ゴム製品類", "書籍", "金券類"]
}
