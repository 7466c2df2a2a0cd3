import ArgumentParser
import KaitoriCore

extension Kaitori.CaseCommand {
    struct Return: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "return",
            abstract: "Mark declined items (or every item of a canceled case) returned and send the customer the carrier and tracking number.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "The carrier, e.g. ヤマト運輸.") var carrier: String
        @Option(help: "The return parcel's tracking number.") var tracking: String
        @Option(help: "Only these item ids, e.g. 12,13 (default: every item waiting to go back).") var items: String?
        @Flag(help: "One JSON document on stdout.") var json = false

        func validate() throws {
            if let items { _ = try NumberList.parse(items, option: "--items") }
        }

        func run() throws {
            let ids = try items.map { try NumberList.parse($0, option: "--items") }
            try refusing {
                let settings = try options.settings()
                let (record, returned) = try options.store().markReturned(code: code, carrier: carrier, tracking: tracking, itemIDs: ids,
                                                                          by: options.actor, settings: settings)
                if json {
                    try printJSON(ReturnJSON(code: record.code, carrier: returned.first?.returnCarrier ?? carrier,
                                             tracking: returned.first?.returnTracking ?? tracking, items: returned.map(\.id),
                                             still_to_return: record.items.filter { ($0.declined || record.status == .canceled) && $0.returnedAt == nil }.map(\.id)))
                    return
                }
                for item in returned { print("\(record.code): item #\(item.id) returned  \(item.displayName) ×\(item.quantity)") }
                print("\(record.code): \(returned.count) item(s) returned by \(returned.first?.returnCarrier ?? carrier) \(returned.first?.returnTracking ?? tracking)")
            }
        }
    }

    struct ReturnJSON: Encodable {
        let code: String
        let carrier: String
        let tracking: String
        let items: [Int64]
        let still_to_return: [Int64]
    }
}
