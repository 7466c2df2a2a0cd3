import ArgumentParser

/// `kaitori`: the shop side of Kaitori.
public struct Kaitori: ParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "kaitori",
        abstract: "Mail-in buyback (宅配買取) for second-hand shops: site, cases, documents and payouts.",
        discussion: """
        Commands find the shop folder from --site DIR, else KAITORI_SITE, else the current directory.
        Exit status: 0 done, 1 refused or failed (the message names the case and the reason), 2 usage error.
        """,
        subcommands: [
            Init.self, Check.self, Build.self, CaseCommand.self, ZenginCommand.self, Pay.self, Outbox.self, Serve.self,
            ArrivalCommand.self, ItemsCommand.self, IDCommand.self, DocsCommand.self, StockCommand.self,
            LedgerCommand.self, Feed.self, StaffCommand.self, KitsCommand.self, PickupsCommand.self, PostalCommand.self, KeysCommand.self,
            RetentionCommand.self, CustomerCommand.self, StoreCommand.self,
        ]
    )

    public init() {}
}
