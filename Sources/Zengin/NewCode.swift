/// Whether this payee is new to the requester (新規コード), written as one digit.
public enum NewCode: UInt8, Sendable, CaseIterable {
    /// 0: anything else (the usual value).
    case other = 0
    /// 1: the first transfer to this payee.
    case firstTransfer = 1
    /// 2: the payee's account details changed since the last transfer.
    case changed = 2

    var byte: UInt8 { UInt8(ascii: "0") + rawValue }

    init?(byte: UInt8) {
        guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
        self.init(rawValue: byte - UInt8(ascii: "0"))
    }
}
