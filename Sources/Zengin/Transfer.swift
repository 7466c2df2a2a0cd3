/// One data record (record kind 2): a payment to one payee account.
///
/// In error messages, `transfers[i]` of a `TransferFile` is record `i + 2` (the header is record 1).
/// Text fields hold bank kana as it will be written (use `ZenginKana.convert` on customer input).
public struct Transfer: Equatable, Sendable {
    /// 被仕向銀行番号, 4 digits.
    public var bankCode: String
    /// 被仕向銀行名, bank kana (only `-` as a symbol), at most 15 bytes; optional.
    public var bankName: String?
    /// 被仕向支店番号, 3 digits.
    public var branchCode: String
    /// 被仕向支店名, bank kana (only `-` as a symbol), at most 15 bytes; optional.
    public var branchName: String?
    /// 預金種目 of the payee's account.
    public var accountType: AccountType
    /// 口座番号, 7 digits.
    public var accountNumber: String
    /// 受取人名, bank kana, at most 30 bytes.
    public var payeeName: String
    /// 振込金額 in yen, 1…9,999,999,999.
    public var amount: Int
    /// 新規コード.
    public var newCode: NewCode
    /// 顧客コード1/2 or EDI情報.
    public var reference: PayeeReference
    /// 振込指定区分 (a per-bank setting).
    public var designation: TransferDesignation

    public init(
        bankCode: String,
        bankName: String? = nil,
        branchCode: String,
        branchName: String? = nil,
        accountType: AccountType,
        accountNumber: String,
        payeeName: String,
        amount: Int,
        newCode: NewCode = .other,
        reference: PayeeReference = .none,
        designation: TransferDesignation = .telegraphic
    ) {
        self.bankCode = bankCode
        self.bankName = bankName
        self.branchCode = branchCode
        self.branchName = branchName
        self.accountType = accountType
        self.accountNumber = accountNumber
        self.payeeName = payeeName
        self.amount = amount
        self.newCode = newCode
        self.reference = reference
        self.designation = designation
    }

    static let amountRange = 1...9_999_999_999
}
