import ArgumentParser
import KaitoriCore

extension Kaitori {
    /// `kaitori kits`: packing kits customers asked for, and the step that records one as sent.
    struct KitsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kits",
            abstract: "Packing kits to send: list them, record one as sent (sends the customer the kit message).",
            subcommands: [List.self, Sent.self])
    }

    /// `kaitori pickups`: pickups customers asked for, the step that records one as arranged, and
    /// the list as CSV for the carrier.
    struct PickupsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "pickups",
            abstract: "Pickups to arrange: list them, export them as CSV for the carrier, record one as arranged (sends the pickup message).",
            subcommands: [List.self, Arranged.self, Export.self])
    }
}

/// One row of the kit and pickup lists, as JSON.
struct ParcelRequestJSON: Encodable {
    let code: String
    let status: String
    let created_at: String
    let name: String
    let postal_code: String
    let address: String
    let phone: String
    let boxes: Int
    let kit: Bool
    let kit_sent_at: String?
    let kit_tracking: String?
    let pickup_date: String?
    let pickup_slot: String?
    let pickup_arranged_at: String?

    init(_ c: Case, settings: Settings) {
        code = c.code; status = c.status.rawValue; created_at = Timestamp.iso(c.createdAt)
        name = c.customer.name; postal_code = c.customer.postalCode; phone = c.customer.phone; boxes = c.boxes
        address = c.customer.prefecture + c.customer.address + (c.customer.building.isEmpty ? "" : " " + c.customer.building)
        kit = c.kit; kit_sent_at = c.kitSentAt.map(Timestamp.iso); kit_tracking = c.kitTracking
        pickup_date = c.pickupDate.isEmpty ? nil : c.pickupDate
        pickup_slot = c.pickupDate.isEmpty ? nil : (settings.pickupSlot(c.pickupSlot)?.label ?? c.pickupSlot)
        pickup_arranged_at = c.pickupArrangedAt.map(Timestamp.iso)
    }
}

extension Kaitori.KitsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cases waiting for a packing kit, oldest first.")
        @OptionGroup var options: SiteOptions
        @Flag(help: "Include kits already sent (cases still waiting for the parcel).") var all = false
        @Flag(help: "One JSON document on stdout.") var json = false

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let cases = try options.store().kitRequests(includeDone: all)
                if json { try printJSON(cases.map { ParcelRequestJSON($0, settings: settings) }); return }
                if cases.isEmpty { print(all ? "no kit requests" : "no kits to send"); return }
                for c in cases {
                    let sent = c.kitSentAt.map { "sent \(Timestamp.display($0)) \(c.kitCarrier ?? "") \(c.kitTracking ?? "")" } ?? "to send"
                    print("\(c.code)  \(Timestamp.display(c.createdAt))  \(c.customer.name)  \(c.boxes)箱  〒\(c.customer.postalCode) \(c.customer.prefecture)\(c.customer.address)  \(sent)")
                }
            }
        }
    }

    struct Sent: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a case's packing kit as sent today and queue the kit message with the tracking number.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "The kit parcel's tracking number.") var tracking: String
        @Option(help: "The carrier, e.g. ヤマト運輸.") var carrier: String = ""

        func run() throws {
            try refusing {
                let record = try options.store().markKitSent(code: code, carrier: carrier, tracking: tracking,
                                                             by: options.actor, settings: try options.settings())
                print("\(record.code): kit sent \(record.kitCarrier ?? "") \(record.kitTracking ?? ""); message queued")
            }
        }
    }
}

extension Kaitori.PickupsCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cases waiting for a pickup to be arranged, by pickup date.")
        @OptionGroup var options: SiteOptions
        @Flag(help: "Include pickups already arranged (cases still waiting for the parcel).") var all = false
        @Flag(help: "One JSON document on stdout.") var json = false

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let cases = try options.store().pickupRequests(includeDone: all)
                if json { try printJSON(cases.map { ParcelRequestJSON($0, settings: settings) }); return }
                if cases.isEmpty { print(all ? "no pickup requests" : "no pickups to arrange"); return }
                for c in cases {
                    let state = c.pickupArrangedAt.map { "arranged \(Timestamp.display($0)) \(c.pickupReference ?? "")" } ?? "to arrange"
                    print("\(c.code)  \(settings.pickupText(date: c.pickupDate, slot: c.pickupSlot) ?? c.pickupDate)  \(c.customer.name)  \(c.boxes)箱  〒\(c.customer.postalCode) \(c.customer.prefecture)\(c.customer.address)  \(c.customer.phone)  \(state)")
                }
            }
        }
    }

    struct Arranged: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Record a case's pickup as arranged with the carrier today and queue the pickup message.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "The carrier's pickup reference, if it gave one.") var reference: String = ""

        func run() throws {
            try refusing {
                let record = try options.store().markPickupArranged(code: code, reference: reference, by: options.actor,
                                                                    settings: try options.settings())
                print("\(record.code): pickup arranged for \(record.pickupDate) \(record.pickupSlot); message queued")
            }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write the pickups to arrange as CSV (UTF-8, header row) for the carrier's bulk booking.")
        @OptionGroup var options: SiteOptions
        @Option(name: .shortAndLong, help: "The CSV file to write (- for stdout).") var output: String
        @Flag(help: "Include pickups already arranged.") var all = false

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let cases = try options.store().pickupRequests(includeDone: all)
                try OutputFile.write(PickupSheet.csv(cases, settings: settings), to: output)
                if output != "-" { printError("\(cases.count) pickup(s) written to \(output)") }
            }
        }
    }
}
