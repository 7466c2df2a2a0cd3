/// Assessment items: entered one by one or imported from the item sheet. Items change only while
/// the parcel is being assessed; the first change moves an arrived case to assessing.
extension CaseStore {
    /// What an item sheet import did.
    public struct ItemImportResult: Equatable, Sendable {
        public var record: Case
        public var added: [Int64]
        public var changed: [Int64]
        public var unchanged: [Int64]
        public var deleted: [Int64]

        public var changedAnything: Bool { !(added.isEmpty && changed.isEmpty && deleted.isEmpty) }
    }

    /// Adds one item. `quantity` is required; an absent grade means 3 (中古B).
    public func addItem(code: String, _ draft: ItemDraft, by staff: Actor) throws -> (Case, Item) {
        try db.transaction {
            var record = try load(code: code)
            try requireItemsEditable(record)
            var given = draft
            if given[.quantity] == nil { given[.quantity] = "" }
            let (item, problems) = given.applied(to: Item())
            guard problems.isEmpty else { throw ItemError(code: record.code, problems: problems.map(commandLineProblem)) }
            try beginItemChange(&record, by: staff)
            let id = try insertItem(item, caseID: record.id, position: (record.items.map(\.position).max() ?? 0) + 1)
            record = try load(id: record.id)
            return (record, record.items.first { $0.id == id }!)
        }
    }

    /// Changes the given fields of one item; absent fields keep their value.
    public func editItem(code: String, itemID: Int64, _ draft: ItemDraft, by staff: Actor) throws -> (Case, Item) {
        try db.transaction {
            var record = try load(code: code)
            try requireItemsEditable(record)
            let current = try item(itemID, of: record)
            let (item, problems) = draft.applied(to: current)
            guard problems.isEmpty else { throw ItemError(code: record.code, problems: problems.map(commandLineProblem)) }
            if item != current {
                try beginItemChange(&record, by: staff)
                try updateItem(item)
                record = try load(id: record.id)
            }
            return (record, item)
        }
    }

    public func removeItem(code: String, itemID: Int64, by staff: Actor) throws -> Case {
        try db.transaction {
            var record = try load(code: code)
            try requireItemsEditable(record)
            _ = try item(itemID, of: record)
            try beginItemChange(&record, by: staff)
            try db.query("DELETE FROM items WHERE id = ? AND case_id = ?", [.int(itemID), .int(record.id)])
            return try load(id: record.id)
        }
    }

    /// The case's items as an item sheet (any status: exporting changes nothing).
    public func exportItems(code: String) throws -> (Case, String) {
        let record = try load(code: code)
        return (record, ItemSheet.export(record.items))
    }

    /// Imports an item sheet in one transaction: rows with an id update that item (the hash must
    /// match the stored item), rows without one add items, and with `deleteMissing` items absent
    /// from the sheet are removed. Any problem in any row refuses the whole file.
    /// - Throws: `ItemError` listing every problem as `row N: column: problem`; `StoreError` when
    ///   the case's status does not allow item changes.
    public func importItems(code: String, sheet bytes: [UInt8], deleteMissing: Bool = false, by staff: Actor) throws -> ItemImportResult {
        try importItems(code: code, parsed: { ItemSheet.read(bytes) }, deleteMissing: deleteMissing, by: staff)
    }

    /// The same import from rows of text (an .xlsx sheet read by the Spreadsheet module): row N of
    /// the sheet is element N-1, so problems name the spreadsheet's own row numbers.
    public func importItems(code: String, records: [[String]], deleteMissing: Bool = false, by staff: Actor) throws -> ItemImportResult {
        try importItems(code: code, parsed: { ItemSheet.read(records: records) }, deleteMissing: deleteMissing, by: staff)
    }

    private func importItems(code: String, parsed read: () -> ItemSheet.Parsed, deleteMissing: Bool, by staff: Actor) throws -> ItemImportResult {
        try db.transaction {
            var record = try load(code: code)
            try requireItemsEditable(record)
            let parsed = read()
            var problems = parsed.problems
            func problem(_ row: Int, _ column: String, _ message: String) {
                problems.append(ItemError.Problem(row: row, column: column, message: message))
            }
            let stored = Dictionary(uniqueKeysWithValues: record.items.map { ($0.id, $0) })
            var firstRow: [Int64: Int] = [:]
            var updates: [(before: Item, after: Item)] = []
            var additions: [Item] = []
            for row in parsed.rows {
                var base = Item()
                if let id = row.id {
                    if let first = firstRow[id] {
                        problem(row.row, parsed.idName, "item \(id) appears again (first on row \(first))")
                        continue
                    }
                    firstRow[id] = row.row
                    guard let current = stored[id] else {
                        problem(row.row, parsed.idName, "case \(record.code) has no item \(id); leave the id and hash empty to add an item")
                        continue
                    }
                    if row.hash.isEmpty {
                        problem(row.row, parsed.hashName, "missing; a row with an id must keep the hash of the export")
                        continue
                    }
                    if row.hash != ItemSheet.hash(current) {
                        problem(row.row, parsed.hashName, "item \(id) changed after this file was exported (someone edited it meanwhile); export again and redo your change")
                        continue
                    }
                    base = current
                } else if !row.hash.isEmpty {
                    problem(row.row, parsed.hashName, "a hash without an id; keep both as exported to change an item, or clear both to add one")
                    continue
                }
                let (item, fieldProblems) = row.draft.applied(to: base)
                for p in fieldProblems { problem(row.row, parsed.name(of: p.field), p.message) }
                if row.id == nil { additions.append(item) } else { updates.append((base, item)) }
            }
            if !problems.isEmpty {
                throw ItemError(code: record.code, problems: problems.enumerated()
                    .sorted { ($0.element.row ?? 0, $0.offset) < ($1.element.row ?? 0, $1.offset) }.map(\.element))
            }

            let changed = updates.filter { $0.before != $0.after }
            let deleted = deleteMissing ? record.items.map(\.id).filter { firstRow[$0] == nil } : []
            var added: [Int64] = []
            if !(changed.isEmpty && additions.isEmpty && deleted.isEmpty) {
                try beginItemChange(&record, by: staff)
                for (_, item) in changed { try updateItem(item) }
                for id in deleted { try db.query("DELETE FROM items WHERE id = ? AND case_id = ?", [.int(id), .int(record.id)]) }
                var position = record.items.map(\.position).max() ?? 0
                for item in additions {
                    position += 1
                    added.append(try insertItem(item, caseID: record.id, position: position))
                }
                record = try load(id: record.id)
            }
            return ItemImportResult(record: record, added: added, changed: changed.map(\.after.id),
                                    unchanged: updates.filter { $0.before == $0.after }.map(\.after.id), deleted: deleted)
        }
    }

    /// Items change only while the parcel is being assessed; every other status says what to do instead.
    func requireItemsEditable(_ record: Case) throws {
        let code = record.code
        let reason: String
        switch record.status {
        case .arrived, .assessing: return
        case .received, .confirmed:
            reason = "the parcel has not arrived (\(record.status.label)); mark it arrived first (`kaitori case arrive \(code)`)"
        case .assessed:
            reason = "the assessment is done and its items are locked; withdraw it first (`kaitori case unassess \(code)`)"
        case .approved:
            reason = "the customer approved the assessment, so its items cannot change; cancel the case and renegotiate (`kaitori case cancel \(code)`, then `kaitori case renegotiate \(code)`)"
        case .purchased, .paid:
            reason = "the purchase is complete (\(record.status.label)); its items cannot change"
        case .canceled:
            reason = "the case is canceled; renegotiate to assess the items again (`kaitori case renegotiate \(code)`)"
        }
        throw StoreError.refused(code: code, reason: "cannot change items: \(reason)")
    }

    /// The first item change of an arrived case starts its assessment (recorded in the history).
    func beginItemChange(_ record: inout Case, by staff: Actor) throws {
        if record.status == .arrived {
            try move(&record, to: .assessing, by: staff, action: "start assessment", note: "first item change")
        }
        try touch(caseID: record.id)
    }

    func item(_ id: Int64, of record: Case) throws -> Item {
        guard let item = record.items.first(where: { $0.id == id }) else {
            let ids = record.items.map { "#\($0.id)" }.joined(separator: ", ")
            throw StoreError.refused(code: record.code, reason: "no item #\(id) in this case (items: \(ids.isEmpty ? "none" : ids))")
        }
        return item
    }

    @discardableResult
    func insertItem(_ item: Item, caseID: Int64, position: Int) throws -> Int64 {
        try db.insert("""
            INSERT INTO items (case_id, position, product_code, jan, name, quantity, unit_price, sale_price, grade, shelf,
                tags, condition, staff_memo, buyer_comment, weight, category) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)
            """, [.int(caseID), .of(position), .text(item.productCode), .text(item.jan), .text(item.name),
                  .of(item.quantity), .of(item.unitPrice), .of(item.salePrice), .of(item.grade), .text(item.shelf),
                  .text(item.tags), .text(item.condition), .text(item.staffMemo), .text(item.buyerComment), .text(item.weight), .text(item.category)]) ?? 0
    }

    func updateItem(_ item: Item) throws {
        try db.query("""
            UPDATE items SET product_code = ?, jan = ?, name = ?, quantity = ?, unit_price = ?, sale_price = ?, grade = ?,
                shelf = ?, tags = ?, condition = ?, staff_memo = ?, buyer_comment = ?, weight = ?, category = ? WHERE id = ?
            """, [.text(item.productCode), .text(item.jan), .text(item.name), .of(item.quantity), .of(item.unitPrice),
                  .of(item.salePrice), .of(item.grade), .text(item.shelf), .text(item.tags), .text(item.condition),
                  .text(item.staffMemo), .text(item.buyerComment), .text(item.weight), .text(item.category), .int(item.id)])
    }

    private func commandLineProblem(_ p: ItemDraft.Problem) -> ItemError.Problem {
        ItemError.Problem(column: p.field.rawValue, message: p.message)
    }
}
