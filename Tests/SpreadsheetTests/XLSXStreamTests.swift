import Foundation
import KaitoriCore
import Spreadsheet
import Testing
import ZIPFoundation

/// The workbook streamed row by row (`XLSXWriter.stream` into a `StreamingOutput`): the same
/// workbook as the one built in memory, owner-only, published whole or not at all, its spools gone.
@Suite struct XLSXStreamTests {
    /// A folder for the target and the shop's var/ (the spool folder).
    final class Folder {
        let path: String
        var spool: String { path + "/var" }

        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-xlsx-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path + "/var", withIntermediateDirectories: true)
        }

        deinit { try? FileManager.default.removeItem(atPath: path) }

        func files(_ sub: String = "") throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: path + sub).sorted()
        }
    }

    static let layout = SheetLayout(name: "古物台帳", header: ["日付", "コード", "金額", "メモ", "数量"],
                                    kinds: [0: .date, 2: .number, 4: .number])

    /// Rows of every kind, more than the 200 measured for the widths and more than one 64 KiB
    /// spool buffer and one 16 KiB ZIP chunk: numbers, dates, codes with leading zeros,
    /// formula-looking and markup text, empty cells, text where a number belongs.
    static func rows(_ count: Int) -> [[String]] {
        (0..<count).map { i in
            let memo = i % 7 == 0 ? "=HYPERLINK(\"http://x\")" : (i % 5 == 0 ? "<b>&\"改行\nあり\"</b>" : String(repeating: "備考", count: i % 40))
            return [CivilDate(iso: "2026-01-01")!.adding(days: i % 400).iso, String(format: "%04d", i), i % 9 == 0 ? "" : String(i * 1000),
                    memo, i % 11 == 0 ? "不明" : String(i % 3 + 1)]
        }
    }

    static func stream(_ rows: [[String]], to path: String, in folder: Folder, failAfter: Int? = nil, stdout: Int32 = 1) throws -> Int {
        let output = try StreamingOutput(path: path, spoolFolder: folder.spool, stdout: stdout)
        let count = try XLSXWriter.stream(layout, spoolFolder: folder.spool, into: output) { emit in
            for (index, row) in rows.enumerated() {
                if let failAfter, index == failAfter { throw XLSXError(message: "refused half-way") }
                try emit(row)
            }
        }
        try output.commit()
        return count
    }

    /// Each part of a workbook, unpacked, by name in file order.
    static func parts(_ bytes: [UInt8]) throws -> [(String, Data)] {
        let archive = try Archive(data: Data(bytes), accessMode: .read)
        return try archive.map { entry in
            var data = Data()
            _ = try archive.extract(entry) { data.append($0) }
            return (entry.path, data)
        }
    }

    @Test func aStreamedWorkbookIsTheInMemoryOneAndReadsBackAsTheRows() throws {
        let folder = try Folder()
        let rows = Self.rows(1_500)
        let target = folder.path + "/ledger.xlsx"
        #expect(try Self.stream(rows, to: target, in: folder) == rows.count)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: target)))

        // Part for part what the in-memory writer makes of the same rows (names, order, content).
        let table = SheetTable(name: Self.layout.name, header: Self.layout.header, rows: rows, kinds: Self.layout.kinds)
        let streamed = try Self.parts(bytes), inMemory = try Self.parts(try XLSXWriter.write([table]))
        #expect(streamed.map(\.0) == inMemory.map(\.0))
        for ((name, data), (_, expected)) in zip(streamed, inMemory) {
            #expect(data == expected, "\(name) differs")
        }

        // Read back: the rows as they were (numbers and dates in their canonical text).
        let read = try XLSXReader.firstSheet(bytes)
        #expect(read == [Self.layout.header] + rows)
        #expect(read[8][3] == "=HYPERLINK(\"http://x\")" && read[1][1] == "0000")

        // Owner-only, nothing else beside it, no spool left in var/.
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.posixPermissions] as? Int == 0o600)
        #expect(try folder.files() == ["ledger.xlsx", "var"])
        #expect(try folder.files("/var").isEmpty)
    }

    @Test func anExportRefusedHalfWayLeavesNoFileAndTheOldOneInPlace() throws {
        let folder = try Folder()
        let target = folder.path + "/ledger.xlsx"
        #expect(throws: XLSXError(message: "refused half-way")) {
            try Self.stream(Self.rows(1_000), to: target, in: folder, failAfter: 700)
        }
        #expect(try folder.files() == ["var"], "no target, no temporary file")
        #expect(try folder.files("/var").isEmpty, "no spool left")

        // A file already there stays as it was.
        try Data("the previous export".utf8).write(to: URL(fileURLWithPath: target))
        #expect(throws: XLSXError.self) { try Self.stream(Self.rows(10), to: target, in: folder, failAfter: 3) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "the previous export")
        #expect(try folder.files() == ["ledger.xlsx", "var"])
        #expect(try folder.files("/var").isEmpty)
    }

    @Test func aWorkbookForStdoutIsCopiedOutWholeOrNotAtAll() throws {
        let folder = try Folder()
        let sink = folder.path + "/stdout"
        let fd = open(sink, O_CREAT | O_WRONLY | O_TRUNC, 0o600)
        #expect(fd >= 0)
        defer { close(fd) }
        #expect(throws: XLSXError.self) { try Self.stream(Self.rows(500), to: "-", in: folder, failAfter: 400, stdout: fd) }
        #expect(try Data(contentsOf: URL(fileURLWithPath: sink)).isEmpty, "nothing on stdout")
        #expect(try folder.files("/var").isEmpty)

        let rows = Self.rows(300)
        #expect(try Self.stream(rows, to: "-", in: folder, stdout: fd) == 300)
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: sink)))
        #expect(try XLSXReader.firstSheet(bytes).count == 301)
        #expect(try folder.files("/var").isEmpty, "the spool is gone")
    }

    @Test func aSpoolFolderThatCannotBeWrittenIsAClearErrorAndLeavesNothing() throws {
        let folder = try Folder()
        try FileManager.default.removeItem(atPath: folder.spool)
        do {
            _ = try Self.stream(Self.rows(3), to: folder.path + "/x.xlsx", in: folder)
            Issue.record("a missing spool folder must refuse the export")
        } catch let error as FileIO.Failure {
            #expect(error.description.hasPrefix("cannot create a spool file in \(folder.spool): "), "\(error)")
        }
        #expect(try folder.files().isEmpty)
    }
}
