import Testing
import Zengin

@Suite("Round trips and totals")
struct TransferFileRoundTripTests {
    @Test("encode then decode gives the same file", arguments: [TransferFile.Separator.crlf, .none])
    func roundTrip(separator: TransferFile.Separator) throws {
        let bytes = try Sample.file.encode(separator: separator)
        #expect(try TransferFile.decode(bytes) == Sample.file)
    }

    @Test("every choice of account type, new code, designation and reference survives a round trip")
    func roundTripEveryOption() throws {
        var transfers: [Transfer] = []
        for accountType in AccountType.allCases {
            for newCode in NewCode.allCases {
                for designation in TransferDesignation.allCases {
                    transfers.append(Transfer(
                        bankCode: "0001", branchCode: "001", accountType: accountType, accountNumber: "0000001",
                        payeeName: "ｶﾞﾂｺｳ.ﾎｳｼﾞﾝ-(ﾃｽﾄ)", amount: 9_999_999_999, newCode: newCode,
                        reference: transfers.count.isMultiple(of: 2) ? .edi("\\｢ﾃｽﾄ｣/ｦ") : .customerCodes(transfers.count, 7),
                        designation: designation))
                }
            }
        }
        let file = TransferFile(header: Sample.header, transfers: transfers)
        #expect(try TransferFile.decode(file.encode()) == file)
    }

    @Test("the trailer counts the data records and sums their amounts")
    func trailerTotals() throws {
        let amounts = [1, 250_000, 9_999_999_999, 42]
        let transfers = amounts.map { amount in
            Transfer(bankCode: "0001", branchCode: "001", accountType: .ordinary, accountNumber: "1234567",
                     payeeName: "ﾃｽﾄ", amount: amount)
        }
        let bytes = try TransferFile(header: Sample.header, transfers: transfers).encode()
        let trailer = Sample.lines(bytes)[amounts.count + 1]
        #expect(Sample.field(trailer, 1, 1) == "8")
        #expect(Sample.field(trailer, 2, 6) == "000004")
        #expect(Sample.field(trailer, 8, 12) == "010000250042")
    }

    @Test("every record is 120 bytes followed by CR LF")
    func recordLengths() throws {
        let bytes = try Sample.file.encode(separator: .crlf)
        #expect(bytes.count == 6 * 122)
        for index in 0..<6 {
            let start = index * 122
            #expect(!bytes[start..<(start + 120)].contains(0x0D))
            #expect(!bytes[start..<(start + 120)].contains(0x0A))
            #expect(Array(bytes[(start + 120)..<(start + 122)]) == [0x0D, 0x0A])
        }
        #expect(try Sample.file.encode(separator: .none).count == 6 * 120)
    }

    @Test("a file without its final CR LF is still read")
    func missingFinalSeparator() throws {
        let bytes = try Sample.file.encode(separator: .crlf).dropLast(2)
        #expect(try TransferFile.decode(Array(bytes)) == Sample.file)
    }
}
