import Testing
import Zengin

@Suite("Golden files")
struct TransferFileGoldenTests {
    @Test("CR LF encoding matches the golden file byte for byte")
    func encodesCRLF() throws {
        #expect(try Sample.file.encode(separator: .crlf) == Sample.golden("transfer-crlf"))
    }

    @Test("encoding without separators matches the golden file byte for byte")
    func encodesWithoutSeparator() throws {
        #expect(try Sample.file.encode(separator: .none) == Sample.golden("transfer-none"))
    }

    @Test("both golden files decode to the sample", arguments: ["transfer-crlf", "transfer-none"])
    func decodesGolden(name: String) throws {
        #expect(try TransferFile.decode(Sample.golden(name)) == Sample.file)
    }

    @Test("the golden header holds each field at the spec's position")
    func headerPositions() throws {
        let header = Sample.lines(try Sample.golden("transfer-crlf"))[0]
        #expect(header.count == 120)
        #expect(Sample.field(header, 1, 1) == "1")
        #expect(Sample.field(header, 2, 2) == "21")
        #expect(Sample.field(header, 4, 1) == "0")
        #expect(Sample.field(header, 5, 10) == "0123456789")
        #expect(Sample.field(header, 15, 40) == Sample.padded("ｶ)ｶｲﾄﾘﾔﾏﾀﾞ", 40))
        #expect(Sample.field(header, 55, 4) == "0425")
        #expect(Sample.field(header, 59, 4) == "0005")
        #expect(Sample.field(header, 63, 15) == Sample.padded("ﾐﾂﾋﾞｼUFJ", 15))
        #expect(Sample.field(header, 78, 3) == "001")
        #expect(Sample.field(header, 81, 15) == Sample.padded("ﾎﾝﾃﾝ", 15))
        #expect(Sample.field(header, 96, 1) == "1")
        #expect(Sample.field(header, 97, 7) == "1234567")
        #expect(Sample.field(header, 104, 17) == String(repeating: " ", count: 17))
    }

    @Test("golden data records hold each field at the spec's position")
    func dataPositions() throws {
        let lines = Sample.lines(try Sample.golden("transfer-crlf"))
        let first = lines[1]
        #expect(Sample.field(first, 1, 1) == "2")
        #expect(Sample.field(first, 2, 4) == "0001")
        #expect(Sample.field(first, 6, 15) == Sample.padded("ﾐｽﾞﾎ", 15))
        #expect(Sample.field(first, 21, 3) == "123")
        #expect(Sample.field(first, 24, 15) == Sample.padded("ｼﾌﾞﾔ", 15))
        #expect(Sample.field(first, 39, 4) == "0000")
        #expect(Sample.field(first, 43, 1) == "1")
        #expect(Sample.field(first, 44, 7) == "7654321")
        #expect(Sample.field(first, 51, 30) == Sample.padded("ﾔﾏﾀﾞ ﾀﾛｳ", 30))
        #expect(Sample.field(first, 81, 10) == "0000015000")
        #expect(Sample.field(first, 91, 1) == "0")
        #expect(Sample.field(first, 92, 10) == "0000001001")
        #expect(Sample.field(first, 102, 10) == "0000000000")
        #expect(Sample.field(first, 112, 1) == "7")
        #expect(Sample.field(first, 113, 1) == " ")
        #expect(Sample.field(first, 114, 7) == "       ")

        let edi = lines[2]
        #expect(Sample.field(edi, 43, 1) == "2")
        #expect(Sample.field(edi, 51, 30) == Sample.padded("ﾊﾟﾝﾄﾞﾗｼﾖｳｼﾞ(ｶ", 30))
        #expect(Sample.field(edi, 81, 10) == "0009876543")
        #expect(Sample.field(edi, 91, 1) == "1")
        #expect(Sample.field(edi, 92, 20) == Sample.padded("INV-2024/001 ｶｲﾄﾘ", 20))
        #expect(Sample.field(edi, 113, 1) == "Y")

        let savings = lines[3]
        #expect(Sample.field(savings, 6, 15) == String(repeating: " ", count: 15))
        #expect(Sample.field(savings, 43, 1) == "4")
        #expect(Sample.field(savings, 81, 10) == "0000000001")
        #expect(Sample.field(savings, 91, 1) == "2")
        #expect(Sample.field(savings, 92, 20) == "99999999990000000042")
    }

    @Test("the golden trailer and end record hold count, sum and filler")
    func trailerAndEndPositions() throws {
        let lines = Sample.lines(try Sample.golden("transfer-crlf"))
        #expect(lines.count == 6)
        let trailer = lines[4]
        #expect(Sample.field(trailer, 1, 1) == "8")
        #expect(Sample.field(trailer, 2, 6) == "000003")
        #expect(Sample.field(trailer, 8, 12) == "000009891544")
        #expect(Sample.field(trailer, 20, 101) == String(repeating: " ", count: 101))
        let end = lines[5]
        #expect(Sample.field(end, 1, 1) == "9")
        #expect(Sample.field(end, 2, 119) == String(repeating: " ", count: 119))
    }
}
