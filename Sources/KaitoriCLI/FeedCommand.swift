import ArgumentParser
import KaitoriCore

extension Kaitori {
    struct Feed: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "New customer events (applications, answers, ID uploads, approvals, cancellations, failed messages); shown once, then marked seen.")
        @OptionGroup var options: SiteOptions
        @Flag(help: "Also events shown before.") var all = false
        @Flag(help: "Do not mark the events seen.") var peek = false
        @Option(help: "At most this many of the newest events.") var limit: Int?
        @Flag(help: "One JSON document on stdout.") var json = false

        func validate() throws {
            if let limit, limit < 1 { throw ValidationError("--limit must be 1 or more") }
        }

        func run() throws {
            try refusing {
                let entries = try options.store().feed(includeSeen: all, markSeen: !peek, limit: limit)
                if json { try printJSON(entries.map(FeedJSON.init)); return }
                if entries.isEmpty { print(all ? "no events" : "no new events"); return }
                for e in entries {
                    print("\(Timestamp.display(e.at))  \(e.code ?? "---------")  \(e.kindLabel.padding(14))\(e.detail)\(e.seen ? "" : "  [new]")")
                }
            }
        }
    }

    struct FeedJSON: Encodable {
        let id: Int64
        let kind: String
        let label: String
        let at: String
        let code: String?
        let detail: String
        let new: Bool

        init(_ e: FeedEntry) {
            id = e.id; kind = e.kind; label = e.kindLabel; at = Timestamp.iso(e.at); code = e.code; detail = e.detail; new = !e.seen
        }
    }
}
