// Data record layout: [1,4,15,3,15,4,1,7,30,10,1,20,1,1,7].
extension Transfer {
    static let recordKind = UInt8(ascii: "2")
    private static let ediFlag = UInt8(ascii: "Y")

    func record(number: Int) throws -> [UInt8] {
        var writer = RecordWriter(record: number)
        writer.byte(Self.recordKind)
        try writer.code(bankCode, width: 4, field: "bank code")
        try writer.text(bankName, width: 15, kind: .bankName, field: "bank name", required: false)
        try writer.code(branchCode, width: 3, field: "branch code")
        try writer.text(branchName, width: 15, kind: .bankName, field: "branch name", required: false)
        // 手形交換所番号: no longer used by transfers.
        writer.literal("0000")
        writer.byte(accountType.byte)
        try writer.code(accountNumber, width: 7, field: "account number")
        try writer.text(payeeName, width: 30, kind: .name, field: "payee name", required: true)
        guard Self.amountRange.contains(amount) else {
            throw ZenginError.invalidField(
                record: number, field: "amount", detail: "\(amount) is not between 1 and 9999999999 yen")
        }
        try writer.number(amount, width: 10, field: "amount")
        writer.byte(newCode.byte)
        switch reference {
        case let .customerCodes(code1, code2):
            try writer.number(code1, width: 10, field: "customer code 1")
            try writer.number(code2, width: 10, field: "customer code 2")
        case let .edi(text):
            try writer.text(text, width: 20, kind: .edi, field: "EDI info", required: true)
        }
        writer.byte(designation.byte)
        switch reference {
        case .customerCodes: writer.filler(1)
        case .edi: writer.byte(Self.ediFlag)
        }
        writer.filler(7)
        return writer.finish()
    }

    init(reader: RecordReader) throws {
        let record = reader.record
        func invalid(_ field: String, _ position: Int, expected: String) -> ZenginError {
            let found = RecordReader.printable([reader.byte(at: position)][...])
            return .invalidField(record: record, field: field, detail: "'\(found)' is not \(expected)")
        }
        let bankCode = try reader.code(at: 2, width: 4, field: "bank code")
        let bankName = try reader.text(at: 6, width: 15, kind: .bankName, field: "bank name")
        let branchCode = try reader.code(at: 21, width: 3, field: "branch code")
        let branchName = try reader.text(at: 24, width: 15, kind: .bankName, field: "branch name")
        _ = try reader.code(at: 39, width: 4, field: "clearing house number")
        guard let accountType = AccountType(byte: reader.byte(at: 43)) else {
            throw invalid("account type", 43, expected: "1, 2, 4 or 9")
        }
        let accountNumber = try reader.code(at: 44, width: 7, field: "account number")
        let payeeName = try reader.requiredText(at: 51, width: 30, kind: .name, field: "payee name")
        let amount = try reader.number(at: 81, width: 10, field: "amount")
        guard Self.amountRange.contains(amount) else {
            throw ZenginError.invalidField(record: record, field: "amount", detail: "0 yen cannot be transferred")
        }
        guard let newCode = NewCode(byte: reader.byte(at: 91)) else {
            throw invalid("new code", 91, expected: "0, 1 or 2")
        }
        // Position 113 says how to read 92-111, so it is checked first.
        let reference: PayeeReference
        switch reader.byte(at: 113) {
        case Self.ediFlag:
            reference = .edi(try reader.requiredText(at: 92, width: 20, kind: .edi, field: "EDI info"))
        case UInt8(ascii: " "):
            reference = .customerCodes(
                try reader.number(at: 92, width: 10, field: "customer code 1"),
                try reader.number(at: 102, width: 10, field: "customer code 2"))
        default:
            throw invalid("EDI flag", 113, expected: "Y or space")
        }
        guard let designation = TransferDesignation(byte: reader.byte(at: 112)) else {
            throw invalid("transfer designation", 112, expected: "7, 8, space or 0")
        }
        self.init(
            bankCode: bankCode, bankName: bankName, branchCode: branchCode, branchName: branchName,
            accountType: accountType, accountNumber: accountNumber, payeeName: payeeName, amount: amount,
            newCode: newCode, reference: reference, designation: designation)
    }
}
