import ArgumentParser
import Foundation
import KaitoriCore
import Spreadsheet

extension Kaitori {
    struct CaseCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "case",
            abstract: "List, show and move cases through the buyback flow.",
            subcommands: [List.self, Show.self, Confirm.self, Arrive.self, StartAssessment.self, Assess.self,
                          Unassess.self, Reissue.self, Cancel.self, Purchase.self, Memo.self, Return.self, Renegotiate.self,
                          SetPayout.self])
    }
}

extension Kaitori.CaseCommand {
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List cases, newest first, with the needs-action marker.")
        @OptionGroup var options: SiteOptions
        @Option(help: "Only cases with this status (\(CaseStatus.allCases.map(\.rawValue).joined(separator: ", "))).")
        var status: String?
        @Option(help: "Search code, name, kana, phone, email or tracking number.")
        var search: String?
        @Option(help: "Created on or after this date (YYYY-MM-DD).") var from: String?
        @Option(help: "Created on or before this date (YYYY-MM-DD).") var to: String?
        @Flag(help: "Only cases waiting on the shop.") var needsAction = false
        @Flag(help: "One JSON document on stdout.") var json = false
        @OptionGroup var output: ExportOutput

        func validate() throws {
            if let status, CaseStatus(rawValue: status) == nil { throw ValidationError("unknown status \(status)") }
            if let from, CivilDate(iso: from) == nil { throw ValidationError("--from must be YYYY-MM-DD") }
            if let to, CivilDate(iso: to) == nil { throw ValidationError("--to must be YYYY-MM-DD") }
        }

        func run() throws {
            try refusing {
                let store = try options.store()
                let query = CaseQuery(status: status.flatMap(CaseStatus.init(rawValue:)), text: search,
                                      from: from.flatMap(CivilDate.init(iso:)), to: to.flatMap(CivilDate.init(iso:)),
                                      needsActionOnly: needsAction)
                if output.output != nil, !json {
                    // -o FILE: the list as a sheet (CSV written case by case, or .xlsx by the file's name).
                    let file = try output.path()
                    let count = try StreamingSheet.write(to: file, site: options.siteDirectory, sheet: SpreadsheetExport.caseListSheet) { emit in
                        try store.eachCase(query) { try emit(CaseListSheet.row($0)) }
                    }
                    if file != "-" { print("\(count) case(s) written to \(file)") }
                    return
                }
                let rows = try store.list(query)
                if json { try printJSON(rows.map(CaseSummaryJSON.init)); return }
                if rows.isEmpty { print("no cases"); return }
                print(CaseListTable.render(rows))
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one case: customer, items, ID, messages and history.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Flag(help: "One JSON document on stdout.") var json = false

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let store = try options.store()
                let detail = try CaseDetail.load(code: code, store: store, settings: settings)
                if json { try printJSON(detail.json) } else { print(detail.text) }
            }
        }
    }

    struct Confirm: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm applications (received → confirmed).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "Case codes.") var codes: [String]
        func run() throws {
            try each(codes, options) { store, settings, code in try store.confirm(code: code, by: options.actor, settings: settings) }
        }
    }

    struct Arrive: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Mark parcels arrived (confirmed → arrived) and notify the customers.")
        @OptionGroup var options: SiteOptions
        @Option(help: "The parcel's tracking number (single case only).") var tracking: String?
        @Argument(help: "Case codes.") var codes: [String]
        func validate() throws {
            if tracking != nil, codes.count != 1 { throw ValidationError("--tracking goes with exactly one case code") }
        }
        func run() throws {
            try each(codes, options) { store, settings, code in
                try store.arrive(code: code, by: options.actor, settings: settings, tracking: tracking ?? "")
            }
        }
    }

    struct StartAssessment: ParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Start assessing (arrived → assessing).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "Case codes.") var codes: [String]
        func run() throws {
            try each(codes, options) { store, _, code in try store.startAssessment(code: code, by: options.actor) }
        }
    }

    struct Assess: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Lock prices, publish the review page and send the review link (assessing → assessed).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "Case codes.") var codes: [String]
        func run() throws {
            try each(codes, options) { store, settings, code in try store.assess(code: code, by: options.actor, settings: settings) }
        }
    }

    struct Unassess: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Withdraw an unanswered assessment (assessed → assessing).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "Case codes.") var codes: [String]
        func run() throws {
            try each(codes, options) { store, _, code in try store.unassess(code: code, by: options.actor) }
        }
    }

    struct Reissue: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Issue a new review link and period for an unanswered assessment.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "Case codes.") var codes: [String]
        func run() throws {
            try each(codes, options) { store, settings, code in try store.reissueReviewLink(code: code, by: options.actor, settings: settings) }
        }
    }

    struct Cancel: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel cases (the customer is notified).")
        @OptionGroup var options: SiteOptions
        @Option(help: "Why (recorded in the history).") var note: String = ""
        @Argument(help: "Case codes.") var codes: [String]
        func run() throws {
            try each(codes, options) { store, settings, code in try store.cancel(code: code, by: options.actor, settings: settings, note: note) }
        }
    }

    struct Purchase: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Confirm the purchase (approved → purchased; needs a verified ID).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "Case codes.") var codes: [String]
        func run() throws {
            try each(codes, options) { store, settings, code in try store.purchase(code: code, by: options.actor, settings: settings) }
        }
    }

    struct Memo: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a staff memo to a case.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Argument(help: "The memo text.") var text: String
        func run() throws {
            try refusing {
                try options.store().addMemo(code: code, by: options.actor, text: text)
                print("\(Identifiers.normalizeCode(code)): memo added")
            }
        }
    }
}

/// Applies a staff action to each code; every case is its own transaction, so one refusal does not
/// undo the others. Refusals are listed and make the exit status 1.
func each(_ codes: [String], _ options: SiteOptions, _ action: (CaseStore, Settings, String) throws -> Case) throws {
    let settings: Settings
    let store: CaseStore
    do {
        settings = try options.settings()
        store = try options.store()
    } catch {
        printError("\(error)")
        throw ExitCode(1)
    }
    var failed = 0
    for code in codes {
        do {
            let record = try action(store, settings, code)
            print("\(record.code): \(record.status.rawValue) (\(record.status.label))")
        } catch {
            printError("\(error)")
            failed += 1
        }
    }
    if failed > 0 { throw ExitCode(1) }
}
