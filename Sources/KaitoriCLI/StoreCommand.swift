import ArgumentParser
import Foundation
import KaitoriCore

extension Kaitori {
    struct StoreCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "store",
            abstract: "The case store itself: moving a shop between SQLite and PostgreSQL (docs/scaling.md).",
            subcommands: [Copy.self])
    }
}

extension Kaitori.StoreCommand {
    struct Copy: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Copy every table of the shop's store into a new, empty store, verified by row counts and a checksum per table.",
            discussion: """
            --to takes a SQLite file (created when missing) or a PostgreSQL URL \
            (postgresql://USER@HOST:PORT/DATABASE?host=/socket/folder). The target must hold no row; the copy is one \
            transaction there, verified before it commits, so after any failure the target is still empty and the \
            command can be run again. Stop the handlers and the console first (a maintenance page), copy, then point \
            shop.yml at the new store and run `kaitori build`.
            """)
        @OptionGroup var options: SiteOptions
        @Option(name: .long, help: "The new store: a SQLite file path or a postgresql:// URL.")
        var to: String

        func run() throws {
            try refusing {
                let source = try options.store()
                let target = try wrapping { try StoreTarget.open(to, site: options.siteDirectory) }
                let tables = try wrapping {
                    try StoreCopy.copy(from: source, to: target) { table in
                        print("\(table.name): \(table.rows) rows, checksum \(table.checksum.prefix(16)) (same in both)")
                    }
                }
                let copied = tables.filter { $0.name != StoreCopy.uploadsEntry }
                print("copied \(copied.count) tables, \(copied.reduce(0) { $0 + $1.rows }) rows to \(StoreTarget.display(to)); verified")
            }
        }
    }
}

/// Where `kaitori store copy --to` writes: a SQLite file (migrated on open) or a PostgreSQL store.
enum StoreTarget {
    /// The store (kept whole: its database calls back into it after each commit).
    static func open(_ target: String, site: String) throws -> CaseStore {
        if target.hasPrefix("postgresql:") || target.hasPrefix("postgres:") {
            return try CaseStore(postgres: try PostgresLocation(url: target), site: site, pages: nil)
        }
        let path = target.hasPrefix("/") ? target : site + "/" + target
        return try CaseStore(path: path, pages: nil)
    }

    /// The target for messages (a URL never holds a password: `PostgresLocation(url:)` refuses one).
    static func display(_ target: String) -> String {
        (try? PostgresLocation(url: target).displayName) ?? target
    }
}
