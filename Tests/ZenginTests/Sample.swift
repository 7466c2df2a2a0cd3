import Foundation
import Testing
import Zengin

/// The transfer file the golden files hold, and helpers to load them.
enum Sample {
    static let header = TransferHeader(
        requesterCode: "0123456789",
        requesterName: "ｶ)ｶｲﾄﾘﾔﾏﾀﾞ",
        transferDate: "0425",
        bankCode: "0005",
        bankName: "ﾐﾂﾋﾞｼUFJ",
        branchCode: "001",
        branchName: "ﾎﾝﾃﾝ",
        accountType: .ordinary,
        accountNumber: "1234567")

    static let transfers = [
        Transfer(
            bankCode: "0001", bankName: "ﾐｽﾞﾎ", branchCode: "123", branchName: "ｼﾌﾞﾔ",
            accountType: .ordinary, accountNumber: "7654321", payeeName: "ﾔﾏﾀﾞ ﾀﾛｳ", amount: 15_000,
            newCode: .other, reference: .customerCodes(1001, 0), designation: .telegraphic),
        Transfer(
            bankCode: "0009", bankName: "ﾐﾂｲｽﾐﾄﾓ", branchCode: "456", branchName: "ｼﾝｼﾞﾕｸ",
            accountType: .current, accountNumber: "0012345", payeeName: "ﾊﾟﾝﾄﾞﾗｼﾖｳｼﾞ(ｶ", amount: 9_876_543,
            newCode: .firstTransfer, reference: .edi("INV-2024/001 ｶｲﾄﾘ"), designation: .telegraphic),
        Transfer(
            bankCode: "0033", branchCode: "002",
            accountType: .savings, accountNumber: "1111111", payeeName: "ｽｽﾞｷ ｼﾞﾕﾝｲﾁ", amount: 1,
            newCode: .changed, reference: .customerCodes(9_999_999_999, 42), designation: .telegraphic),
    ]

    static let file = TransferFile(header: header, transfers: transfers)

    /// The golden files were written from the spec's field-length tables by a separate script
    /// (Python, cp932 codec), then checked by hand against the position tables.
    static func golden(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.url(forResource: name, withExtension: "bin", subdirectory: "Golden"))
        return [UInt8](try Data(contentsOf: url))
    }

    /// Splits CR LF separated bytes into records, keeping everything between separators.
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        var lines: [[UInt8]] = []
        var current: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == 0x0D, index + 1 < bytes.count, bytes[index + 1] == 0x0A {
                lines.append(current)
                current = []
                index += 2
            } else {
                current.append(bytes[index])
                index += 1
            }
        }
        if !current.isEmpty {
            lines.append(current)
        }
        return lines
    }

    /// `text` space-filled to `width` bytes (each half-width character is one byte).
    static func padded(_ text: String, _ width: Int) -> String {
        text + String(repeating: " ", count: width - text.unicodeScalars.count)
    }

    /// The text at 1-based `position` of a record, with half-width katakana decoded.
    static func field(_ record: [UInt8], _ position: Int, _ width: Int) -> String {
        let slice = record[(position - 1)..<(position - 1 + width)]
        // JIS X 0201 by hand: ASCII as is, 0xA1-0xDF onto U+FF61-U+FF9F.
        return String(String.UnicodeScalarView(slice.map { byte in
            byte >= 0xA1 && byte <= 0xDF ? Unicode.Scalar(UInt32(byte) - 0xA1 + 0xFF61)! : Unicode.Scalar(byte)
        }))
    }
}
