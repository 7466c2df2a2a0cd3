import Foundation
import KaitoriCore
import SettingsFile
import Testing

/// `store:` in shop.yml (docs/settings.md): SQLite by default, PostgreSQL with its connection; the
/// password never in shop.yml nor in the handler's `var/site.json`.
@Suite struct StoreSettingsTests {
    func parse(_ store: String) -> (Settings?, [SettingsProblem]) {
        let (settings, problems) = SettingsFile.parse(SettingsCheckTests.sample + "\n" + store + "\n")
        return (settings, problems.filter { $0.severity == .error })
    }

    func line(of text: String, in store: String) -> Int {
        let all = SettingsCheckTests.sample + "\n" + store + "\n"
        return (all.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(text) } ?? -1) + 1
    }

    @Test func sqliteIsTheDefault() {
        #expect(parse("").0?.store == .sqlite)
        #expect(parse("store: sqlite").0?.store == .sqlite)
    }

    @Test func aPostgreSQLConnectionIsReadAndPublishedWithoutThePassword() throws {
        let (settings, problems) = parse("""
            store:
              engine: postgresql
              socket: /var/run/postgresql
              database: kaitori
              user: shop
              password_env: KAITORI_DB_PASSWORD
            """)
        #expect(problems == [])
        let expected = PostgresLocation(host: "/var/run/postgresql", port: 5432, database: "kaitori", user: "shop", passwordEnv: "KAITORI_DB_PASSWORD")
        #expect(settings?.store == .postgres(expected))
        let data = try JSONEncoder().encode(HandlerSettings(try #require(settings)))
        #expect(try Settings(json: JSONReader(parsing: [UInt8](data))).store == .postgres(expected))
    }

    @Test func aPasswordInShopYMLIsRefusedWithItsLine() {
        let store = """
            store:
              engine: postgresql
              host: db.internal
              database: kaitori
              user: shop
              password: hunter2
            """
        let (settings, problems) = parse(store)
        #expect(settings == nil)
        #expect(problems.map(\.key) == ["store.password"])
        #expect(problems.first?.line == line(of: "password: hunter2", in: store))
    }

    @Test(arguments: [
        ("  host: a\n  socket: /run/postgresql", "store.socket"),
        ("  socket: run/postgresql", "store.socket"),
        ("  host: a\n  password_file: \(Fixtures.repoRoot)/db-password", "store.password_file"),
        ("  host: a\n  password_file: db-password", "store.password_file"),
        ("  host: a\n  password_env: s3cret-pass", "store.password_env"),
        ("  host: a\n  port: 70000", "store.port"),
    ])
    func connectionMistakesAreNamed(_ lines: String, _ key: String) {
        let (settings, problems) = parse("store:\n  engine: postgresql\n  database: k\n  user: u\n" + lines)
        #expect(settings == nil)
        #expect(problems.map(\.key) == [key])
    }

    @Test func anUnknownEngineIsRefused() {
        let (_, problems) = parse("store: mysql")
        #expect(problems.map(\.key) == ["store"])
    }
}
