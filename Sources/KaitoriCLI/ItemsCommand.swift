import ArgumentParser
import Foundation
import KaitoriCore
import Spreadsheet

extension Kaitori {
    struct ItemsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "items",
            abstract: "Enter, change, export and import a case's assessment items.",
            discussion: """
            Items change only while the case is arrived or assessing; the first change moves an arrived case to \
            assessing. After `case assess` withdraw with `case unassess`; after approval cancel and `case renegotiate`.
            """,
            subcommands: [Add.self, Edit.self, Remove.self, Export.self, Import.self])
    }
}

extension Kaitori.ItemsCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add one item (needs a name, product code or JAN, a quantity and a price).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @OptionGroup var item: ItemOptions
        @Flag(help: "One JSON document on stdout.") var json = false

        func validate() throws {
            if item.quantity == nil { throw ValidationError("--quantity is required") }
            if item.price == nil { throw ValidationError("--price is required (the unit buy price in yen)") }
        }

        func run() throws {
            try refusing {
                let (record, added) = try options.store().addItem(code: code, item.draft, by: options.actor)
                try report(record, added, verb: "added", json: json)
            }
        }
    }

    struct Edit: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change fields of one item; fields not given stay as they are.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Argument(help: "The item id (as `case show` lists it).") var itemID: Int64
        @OptionGroup var item: ItemOptions
        @Flag(help: "One JSON document on stdout.") var json = false

        func validate() throws {
            if item.draft.isEmpty { throw ValidationError("give at least one field to change, e.g. --price 12000") }
        }

        func run() throws {
            try refusing {
                let (record, changed) = try options.store().editItem(code: code, itemID: itemID, item.draft, by: options.actor)
                try report(record, changed, verb: "saved", json: json)
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove one item.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Argument(help: "The item id.") var itemID: Int64

        func run() throws {
            try refusing {
                let record = try options.store().removeItem(code: code, itemID: itemID, by: options.actor)
                print("\(record.code): item #\(itemID) removed; \(record.items.count) item(s), total \(Yen.format(record.total))")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the case's items as an item sheet to edit and import back: CSV (UTF-8 with BOM), or .xlsx when FILE ends in .xlsx.",
            discussion: """
            Columns: ID, ハッシュ, 商品コード, JANコード, 商品名, 数量, 買取単価, 販売単価, グレード, 棚番号, \
            コンディションタグ, コンディション詳細, 商品メモ, バイヤーコメント, 重量 (the English names id, hash, \
            product_code, jan, name, quantity, unit_price, sale_price, grade, shelf, tags, condition, staff_memo, \
            buyer_comment, weight are accepted on import). Keep ID and ハッシュ unchanged on rows you edit; leave both \
            empty on rows you add.
            """)
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Argument(help: "The file to write (same as -o; - or nothing for stdout).") var file: String?
        @OptionGroup var output: ExportOutput

        func run() throws {
            try refusing {
                let file = try output.path(positional: self.file)
                let (record, sheet) = try options.store().exportItems(code: code)
                if ExportOutput.isWorkbook(file) {
                    try OutputFile.write(Data(try ItemSheetXLSX.export(record.items)), to: file)
                } else {
                    try OutputFile.write(sheet, to: file)
                }
                if file != "-" { print("\(record.code): \(record.items.count) item(s) written to \(file)") }
            }
        }
    }

    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Import an item sheet: rows with an id change that item, rows without one add items.",
            discussion: """
            CSV (UTF-8, a BOM is fine) or an .xlsx workbook (its first sheet). At most \(ItemSheet.maxRows) rows and under 10 MB. A changed row must keep the \
            hash of the export: if the item was edited since, the row is refused. Every problem is listed as \
            `row N: column: problem` and any problem means nothing changes.
            """)
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Argument(help: "The file to read: CSV, or an .xlsx workbook (its first sheet).") var file: String
        @Flag(help: "Also remove the case's items that are not in the file.") var deleteMissing = false
        @Flag(help: "One JSON document on stdout.") var json = false

        func run() throws {
            try refusing {
                let bytes = try readSheet()
                let result: CaseStore.ItemImportResult
                if ItemSheetXLSX.isWorkbook(bytes) {
                    let records: [[String]]
                    do { records = try ItemSheetXLSX.records(bytes) } catch let error as XLSXError { throw CLIError("\(file): \(error)") }
                    result = try options.store().importItems(code: code, records: records, deleteMissing: deleteMissing, by: options.actor)
                } else {
                    result = try options.store().importItems(code: code, sheet: bytes, deleteMissing: deleteMissing, by: options.actor)
                }
                let r = result.record
                if json {
                    try printJSON(ImportJSON(code: r.code, status: r.status.rawValue, added: result.added, changed: result.changed,
                                             unchanged: result.unchanged, deleted: result.deleted, total: r.total))
                    return
                }
                print("\(r.code): \(result.added.count) added, \(result.changed.count) changed, \(result.unchanged.count) unchanged, \(result.deleted.count) removed; \(r.items.count) item(s), total \(Yen.format(r.total)) (\(r.status.rawValue))")
            }
        }

        private func readSheet() throws -> [UInt8] {
            let attributes: [FileAttributeKey: Any]
            do { attributes = try FileManager.default.attributesOfItem(atPath: file) } catch {
                throw CLIError("\(file): cannot read (\(error.localizedDescription))")
            }
            // Refuse an oversized file before reading it into memory.
            if let size = attributes[.size] as? Int, size >= ItemSheet.maxBytes {
                throw CLIError("\(file): \(size) bytes; an item import must be under 10 MB, split the file")
            }
            guard let data = FileManager.default.contents(atPath: file) else { throw CLIError("\(file): cannot read") }
            return [UInt8](data)
        }
    }

    struct ImportJSON: Encodable {
        let code: String
        let status: String
        let added, changed, unchanged, deleted: [Int64]
        let total: Int
    }

    struct ItemChangeJSON: Encodable {
        let code: String
        let status: String
        let item: CaseJSON.ItemJSON
        let total: Int
    }
}

private func report(_ record: Case, _ item: Item, verb: String, json: Bool) throws {
    if json {
        try printJSON(Kaitori.ItemsCommand.ItemChangeJSON(code: record.code, status: record.status.rawValue, item: .init(item), total: record.total))
        return
    }
    print("\(record.code): item #\(item.id) \(verb): \(item.displayName)  \(item.gradeLabel)  \(Yen.format(item.unitPrice)) ×\(item.quantity) = \(Yen.format(item.subtotal)); total \(Yen.format(record.total)) (\(record.status.rawValue))")
}

extension CaseJSON.ItemJSON {
    init(_ i: Item) {
        self.init(id: i.id, name: i.displayName, product_code: i.productCode, jan: i.jan, quantity: i.quantity,
                  unit_price: i.unitPrice, sale_price: i.salePrice, subtotal: i.subtotal, grade: i.grade,
                  grade_label: i.gradeLabel, shelf: i.shelf, tags: i.tags, condition: i.condition, staff_memo: i.staffMemo,
                  buyer_comment: i.buyerComment, weight: i.weight, declined: i.declined,
                  returned_at: i.returnedAt.map(Timestamp.iso), return_carrier: i.returnCarrier, return_tracking: i.returnTracking)
    }
}
