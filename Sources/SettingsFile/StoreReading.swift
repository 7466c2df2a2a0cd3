import Foundation
import KaitoriCore

/// `store:` in shop.yml (docs/settings.md): `sqlite` (the default: `var/kaitori.sqlite3`), or a
/// PostgreSQL connection shared by several web hosts. The password is never in shop.yml: it comes
/// from an environment variable (`password_env`) or a file outside the shop folder (`password_file`).
extension SettingsReading {
    func readStore() -> Settings.Store {
        guard let node = r.value("store") else { return .sqlite }
        if let scalar = node.scalar?.string {
            if scalar == "sqlite" { return .sqlite }
            r.problem("store", "must be sqlite, or a mapping with engine: postgresql (got \(scalar))")
            return .sqlite
        }
        let s = r.child("store")
        let engine = s.string("engine")
        guard engine == "postgresql" else {
            if engine != "sqlite", !engine.isEmpty { s.problem("engine", "must be sqlite or postgresql (got \(engine))") }
            s.finish()
            return .sqlite
        }
        if s.value("password") != nil {
            s.problem("password", "a password never goes in shop.yml: name an environment variable (password_env) or a file outside the shop folder (password_file)")
        }
        let host = s.string("host", required: false)
        let socket = s.string("socket", required: false)
        if host.isEmpty == socket.isEmpty {
            s.problem(host.isEmpty ? "host" : "socket", "give either host (a name or address) or socket (the folder of the server's Unix socket, e.g. /var/run/postgresql), not both")
        }
        if !socket.isEmpty, !socket.hasPrefix("/") { s.problem("socket", "must be an absolute folder path such as /var/run/postgresql") }
        let location = PostgresLocation(host: host.isEmpty ? socket : host, port: s.int("port", default: 5432, range: 1...65535),
                                        database: s.string("database"), user: s.string("user"),
                                        passwordEnv: s.string("password_env", required: false),
                                        passwordFile: s.string("password_file", required: false))
        if !location.passwordEnv.isEmpty, !location.passwordFile.isEmpty {
            s.problem("password_file", "give either password_env or password_file, not both")
        }
        if !location.passwordEnv.isEmpty,
           !location.passwordEnv.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) {
            s.problem("password_env", "must be the name of an environment variable (capital letters, digits and _), not the password itself")
        }
        if !location.passwordFile.isEmpty {
            let site = URL(fileURLWithPath: file).deletingLastPathComponent().path
            if !location.passwordFile.hasPrefix("/") {
                s.problem("password_file", "must be an absolute path outside the shop folder, e.g. /etc/kaitori/db-password")
            } else if KeyFiles.isInside(location.passwordFile, folder: site) {
                s.problem("password_file", "\(location.passwordFile) is inside the shop folder; keep the password outside it (the web server can read the shop folder)")
            }
        }
        s.finish()
        return .postgres(location)
    }
}
