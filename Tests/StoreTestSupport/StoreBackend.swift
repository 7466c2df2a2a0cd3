import Foundation
import KaitoriCore

/// The store backends the store tests run on, as the argument of one parameterized suite:
/// SQLite always; PostgreSQL when `KAITORI_TEST_POSTGRES` names a server (libpq keywords:
/// `host=127.0.0.1 port=54329 dbname=postgres user=kaitori`, the password in
/// `KAITORI_TEST_POSTGRES_PASSWORD`; `scripts/pg-test-server.sh start` prints both).
/// With `KAITORI_TEST_POSTGRES_REQUIRED=1` PostgreSQL is always among them, so a missing or
/// unreachable server fails the tests instead of skipping them (CI sets it).
public enum StoreBackend: String, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    public static let all: [StoreBackend] = {
        let env = ProcessInfo.processInfo.environment
        let configured = !(env["KAITORI_TEST_POSTGRES"] ?? "").isEmpty
        return configured || env["KAITORI_TEST_POSTGRES_REQUIRED"] == "1" ? [.sqlite, .postgres] : [.sqlite]
    }()

    /// The environment variable holding the test server's password.
    public static let passwordVariable = "KAITORI_TEST_POSTGRES_PASSWORD"

    /// The server from `KAITORI_TEST_POSTGRES`, database as given (the maintenance database).
    public static func server() throws -> PostgresLocation {
        guard let spec = ProcessInfo.processInfo.environment["KAITORI_TEST_POSTGRES"], !spec.isEmpty else {
            throw StoreError.unavailable("KAITORI_TEST_POSTGRES is not set but KAITORI_TEST_POSTGRES_REQUIRED=1 (run the tests through scripts/test.sh, which starts a server)")
        }
        var fields: [String: String] = [:]
        for pair in spec.split(separator: " ") {
            let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { fields[parts[0]] = parts[1] }
        }
        return PostgresLocation(host: fields["host"] ?? "127.0.0.1", port: Int(fields["port"] ?? "") ?? 5432,
                                database: fields["dbname"] ?? "postgres", user: fields["user"] ?? "postgres",
                                passwordEnv: passwordVariable)
    }

    /// A new, empty database on the test server for one test (`kaitori_test_<uuid>`).
    public static func freshDatabase() throws -> PostgresLocation {
        var location = try server()
        let name = "kaitori_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let admin = try Database(postgres: location)
        try admin.execute("CREATE DATABASE \(name)")
        location.database = name
        return location
    }

    /// The store setting for a new test store on this backend.
    public func freshStoreSetting() throws -> Settings.Store {
        switch self {
        case .sqlite: .sqlite
        case .postgres: .postgres(try StoreBackend.freshDatabase())
        }
    }

    /// A new, empty store for the shop folder `site` on this backend.
    public func openStore(site: String, clock: any Clock, pages: (any CasePagePublisher)? = nil) throws -> CaseStore {
        try CaseStore.open(site: site, store: try freshStoreSetting(), clock: clock, pages: pages)
    }

    /// The `store:` section of shop.yml naming `setting` (appended to a test shop's copy, so the CLI
    /// opens the same store as the test).
    public static func shopYAML(_ setting: Settings.Store) -> String {
        guard case .postgres(let p) = setting else { return "" }
        return """

            store:
              engine: postgresql
              host: "\(p.host)"
              port: \(p.port)
              database: "\(p.database)"
              user: "\(p.user)"
              password_env: \(p.passwordEnv)

            """
    }
}
