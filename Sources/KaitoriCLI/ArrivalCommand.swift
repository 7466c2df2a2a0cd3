import ArgumentParser
import KaitoriCore

extension Kaitori {
    struct ArrivalCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "arrival",
            abstract: "Mark parcels arrived in bulk: search the confirmed cases by what the slip shows, then apply to the chosen ones.",
            discussion: """
            Search, then apply to numbered matches (--pick) or to codes among them. Matches not chosen keep their \
            status but get the --memo. All or nothing: if one chosen case cannot arrive, nothing changes.

              kaitori arrival search 山田
              kaitori arrival apply --search 山田 --pick 1,3 --memo "2箱目未着"
              kaitori arrival apply --search 山田 K7QX-3M9A
              kaitori arrival apply K7QX-3M9A M2PQ-8ZR4
            """,
            subcommands: [Search.self, Apply.self])
    }
}

extension Kaitori.ArrivalCommand {
    struct Search: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the confirmed cases matching a name, kana, phone or tracking number, numbered for `arrival apply --pick`.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "Name, kana, phone or tracking number (part of it is enough).") var text: String
        @Flag(help: "One JSON document on stdout.") var json = false

        func run() throws {
            try refusing {
                let candidates = try options.store().arrivalCandidates(matching: text)
                if json { try printJSON(candidates.enumerated().map { ArrivalJSON($1, number: $0 + 1) }); return }
                if candidates.isEmpty { print("no confirmed case matches \"\(text)\""); return }
                for (offset, record) in candidates.enumerated() { print(ArrivalLine.render(record, number: offset + 1)) }
                print("\(candidates.count) match(es); arrive with `kaitori arrival apply --search \(shellQuoted(text)) --pick N[,N…]`")
            }
        }
    }

    struct Apply: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Mark the chosen cases arrived (customers are notified); with --search, every match gets the memo.")
        @OptionGroup var options: SiteOptions
        @Option(help: "The same text as `arrival search`: its matches are the cases in play.") var search: String?
        @Option(help: "Numbers from the search list, e.g. 1,3.") var pick: String?
        @Option(help: "A case memo for every match (chosen or not), e.g. what arrived.") var memo: String = ""
        @Argument(help: "Case codes to mark arrived (with --search they must be among the matches).") var codes: [String] = []
        @Flag(help: "One JSON document on stdout.") var json = false

        func validate() throws {
            if pick != nil, search == nil { throw ValidationError("--pick numbers refer to a search list; add --search TEXT") }
            if let pick { _ = try NumberList.parse(pick, option: "--pick") }
            if search == nil, codes.isEmpty { throw ValidationError("give case codes, or --search TEXT with --pick N,N and/or codes") }
        }

        func run() throws {
            let picks = try pick.map { try NumberList.parse($0, option: "--pick").map(Int.init) } ?? []
            try refusing {
                let settings = try options.settings()
                let outcome = try options.store().arriveInBulk(search: search, picks: picks, codes: codes, memo: memo,
                                                               by: options.actor, settings: settings)
                if json {
                    try printJSON(ApplyJSON(arrived: outcome.arrived.map(\.code), memo_only: outcome.memoOnly.map(\.code),
                                            memo: memo.isEmpty ? nil : memo))
                    return
                }
                for record in outcome.arrived { print("\(record.code): arrived (\(record.status.label))  \(record.customer.name)") }
                for record in outcome.memoOnly {
                    print("\(record.code): still \(record.status.rawValue) (\(record.status.label))  \(record.customer.name)\(memo.isEmpty ? "" : "; memo saved")")
                }
                print("\(outcome.arrived.count) arrived\(outcome.memoOnly.isEmpty ? "" : ", \(outcome.memoOnly.count) unchanged")")
            }
        }
    }

    struct ArrivalJSON: Encodable {
        let number: Int
        let code: String
        let name: String
        let kana: String
        let phone: String
        let tracking_number: String?
        let boxes: Int
        let created_at: String

        init(_ c: Case, number: Int) {
            self.number = number; code = c.code; name = c.customer.name; kana = c.customer.kana; phone = c.customer.phone
            tracking_number = c.trackingNumber.isEmpty ? nil : c.trackingNumber; boxes = c.boxes
            created_at = Timestamp.iso(c.createdAt)
        }
    }

    struct ApplyJSON: Encodable {
        let arrived: [String]
        let memo_only: [String]
        let memo: String?
    }

    enum ArrivalLine {
        static func render(_ c: Case, number: Int) -> String {
            var line = "\(String(number).leftPadded(3))  \(c.code)  \("\(c.customer.name)（\(c.customer.kana)）".padding(34))\(c.customer.phone.padding(12))"
            line += " 申込 \(Timestamp.display(c.createdAt))  \(c.boxes)箱"
            if !c.trackingNumber.isEmpty { line += "  送り状 \(c.trackingNumber)" }
            return line
        }
    }
}

/// Quotes text for a command line the user can paste back.
func shellQuoted(_ text: String) -> String {
    let safe = text.unicodeScalars.allSatisfy { $0.value > 0x7F || ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "-_.@".unicodeScalars.contains($0) }
    return safe && !text.isEmpty ? text : "'" + text.replacing("'", with: "'\\''") + "'"
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
