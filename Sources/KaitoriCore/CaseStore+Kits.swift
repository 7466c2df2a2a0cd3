/// Packing kits and pickups the customer asked for on the form (domain.md, "Customer
/// experience"): the staff lists, and the step that records the kit as sent or the pickup as
/// arranged and queues the customer's message. The CLI (`kaitori kits`, `kaitori pickups`) and the
/// console call these.
extension CaseStore {
    /// Cases waiting for the parcel whose customer asked for a kit; sent kits only with `includeDone`.
    public func kitRequests(includeDone: Bool = false) throws -> [Case] {
        try db.query("""
            SELECT id FROM cases WHERE kit = 1 AND status IN ('received', 'confirmed')
            \(includeDone ? "" : "AND kit_sent_at IS NULL") ORDER BY created_at, id
            """).map { try load(id: $0.int("id")) }
    }

    /// Cases waiting for the parcel with a pickup date, by pickup date; arranged ones only with
    /// `includeDone`.
    public func pickupRequests(includeDone: Bool = false) throws -> [Case] {
        try db.query("""
            SELECT id FROM cases WHERE pickup_date != '' AND status IN ('received', 'confirmed')
            \(includeDone ? "" : "AND pickup_arranged_at IS NULL") ORDER BY pickup_date, pickup_slot, id
            """).map { try load(id: $0.int("id")) }
    }

    /// Records the kit as sent (date, carrier, tracking number) and queues the `kit_arranged`
    /// message with them. Refused when the customer asked for no kit, the parcel has already
    /// arrived, or the kit was already recorded as sent.
    @discardableResult
    public func markKitSent(code: String, carrier: String, tracking: String, by staff: Actor, settings: Settings) throws -> Case {
        try db.transaction {
            var record = try load(code: code)
            let carrierName = TextNormalizer.trim(carrier)
            let trackingNumber = TextNormalizer.digits(tracking)
            guard record.kit else { throw StoreError.refused(code: record.code, reason: "the customer did not ask for a packing kit") }
            guard [.received, .confirmed].contains(record.status) else {
                throw StoreError.refused(code: record.code, reason: "the case is \(record.status.rawValue) (\(record.status.label)); a kit is only sent before the parcel arrives")
            }
            if let sent = record.kitSentAt {
                throw StoreError.refused(code: record.code, reason: "the kit was already sent on \(Timestamp.display(sent)) (\(record.kitTracking ?? ""))")
            }
            guard !trackingNumber.isEmpty else { throw StoreError.refused(code: record.code, reason: "give the kit parcel's tracking number") }
            let now = clock.now()
            try db.query("UPDATE cases SET kit_sent_at = ?, kit_carrier = ?, kit_tracking = ? WHERE id = ?",
                         [.int(now), .text(carrierName), .text(trackingNumber), .int(record.id)])
            try touch(caseID: record.id)
            try addEvent(caseID: record.id, kind: "kit_sent", detail: "梱包キット発送 \(carrierName) \(trackingNumber)（\(staff)）", at: now)
            record = try load(id: record.id)
            try Notifications(settings: settings).queue(.kitArranged, for: record, in: self, extra: [
                "kit": .object(["carrier": .string(carrierName), "tracking": .string(trackingNumber),
                                "sent_date": .string(CivilDate(unixTime: now).japanese)]),
            ])
            return record
        }
    }

    /// Records the pickup as arranged with the carrier (date, the carrier's reference if any) and
    /// queues the `pickup_arranged` message.
    @discardableResult
    public func markPickupArranged(code: String, reference: String, by staff: Actor, settings: Settings) throws -> Case {
        try db.transaction {
            var record = try load(code: code)
            guard !record.pickupDate.isEmpty else { throw StoreError.refused(code: record.code, reason: "the customer did not ask for a pickup") }
            guard [.received, .confirmed].contains(record.status) else {
                throw StoreError.refused(code: record.code, reason: "the case is \(record.status.rawValue) (\(record.status.label)); a pickup is only arranged before the parcel arrives")
            }
            if let arranged = record.pickupArrangedAt {
                throw StoreError.refused(code: record.code, reason: "the pickup was already arranged on \(Timestamp.display(arranged))")
            }
            let now = clock.now()
            let ref = TextNormalizer.halfWidth(reference)
            try db.query("UPDATE cases SET pickup_arranged_at = ?, pickup_reference = ? WHERE id = ?",
                         [.int(now), .text(ref), .int(record.id)])
            try touch(caseID: record.id)
            try addEvent(caseID: record.id, kind: "pickup_arranged", detail: "集荷手配 \(record.pickupDate) \(ref)（\(staff)）", at: now)
            record = try load(id: record.id)
            try Notifications(settings: settings).queue(.pickupArranged, for: record, in: self, extra: [
                "pickup": .object(["reference": .string(ref),
                                   "text": .string(settings.pickupText(date: record.pickupDate, slot: record.pickupSlot) ?? "")]),
            ])
            return record
        }
    }
}

/// The pickup list as a carrier takes it: one row per case, in pickup order, with a header row.
public enum PickupSheet {
    public static let header = ["集荷希望日", "時間帯", "受付番号", "お名前", "フリガナ", "郵便番号", "ご住所", "電話番号", "箱数", "手配済み"]

    public static func csv(_ cases: [Case], settings: Settings) -> String {
        var rows = [header]
        for c in cases {
            rows.append([c.pickupDate, settings.pickupSlot(c.pickupSlot)?.label ?? c.pickupSlot, c.code, c.customer.name,
                         c.customer.kana, c.customer.postalCode,
                         c.customer.prefecture + c.customer.address + (c.customer.building.isEmpty ? "" : " " + c.customer.building),
                         c.customer.phone, String(c.boxes), c.pickupArrangedAt.map { CivilDate(unixTime: $0).iso } ?? ""])
        }
        return CSV.encode(rows)
    }
}
