import ArgumentParser
import Foundation
import KaitoriCore

extension Kaitori {
    struct RetentionCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retention",
            abstract: "Delete what the retention periods no longer allow to keep (retention in shop.yml); meant for cron.",
            subcommands: [Run.self])
    }
}

extension Kaitori.RetentionCommand {
    struct Run: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete purchases past retention.purchase_years after their last entry, and the personal data of cases that never became purchases retention.unpurchased_days after they ended. One line per case.")
        @OptionGroup var options: SiteOptions
        @Flag(help: "List what a run would delete, and delete nothing.") var dryRun = false

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let store = try options.store()
                let entries = dryRun ? try store.retentionDue(settings: settings) : try store.runRetention(settings: settings)
                for entry in entries { print((dryRun ? "would delete " : "deleted ") + entry.line) }
                if entries.isEmpty { print(dryRun ? "nothing is due" : "nothing was due") }
            }
        }
    }
}

extension Kaitori {
    struct CustomerCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "customer",
            abstract: "A customer's requests about their personal data: export everything held, or erase it (both are logged).",
            subcommands: [Export.self, Erase.self])
    }
}

extension Kaitori.CustomerCommand {
    struct Who: ParsableArguments {
        @Argument(help: "A case code of the customer.") var code: String?
        @Option(help: "Every case with this email address instead.") var email: String?

        func validate() throws {
            if (code == nil) == (email == nil) { throw ValidationError("give either a case code or --email ADDRESS") }
        }
    }

    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Everything held about the customer as one JSON document (ID images are listed, not embedded).")
        @OptionGroup var options: SiteOptions
        @OptionGroup var who: Who
        @Option(name: .shortAndLong, help: "Write to this file (mode 0600) instead of stdout.") var output: String?

        func run() throws {
            try refusing {
                let store = try options.store()
                let value = try store.exportCustomer(caseIDs: try store.customerCaseIDs(code: who.code, email: who.email), by: options.actor)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
                let data = try encoder.encode(JSONOut(value))
                if let output { try OutputFile.write(data + Data("\n".utf8), to: output); print(output) }
                else { FileHandle.standardOutput.write(data + Data("\n".utf8)) }
            }
        }
    }

    struct Erase: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase the customer's data except what the law keeps (a purchase's ledger record, held until its retention ends).")
        @OptionGroup var options: SiteOptions
        @OptionGroup var who: Who

        func run() throws {
            try refusing {
                let store = try options.store()
                let done = try store.eraseCustomer(caseIDs: try store.customerCaseIDs(code: who.code, email: who.email),
                                                   settings: try options.settings(), by: options.actor)
                for (code, held) in done {
                    print(held.map { "\(code): erased except the purchase record the law keeps, held until \($0.iso)" } ?? "\(code): erased")
                }
            }
        }
    }
}

/// A `JSONValue` written by `JSONEncoder`.
struct JSONOut: Encodable {
    let value: JSONValue
    init(_ value: JSONValue) { self.value = value }
    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch value {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .number(let n): if n == n.rounded(), abs(n) < 1e15 { try c.encode(Int64(n)) } else { try c.encode(n) }
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a.map(JSONOut.init))
        case .object(let o): try c.encode(o.mapValues(JSONOut.init))
        }
    }
}
