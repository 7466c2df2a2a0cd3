import ArgumentParser
import Foundation
import Documents
import KaitoriCore

extension Kaitori {
    struct DocsCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "docs",
            abstract: "Printable documents of a case: estimate (見積書) and sales contract (売買契約書) as self-contained HTML or PDF.",
            discussion: """
            HTML: open the file in a browser and print (A4). --pdf prints the same page to an A4 PDF with headless Chromium             (Debian packages chromium and fonts-noto-cjk; KAITORI_CHROMIUM names another browser binary). Footers come from             shop.yml documents.estimate_footer and documents.contract_footer, the shop seal from documents.seal_image.
            """,
            subcommands: [Estimate.self, Contract.self])
    }
}

extension Kaitori.DocsCommand {
    struct Estimate: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The estimate (見積書): every assessed item and the total.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @OptionGroup var output: ExportOutput
        @Flag(help: "Write a PDF instead of HTML.") var pdf = false

        func run() throws {
            try refusing { try DocumentOutput.write(.estimate, code: code, options: options, pdf: pdf, to: output.path()) }
        }
    }

    struct Contract: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "The sales contract (売買契約書): seller, items (declined ones marked 不成約), total, ID verification and signature.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @OptionGroup var output: ExportOutput
        @Flag(help: "Write a PDF instead of HTML.") var pdf = false

        func run() throws {
            try refusing { try DocumentOutput.write(.contract, code: code, options: options, pdf: pdf, to: output.path()) }
        }
    }
}

/// Writes a document as HTML or PDF (`Documents.CaseDocumentFile`: the store's HTML with the shop seal).
enum DocumentOutput {
    static func write(_ document: CaseDocument, code: String, options: SiteOptions, pdf: Bool, to output: String) throws {
        let settings = try options.settings()
        let store = try options.store()
        let site = options.siteDirectory
        if pdf {
            let bytes = try CaseDocumentFile.pdf(document, code: code, store: store, settings: settings, site: site)
            try OutputFile.write(Data(bytes), to: output)
        } else {
            try OutputFile.write(try CaseDocumentFile.html(document, code: code, store: store, settings: settings, site: site), to: output)
        }
        if output != "-" { print("\(Identifiers.normalizeCode(code)): \(document.title)\(pdf ? " (PDF)" : "") written to \(output)") }
    }
}
