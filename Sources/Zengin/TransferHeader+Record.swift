// Header record layout: [1,2,1,10,40,4,4,15,3,15,1,7,17].
extension TransferHeader {
    static let recordKind = UInt8(ascii: "1")
    /// 種別コード 21 is 総合振込; 11 and 12 (salary, bonus) use other rules.
    static let transferKind = "21"
    /// コード区分 0 is JIS/SJIS; 1 would be EBCDIC.
    static let codeSet = "0"

    func record() throws -> [UInt8] {
        var writer = RecordWriter(record: 1)
        writer.byte(Self.recordKind)
        writer.literal(Self.transferKind)
        writer.literal(Self.codeSet)
        try writer.code(requesterCode, width: 10, field: "requester code")
        try writer.text(requesterName, width: 40, kind: .name, field: "requester name", required: true)
        try Self.checkTransferDate(transferDate, record: 1)
        try writer.code(transferDate, width: 4, field: "transfer date")
        try writer.code(bankCode, width: 4, field: "bank code")
        try writer.text(bankName, width: 15, kind: .bankName, field: "bank name", required: false)
        try writer.code(branchCode, width: 3, field: "branch code")
        try writer.text(branchName, width: 15, kind: .bankName, field: "branch name", required: false)
        try Self.checkAccountType(accountType, record: 1)
        writer.byte(accountType.byte)
        try writer.code(accountNumber, width: 7, field: "account number")
        writer.filler(17)
        return writer.finish()
    }

    init(reader: RecordReader) throws {
        let record = reader.record
        let transferKind = try reader.code(at: 2, width: 2, field: "transfer kind")
        guard transferKind == Self.transferKind else {
            throw ZenginError.invalidField(
                record: record, field: "transfer kind", detail: "is \(transferKind); only 21 (総合振込) is supported")
        }
        let codeSet = try reader.code(at: 4, width: 1, field: "code set")
        guard codeSet == Self.codeSet else {
            throw ZenginError.invalidField(
                record: record, field: "code set", detail: "is \(codeSet); only 0 (JIS) is supported")
        }
        let requesterCode = try reader.code(at: 5, width: 10, field: "requester code")
        let requesterName = try reader.requiredText(at: 15, width: 40, kind: .name, field: "requester name")
        let transferDate = try reader.code(at: 55, width: 4, field: "transfer date")
        try Self.checkTransferDate(transferDate, record: record)
        let bankCode = try reader.code(at: 59, width: 4, field: "bank code")
        let bankName = try reader.text(at: 63, width: 15, kind: .bankName, field: "bank name")
        let branchCode = try reader.code(at: 78, width: 3, field: "branch code")
        let branchName = try reader.text(at: 81, width: 15, kind: .bankName, field: "branch name")
        let typeByte = reader.byte(at: 96)
        guard let accountType = AccountType(byte: typeByte) else {
            throw ZenginError.invalidField(
                record: record, field: "account type",
                detail: "'\(RecordReader.printable([typeByte][...]))' is not 1, 2 or 9")
        }
        try Self.checkAccountType(accountType, record: record)
        let accountNumber = try reader.code(at: 97, width: 7, field: "account number")
        self.init(
            requesterCode: requesterCode, requesterName: requesterName, transferDate: transferDate,
            bankCode: bankCode, bankName: bankName, branchCode: branchCode, branchName: branchName,
            accountType: accountType, accountNumber: accountNumber)
    }

    /// The requester pays from an ordinary, current or other account; savings accounts cannot send.
    private static func checkAccountType(_ type: AccountType, record: Int) throws {
        guard type != .savings else {
            throw ZenginError.invalidField(
                record: record, field: "account type",
                detail: "4 (savings) cannot pay; use 1 (ordinary), 2 (current) or 9 (other)")
        }
    }

    private static func checkTransferDate(_ date: String, record: Int) throws {
        let digits = Array(date.utf8)
        guard digits.count == 4, digits.allSatisfy(isDigit) else {
            throw ZenginError.invalidField(
                record: record, field: "transfer date", detail: "'\(date)' is not MMDD")
        }
        let values = digits.map { Int($0 - UInt8(ascii: "0")) }
        let month = values[0] * 10 + values[1]
        let day = values[2] * 10 + values[3]
        // The year is not in the file, so 29 February is always accepted.
        let daysInMonth = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        guard (1...12).contains(month), (1...daysInMonth[month - 1]).contains(day) else {
            throw ZenginError.invalidField(
                record: record, field: "transfer date", detail: "'\(date)' is not a day of the year (MMDD)")
        }
    }
}
