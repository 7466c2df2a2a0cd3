/// Sending back what was not bought: the declined items of an approved (or later) case, or every
/// item of a canceled one. Staff enter the carrier and tracking number; the customer gets the
/// `returned` message with both.
extension CaseStore {
    /// Marks items returned and queues the `returned` message.
    ///
    /// - Parameter itemIDs: the items sent back; nil for every item still waiting to be returned.
    /// - Returns: the case and the items marked by this call.
    public func markReturned(code: String, carrier: String, tracking: String, itemIDs: [Int64]? = nil,
                             by staff: Actor, settings: Settings) throws -> (Case, [Item]) {
        try db.transaction {
            let record = try load(code: code)
            let carrierName = TextNormalizer.trim(carrier)
            let trackingNumber = TextNormalizer.digits(tracking)
            guard !carrierName.isEmpty else { throw StoreError.refused(code: record.code, reason: "give the carrier of the return parcel") }
            guard !trackingNumber.isEmpty else { throw StoreError.refused(code: record.code, reason: "give the tracking number of the return parcel") }
            let waiting = try itemsAwaitingReturn(record)
            var chosen = waiting
            if let itemIDs {
                chosen = []
                for id in Set(itemIDs).sorted() {
                    guard let item = record.items.first(where: { $0.id == id }) else {
                        throw StoreError.refused(code: record.code, reason: "no item #\(id) in this case")
                    }
                    if item.returnedAt != nil {
                        throw StoreError.refused(code: record.code, reason: "item #\(id) was already returned (\(item.returnCarrier ?? "") \(item.returnTracking ?? ""))")
                    }
                    guard waiting.contains(where: { $0.id == id }) else {
                        throw StoreError.refused(code: record.code, reason: "item #\(id) is being bought, not returned (only declined items, or all items of a canceled case, go back)")
                    }
                    chosen.append(item)
                }
            }
            guard !chosen.isEmpty else {
                throw StoreError.refused(code: record.code, reason: "no items waiting to be returned")
            }
            let now = clock.now()
            for item in chosen {
                try db.query("UPDATE items SET return_carrier = ?, return_tracking = ?, returned_at = ? WHERE id = ?",
                             [.text(carrierName), .text(trackingNumber), .int(now), .int(item.id)])
            }
            try touch(caseID: record.id)
            let updated = try load(id: record.id)
            try Notifications(settings: settings).queue(.returned, for: updated, in: self, extra: [
                "return": .object(["carrier": .string(carrierName), "tracking": .string(trackingNumber),
                                   "items": .list(chosen.map { .string($0.displayName) })]),
            ])
            let ids = Set(chosen.map(\.id))
            return (updated, updated.items.filter { ids.contains($0.id) })
        }
    }

    /// Items of the case that must still go back to the customer. Refuses when the case is not at
    /// a stage where anything goes back, naming the stage.
    func itemsAwaitingReturn(_ record: Case) throws -> [Item] {
        switch record.status {
        case .canceled:
            break
        case .approved, .purchased, .paid:
            guard record.items.contains(where: \.declined) else {
                throw StoreError.refused(code: record.code, reason: "the customer sold every item; nothing to return")
            }
        default:
            throw StoreError.refused(code: record.code, reason: "nothing is returned while the case is \(record.status.rawValue) (\(record.status.label)); items go back once the customer declined them and approved, or the case is canceled")
        }
        if let child = try renegotiationCode(ofCaseID: record.id) {
            throw StoreError.refused(code: record.code, reason: "its items moved to the renegotiation case \(child); return them from there")
        }
        return record.items.filter { ($0.declined || record.status == .canceled) && $0.returnedAt == nil }
    }
}
