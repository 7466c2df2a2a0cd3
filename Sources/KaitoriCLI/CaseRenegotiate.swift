import ArgumentParser
import KaitoriCore

extension Kaitori.CaseCommand {
    struct Renegotiate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a renegotiation case (starting at arrived) with the items to assess again.",
            discussion: "From a canceled case every item not yet returned is copied; from an approved (or purchased) case only its declined items.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Flag(help: "One JSON document on stdout (the new case, as `case show --json`).") var json = false

        func run() throws {
            try refusing {
                let settings = try options.settings()
                let store = try options.store()
                let child = try store.renegotiate(code: code, by: options.actor)
                if json { try printJSON(CaseDetail.load(code: child.code, store: store, settings: settings).json); return }
                print("\(child.code): renegotiation of \(child.parentCode ?? code) created (\(child.status.rawValue), \(child.items.count) item(s), total \(Yen.format(child.total)))")
                print("next: `kaitori items edit \(child.code) ITEM_ID --price N` (or `kaitori case start \(child.code)` to keep them), then `kaitori case assess \(child.code)`")
            }
        }
    }
}
