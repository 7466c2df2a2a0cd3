import ArgumentParser
import Foundation
import KaitoriCore

extension Kaitori {
    struct DocsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "docs",
            abstract: "Printable documents of a case: estimate (見積書) and sales contract (売買契約書) as self-contained HTML.",
            discussion: "Open the file in a browser and print (A4). Footers come from shop.yml documents.estimate_footer and documents.contract_footer.",
            subcommands: [Estimate.self, Contract.self])
    }
}

extension Kaitori.DocsCommand {
    struct Estimate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The estimate (見積書): every assessed item and the total.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(name: [.short, .customLong("output")], help: "Write to FILE (default: stdout).") var output: String = "-"

        func run() throws {
            try refusing { try DocumentOutput.write(.estimate, code: code, options: options, to: output) }
        }
    }

    struct Contract: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The sales contract (売買契約書): seller, items (declined ones marked 不成約), total, ID verification and signature.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(name: [.short, .customLong("output")], help: "Write to FILE (default: stdout).") var output: String = "-"

        func run() throws {
            try refusing { try DocumentOutput.write(.contract, code: code, options: options, to: output) }
        }
    }
}

/// Writes a case document rendered by the store (`CaseStore.documentHTML`).
enum DocumentOutput {
    static func write(_ document: CaseDocument, code: String, options: SiteOptions, to output: String) throws {
        let settings = try options.settings()
        let html = try options.store().documentHTML(document, code: code, settings: settings, site: options.siteDirectory)
        try OutputFile.write(html, to: output)
        if output != "-" { print("\(Identifiers.normalizeCode(code)): \(document.title) written to \(output)") }
    }
}
