/// The kind of bank account (預金種目), written as one digit.
public enum AccountType: UInt8, Sendable, CaseIterable {
    /// 普通 (ordinary deposit).
    case ordinary = 1
    /// 当座 (current account).
    case current = 2
    /// 貯蓄 (savings); only payees may hold one, never the requester.
    case savings = 4
    /// その他 (other).
    case other = 9

    /// The digit as it appears in a record.
    var byte: UInt8 { UInt8(ascii: "0") + rawValue }

    init?(byte: UInt8) {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        self.init(rawValue: byte - UInt8(ascii: "0"))
    }
}
