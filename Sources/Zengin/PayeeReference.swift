/// What a data record carries in positions 92–111: two numeric customer codes, or EDI information.
public enum PayeeReference: Equatable, Sendable {
    /// 顧客コード1 and 顧客コード2, each 0…9,999,999,999 (written zero-filled in 10 digits).
    case customerCodes(Int, Int)
    /// EDI情報: up to 20 characters of bank kana, passed on to the payee's bank statement.
    case edi(String)

    /// No customer codes: both written as zeros.
    public static let none = PayeeReference.customerCodes(0, 0)
}
