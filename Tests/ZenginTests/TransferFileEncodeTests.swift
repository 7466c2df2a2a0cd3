import Testing
import Zengin

@Suite("Encoder refusals")
struct TransferFileEncodeTests {
    private func encode(header: TransferHeader = Sample.header, transfer: Transfer) throws {
        _ = try TransferFile(header: header, transfers: [Sample.transfers[0], transfer]).encode()
    }

    private var transfer: Transfer { Sample.transfers[0] }

    @Test("a file without transfers is refused")
    func noTransfers() {
        #expect(throws: ZenginError.noTransfers) {
            try TransferFile(header: Sample.header, transfers: []).encode()
        }
    }

    @Test("codes must have exactly their number of digits")
    func codeDigits() {
        var header = Sample.header
        header.requesterCode = "12345"
        #expect(throws: ZenginError.invalidField(record: 1, field: "requester code", detail: "'12345' is not 10 digits")) {
            try TransferFile(header: header, transfers: Sample.transfers).encode()
        }
        var transfer = transfer
        transfer.accountNumber = "12A4567"
        #expect(throws: ZenginError.invalidField(record: 3, field: "account number", detail: "'12A4567' is not 7 digits")) {
            try encode(transfer: transfer)
        }
        transfer = self.transfer
        transfer.bankCode = "１２３４"
        #expect(throws: ZenginError.invalidField(record: 3, field: "bank code", detail: "'１２３４' is not 4 digits")) {
            try encode(transfer: transfer)
        }
    }

    @Test("amounts outside 1…9,999,999,999 are refused", arguments: [0, -5, 10_000_000_000])
    func amountRange(amount: Int) {
        var transfer = transfer
        transfer.amount = amount
        #expect(throws: ZenginError.invalidField(
            record: 3, field: "amount", detail: "\(amount) is not between 1 and 9999999999 yen")) {
            try encode(transfer: transfer)
        }
    }

    @Test("text fields refuse characters outside their kind's set")
    func textCharacters() throws {
        var transfer = transfer
        transfer.payeeName = "ﾔﾏﾀﾞ,ﾀﾛｳ"
        let error = try #require(throws: ZenginError.self) { try encode(transfer: transfer) }
        guard case let .invalidField(record, field, detail) = error else {
            Issue.record("unexpected \(error)")
            return
        }
        #expect(record == 3)
        #expect(field == "payee name")
        #expect(detail.hasPrefix("',' (U+002C) is not allowed"))

        transfer = self.transfer
        transfer.bankName = "ﾐｽﾞﾎ(ｷﾞﾝｺｳ)"
        #expect(throws: ZenginError.self) { try encode(transfer: transfer) }

        transfer = self.transfer
        transfer.payeeName = "ｷｬﾉﾝ"
        #expect(throws: ZenginError.self) { try encode(transfer: transfer) }

        transfer = self.transfer
        transfer.payeeName = "ﾔﾏﾀﾞ ﾀﾛｰ"
        #expect(throws: ZenginError.self) { try encode(transfer: transfer) }

        transfer = self.transfer
        transfer.payeeName = "yamada"
        #expect(throws: ZenginError.self) { try encode(transfer: transfer) }

        transfer = self.transfer
        transfer.reference = .edi("ABC,DEF")
        #expect(throws: ZenginError.self) { try encode(transfer: transfer) }
    }

    @Test("text that does not fit is refused, never cut")
    func textLength() {
        var transfer = transfer
        transfer.payeeName = String(repeating: "ｶﾞ", count: 15) + "ｱ"
        #expect(throws: ZenginError.invalidField(
            record: 3, field: "payee name",
            detail: "'\(transfer.payeeName)' is 31 characters long; at most 30 fit")) {
            try encode(transfer: transfer)
        }
        transfer.payeeName = String(repeating: "ｶﾞ", count: 15)
        #expect(throws: Never.self) { try encode(transfer: transfer) }
    }

    @Test("names and EDI info may not be blank")
    func requiredText() {
        var transfer = transfer
        transfer.payeeName = "  "
        #expect(throws: ZenginError.invalidField(record: 3, field: "payee name", detail: "is empty")) {
            try encode(transfer: transfer)
        }
        transfer = self.transfer
        transfer.reference = .edi("")
        #expect(throws: ZenginError.invalidField(record: 3, field: "EDI info", detail: "is empty")) {
            try encode(transfer: transfer)
        }
    }

    @Test("customer codes over 10 digits are refused")
    func customerCodes() {
        var transfer = transfer
        transfer.reference = .customerCodes(1, 10_000_000_000)
        #expect(throws: ZenginError.invalidField(
            record: 3, field: "customer code 2", detail: "10000000000 is not between 0 and 9999999999")) {
            try encode(transfer: transfer)
        }
    }

    @Test("the header's transfer date must be a real MMDD", arguments: ["1301", "0230", "0431", "0000", "425", "04-5"])
    func transferDate(date: String) throws {
        var header = Sample.header
        header.transferDate = date
        let error = try #require(throws: ZenginError.self) {
            try TransferFile(header: header, transfers: Sample.transfers).encode()
        }
        guard case .invalidField(1, "transfer date", _) = error else {
            Issue.record("unexpected \(error)")
            return
        }
    }

    @Test("29 February and 31 December are accepted")
    func transferDateEdges() throws {
        var header = Sample.header
        for date in ["0229", "1231", "0101"] {
            header.transferDate = date
            #expect(throws: Never.self) { try TransferFile(header: header, transfers: Sample.transfers).encode() }
        }
    }

    @Test("the requester cannot pay from a savings account")
    func headerSavings() throws {
        var header = Sample.header
        header.accountType = .savings
        let error = try #require(throws: ZenginError.self) {
            try TransferFile(header: header, transfers: Sample.transfers).encode()
        }
        #expect(error.description.hasPrefix("record 1, account type: 4 (savings) cannot pay"))
    }
}
