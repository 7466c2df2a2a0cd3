import Foundation
import KaitoriCore
import Payouts
import Testing
import Zengin

/// The Zengin export the CLI and the console share (PayoutRun).
@Suite struct PayoutRunTests {
    let base = PayoutTests()

    @Test func exportRecordsABatchAndKeepsItsCasesOutOfTheNextFile() throws {
        let store = try base.tempStore()
        let a = try base.purchased(store, price: 12_000)
        var written: [UInt8] = []
        let export = try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1125", includeExported: false,
                                                   fileName: "test") { written = $0 }
        #expect(export.count == 1 && export.total == 12_000 && written == export.bytes)
        #expect(try TransferFile.decode(export.bytes).transfers.map(\.amount) == [12_000])
        #expect(throws: PayoutRun.Refused("no purchased, unpaid bank-transfer cases to export")) {
            try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1125", includeExported: false, fileName: "again")
        }
        #expect(try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1126", includeExported: true, fileName: "again")
            .count == 1)
    }

    /// One case whose holder cannot go into the file (kanji, or more than the 30-byte field) does
    /// not hold up the others: they are exported and batched, it is listed with its reason and
    /// stays due; `allOrNothing` refuses the whole file as before.
    @Test func aBadCaseIsLeftOutAndListedNotBlockingTheFile() throws {
        let store = try base.tempStore()
        let good = try base.purchased(store, price: 12_000)
        let kanji = try base.purchased(store, holder: "山田太郎")
        let long = try base.purchased(store, holder: String(repeating: "ガ", count: 16))   // 32 bytes as ｶﾞ
        #expect(throws: PayoutRun.Refused.self) {
            try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1125", includeExported: false,
                                          fileName: "strict", allOrNothing: true)
        }
        #expect(try store.payableBankTransfers().count == 3, "a refused export records no batch")
        let export = try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1125", includeExported: false,
                                                   fileName: "lenient")
        #expect(export.cases.map(\.code) == [good.code])
        #expect(try TransferFile.decode(export.bytes).transfers.map(\.amount) == [12_000])
        #expect(export.excluded.map(\.code) == [kanji.code, long.code])
        #expect(export.excluded.allSatisfy { $0.field == "account_holder" })
        #expect(export.excludedLines.count == 2 && export.excludedLines[1].contains(long.code) && export.excludedLines[1].contains("32"))
        #expect(Set(try store.payableBankTransfers().map(\.code)) == [kanji.code, long.code], "left-out cases stay due")
        #expect(try PayoutRun.excludedCases(store: store, settings: base.settings).count == 2)
        // Nothing exportable at all: refused, listing both.
        #expect(throws: PayoutRun.Refused.self) {
            try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1126", includeExported: false, fileName: "none")
        }
    }

    @Test func aFailedWriteRecordsNoBatch() throws {
        struct DiskFull: Error {}
        let store = try base.tempStore()
        _ = try base.purchased(store)
        #expect(throws: DiskFull.self) {
            try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1125", includeExported: false, fileName: "x") { _ in
                throw DiskFull()
            }
        }
        #expect(try store.payableBankTransfers().count == 1)
    }

    /// The CLI's streamed file is the same file, record by record; a case with bad account details
    /// found after good ones refuses the whole export with --all-or-nothing and records no batch;
    /// without it, that case is left out and the others exported.
    @Test func streamedExportMatchesTheFileAndRefusesWhole() throws {
        let store = try base.tempStore()
        let a = try base.purchased(store, price: 12_000)
        let b = try base.purchased(store, price: 3_000)
        var streamed: [UInt8] = []
        var finished = false
        let batch = try PayoutRun.streamTransfers(store: store, settings: base.settings, date: "1125", includeExported: false,
                                                  fileName: "s", write: { streamed += $0 }, finish: { finished = true })
        #expect(finished && batch.count == 2 && batch.total == 15_000)
        let expected = try TransferExport.build(cases: [try store.load(code: a.code), try store.load(code: b.code)],
                                                settings: base.settings, date: "1125").encode()
        #expect(streamed == expected)
        #expect(try store.payableBankTransfers().isEmpty)

        let c = try base.purchased(store, price: 5_000)
        _ = try base.purchased(store, price: 6_000)
        try store.db.query("UPDATE cases SET account_number = '12' WHERE id = ?", [.int(c.id)])
        #expect(throws: PayoutRun.Refused.self) {
            try PayoutRun.streamTransfers(store: store, settings: base.settings, date: "1126", includeExported: false,
                                          fileName: "t", allOrNothing: true, write: { _ in },
                                          finish: { Issue.record("finished a refused export") })
        }
        #expect(try store.payableBankTransfers().count == 2, "no batch was recorded")

        // Without --all-or-nothing the bad case is left out and stays due; the good one is exported.
        var excluded: [TransferExport.Problem] = []
        var included: [String] = []
        let partial = try PayoutRun.streamTransfers(store: store, settings: base.settings, date: "1126", includeExported: false,
                                                    fileName: "u", write: { _ in }, finish: {},
                                                    included: { included.append($0.code) }, excluded: { excluded.append($0) })
        #expect(partial.count == 1 && partial.total == 6_000 && !included.contains(c.code))
        #expect(excluded.map(\.code) == [c.code] && excluded.map(\.field) == ["account_number"])
        #expect(try store.payableBankTransfers().map(\.code) == [c.code])
    }

    @Test func transferDatesAreMMDD() throws {
        #expect(PayoutRun.isTransferDate("0101") && PayoutRun.isTransferDate("1231"))
        for bad in ["1301", "0032", "125", "12-5", "１２２５", ""] { #expect(!PayoutRun.isTransferDate(bad)) }
        let store = try base.tempStore()
        #expect(throws: PayoutRun.Refused.self) {
            try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1301", includeExported: false, fileName: "x")
        }
    }
}
