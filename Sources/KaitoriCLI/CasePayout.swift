import ArgumentParser
import KaitoriCore

extension Kaitori.CaseCommand {
    struct SetPayout: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "payout",
            abstract: "Set or correct a case's payout method (and the bank account for a bank transfer).",
            discussion: "Checked as the application form checks it; refused once the case is paid, canceled or in an exported transfer file.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The case code.") var code: String
        @Option(help: "A payout method id from shop.yml payout_methods, e.g. bank_transfer.") var method: String
        @Option(help: "Bank code, 4 digits.") var bankCode: String = ""
        @Option(help: "Branch code, 3 digits.") var branchCode: String = ""
        @Option(help: "Account type: 1 普通, 2 当座, 4 貯蓄.") var accountType: String = ""
        @Option(help: "Account number, 7 digits.") var accountNumber: String = ""
        @Option(help: "Account holder in katakana.") var accountHolder: String = ""

        func run() throws {
            try each([code], options) { store, settings, code in
                try store.setPayout(code: code, FormValues([("payout", method), ("bank_code", bankCode), ("branch_code", branchCode),
                                                            ("account_type", accountType), ("account_number", accountNumber),
                                                            ("account_holder", accountHolder)]),
                                    by: options.actor, settings: settings)
            }
        }
    }
}
