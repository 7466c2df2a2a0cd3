import Testing
import Zengin

@Suite("Decoder refusals")
struct TransferFileDecodeTests {
    /// The sample's six records without separators: header, three data records, trailer, end.
    private func records() throws -> [[UInt8]] {
        Sample.lines(try Sample.file.encode(separator: .crlf))
    }

    private func joined(_ records: [[UInt8]], separator: [UInt8] = [0x0D, 0x0A]) -> [UInt8] {
        records.flatMap { $0 + separator }
    }

    private func replacing(_ record: [UInt8], at position: Int, with text: String) -> [UInt8] {
        var record = record
        let bytes = Array(text.utf8)
        record.replaceSubrange((position - 1)..<(position - 1 + bytes.count), with: bytes)
        return record
    }

    @Test("a trailer sum that disagrees with the amounts is refused")
    func badTrailerSum() throws {
        var records = try records()
        records[4] = replacing(records[4], at: 8, with: "000009891545")
        #expect(throws: ZenginError.trailerMismatch(record: 5, field: "amount total", stated: 9_891_545, computed: 9_891_544)) {
            try TransferFile.decode(joined(records))
        }
    }

    @Test("a trailer count that disagrees with the data records is refused")
    func badTrailerCount() throws {
        var records = try records()
        records[4] = replacing(records[4], at: 2, with: "000002")
        #expect(throws: ZenginError.trailerMismatch(record: 5, field: "record count", stated: 2, computed: 3)) {
            try TransferFile.decode(joined(records))
        }
    }

    @Test("records separated by LF alone are refused")
    func lfOnly() throws {
        #expect(throws: ZenginError.invalidRecord(
            record: 1, detail: "is followed by LF without CR; records are separated by CR LF or nothing")) {
            try TransferFile.decode(joined(records(), separator: [0x0A]))
        }
    }

    @Test("records separated by CR alone are refused")
    func crOnly() throws {
        #expect(throws: ZenginError.invalidRecord(
            record: 1, detail: "is followed by CR without LF; records are separated by CR LF or nothing")) {
            try TransferFile.decode(joined(records(), separator: [0x0D]))
        }
    }

    @Test("a short record is refused with its length")
    func shortRecord() throws {
        var records = try records()
        records[2].removeLast(3)
        #expect(throws: ZenginError.invalidRecord(record: 3, detail: "is 117 bytes long; records are 120 bytes")) {
            try TransferFile.decode(joined(records))
        }
    }

    @Test("a long record is refused with its length")
    func longRecord() throws {
        var records = try records()
        records[0].append(0x20)
        #expect(throws: ZenginError.invalidRecord(record: 1, detail: "is 121 bytes long; records are 120 bytes")) {
            try TransferFile.decode(joined(records))
        }
    }

    @Test("a truncated file without separators is refused")
    func truncatedWithoutSeparators() throws {
        let bytes = try Sample.file.encode(separator: .none).dropLast(50)
        #expect(throws: ZenginError.invalidRecord(record: 6, detail: "is only 70 bytes long; records are 120 bytes")) {
            try TransferFile.decode(Array(bytes))
        }
    }

    @Test("in a file without separators, a stray line break is blamed on the record holding it")
    func strayLineBreakWithoutSeparators() throws {
        var bytes = try Sample.file.encode(separator: .none)
        bytes[240 + 50] = 0x0A
        #expect(throws: ZenginError.invalidRecord(record: 3, detail: "is 50 bytes long; records are 120 bytes")) {
            try TransferFile.decode(bytes)
        }
    }

    @Test("mixing CR LF and no separator is refused")
    func mixedSeparators() throws {
        let records = try records()
        let bytes = records[0] + [0x0D, 0x0A] + records[1] + joined(Array(records[2...]))
        #expect(throws: ZenginError.invalidRecord(
            record: 2, detail: "is followed by no separator but the records before it by CR LF")) {
            try TransferFile.decode(bytes)
        }
    }

    @Test("records out of order are refused")
    func wrongOrder() throws {
        let records = try records()
        #expect(throws: ZenginError.invalidRecord(
            record: 1, detail: "is a data record (kind 2) where a header record (kind 1) belongs")) {
            try TransferFile.decode(joined([records[1], records[0]] + records[2...]))
        }
        #expect(throws: ZenginError.invalidRecord(
            record: 2, detail: "is an end record (kind 9) where a data record (kind 2) or the trailer record (kind 8) belongs")) {
            try TransferFile.decode(joined([records[0], records[5]]))
        }
        #expect(throws: ZenginError.invalidRecord(
            record: 6, detail: "is a data record (kind 2) where the end record (kind 9) belongs")) {
            try TransferFile.decode(joined(Array(records[0...4]) + [records[1], records[5]]))
        }
        #expect(throws: ZenginError.noTransfers) {
            try TransferFile.decode(joined([records[0], records[4], records[5]]))
        }
    }

    @Test("unknown record kinds are named")
    func unknownKind() throws {
        var records = try records()
        records[2] = replacing(records[2], at: 1, with: "5")
        #expect(throws: ZenginError.invalidRecord(
            record: 3,
            detail: "is of unknown kind '5' where a data record (kind 2) or the trailer record (kind 8) belongs")) {
            try TransferFile.decode(joined(records))
        }
    }

    @Test("a file that stops early names the record it still needs")
    func missingRecords() throws {
        let records = try records()
        #expect(throws: ZenginError.unexpectedEnd(afterRecord: 0, expected: "a header record (kind 1)")) {
            try TransferFile.decode([])
        }
        #expect(throws: ZenginError.unexpectedEnd(afterRecord: 5, expected: "the end record (kind 9)")) {
            try TransferFile.decode(joined(Array(records[0...4])))
        }
        #expect(throws: ZenginError.unexpectedEnd(
            afterRecord: 4, expected: "a data record (kind 2) or the trailer record (kind 8)")) {
            try TransferFile.decode(joined(Array(records[0...3])))
        }
    }

    @Test("bytes after the end record are refused")
    func trailingBytes() throws {
        let bytes = joined(try records()) + Array("x".utf8)
        #expect(throws: ZenginError.invalidRecord(
            record: 7, detail: "1 bytes follow the end record; it must be the last record")) {
            try TransferFile.decode(bytes)
        }
    }

    @Test("fields are checked and named")
    func fieldChecks() throws {
        var records = try records()
        records[1] = replacing(records[1], at: 81, with: "00000150X0")
        #expect(throws: ZenginError.invalidField(
            record: 2, field: "amount", detail: "positions 81-90 hold '00000150X0', not 10 digits")) {
            try TransferFile.decode(joined(records))
        }

        records = try self.records()
        records[3][52] = 0xAC  // ｬ, a small kana, in the payee name at position 53
        #expect(throws: ZenginError.invalidField(
            record: 4, field: "payee name",
            detail: "byte 0xAC at position 53 is not allowed; expected half-width katakana, A-Z, 0-9, space and ( ) - .")) {
            try TransferFile.decode(joined(records))
        }

        records = try self.records()
        records[0] = replacing(records[0], at: 2, with: "11")
        #expect(throws: ZenginError.invalidField(
            record: 1, field: "transfer kind", detail: "is 11; only 21 (総合振込) is supported")) {
            try TransferFile.decode(joined(records))
        }

        records = try self.records()
        records[1] = replacing(records[1], at: 113, with: "N")
        #expect(throws: ZenginError.invalidField(record: 2, field: "EDI flag", detail: "'N' is not Y or space")) {
            try TransferFile.decode(joined(records))
        }

        records = try self.records()
        records[1] = replacing(records[1], at: 81, with: "0000000000")
        records[4] = replacing(records[4], at: 8, with: "000009876544")
        #expect(throws: ZenginError.invalidField(record: 2, field: "amount", detail: "0 yen cannot be transferred")) {
            try TransferFile.decode(joined(records))
        }
    }

    @Test("error messages name the record and field")
    func messages() {
        #expect(ZenginError.invalidField(record: 3, field: "payee name", detail: "is empty").description
            == "record 3, payee name: is empty")
        #expect(ZenginError.trailerMismatch(record: 5, field: "amount total", stated: 2, computed: 3).description
            == "record 5, amount total: the trailer states 2 but the data records give 3")
        #expect(ZenginError.characterNotAllowed(field: "payee name", character: "漢").description
            == "payee name: '漢' (U+6F22) cannot be written in bank kana")
    }
}
