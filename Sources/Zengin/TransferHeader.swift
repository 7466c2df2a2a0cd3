/// The header record (record kind 1): who sends the money, from which account, on which day.
///
/// Text fields hold bank kana as it will be written (use `ZenginKana.convert` on customer input);
/// numeric fields hold exactly as many digits as the record has positions, because these are codes
/// issued by banks, where a missing digit is a mistake rather than something to zero-fill.
public struct TransferHeader: Equatable, Sendable {
    /// 委託者コード, 10 digits, issued by the requester's bank.
    public var requesterCode: String
    /// 委託者名, bank kana, at most 40 bytes.
    public var requesterName: String
    /// 振込指定日 as "MMDD".
    public var transferDate: String
    /// 仕向銀行番号, 4 digits.
    public var bankCode: String
    /// 仕向銀行名, bank kana (only `-` as a symbol), at most 15 bytes; optional.
    public var bankName: String?
    /// 仕向支店番号, 3 digits.
    public var branchCode: String
    /// 仕向支店名, bank kana (only `-` as a symbol), at most 15 bytes; optional.
    public var branchName: String?
    /// 預金種目 of the paying account: ordinary, current or other (never savings).
    public var accountType: AccountType
    /// 口座番号, 7 digits.
    public var accountNumber: String

    public init(
        requesterCode: String,
        requesterName: String,
        transferDate: String,
        bankCode: String,
        bankName: String? = nil,
        branchCode: String,
        branchName: String? = nil,
        accountType: AccountType,
        accountNumber: String
    ) {
        self.requesterCode = requesterCode
        self.requesterName = requesterName
        self.transferDate = transferDate
        self.bankCode = bankCode
        self.bankName = bankName
        self.branchCode = branchCode
        self.branchName = branchName
        self.accountType = accountType
        self.accountNumber = accountNumber
    }
}
