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
        #expect(export.cases.map(\.code) == [a.code] && export.total == 12_000 && written == export.bytes)
        #expect(try TransferFile.decode(export.bytes).transfers.map(\.amount) == [12_000])
        #expect(throws: PayoutRun.Refused("no purchased, unpaid bank-transfer cases to export")) {
            try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1125", includeExported: false, fileName: "again")
        }
        #expect(try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1126", includeExported: true, fileName: "again")
            .cases.count == 1)
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

    @Test func transferDatesAreMMDD() throws {
        #expect(PayoutRun.isTransferDate("0101") && PayoutRun.isTransferDate("1231"))
        for bad in ["1301", "0032", "125", "12-5", "１２２５", ""] { #expect(!PayoutRun.isTransferDate(bad)) }
        let store = try base.tempStore()
        #expect(throws: PayoutRun.Refused.self) {
            try PayoutRun.exportTransfers(store: store, settings: base.settings, date: "1301", includeExported: false, fileName: "x")
        }
    }
}
