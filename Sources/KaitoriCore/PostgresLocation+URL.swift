extension PostgresLocation {
    /// A PostgreSQL store written as a URL, as `kaitori store copy --to` takes it:
    /// `postgresql://USER@HOST:PORT/DATABASE`, the Unix socket folder as `?host=/run/pgbouncer`
    /// (or percent-encoded in place of HOST), and where the password is as
    /// `?password_file=/etc/kaitori/pg-password` or `?password_env=NAME`. A password in the URL
    /// itself is refused: it would stay in the shell's history and the process list.
    ///
    /// - Throws: `StoreError.invalid` naming what is wrong.
    public init(url: String) throws {
        var rest = Substring(url)
        guard let scheme = ["postgresql://", "postgres://"].first(where: { rest.hasPrefix($0) }) else {
            throw StoreError.invalid("\(url): a PostgreSQL store is written postgresql://USER@HOST:PORT/DATABASE")
        }
        rest = rest.dropFirst(scheme.count)
        var query: [String: String] = [:]
        if let mark = rest.firstIndex(of: "?") {
            for pair in rest[rest.index(after: mark)...].split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                query[Self.decode(parts[0])] = parts.count > 1 ? Self.decode(parts[1]) : ""
            }
            rest = rest[..<mark]
        }
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<slash]
        let database = Self.decode(rest[slash...].drop { $0 == "/" })
        var user = ""
        if let at = authority.lastIndex(of: "@") {
            let info = authority[..<at]
            guard !info.contains(":") else {
                throw StoreError.invalid("\(url.prefix(scheme.count))…: no password in the URL; give ?password_file=FILE or ?password_env=NAME")
            }
            user = Self.decode(info)
            authority = authority[authority.index(after: at)...]
        }
        var host = Self.decode(authority)
        var port = 5432
        if !host.hasPrefix("/"), let colon = host.lastIndex(of: ":") {
            guard let number = Int(host[host.index(after: colon)...]), (1...65535).contains(number) else {
                throw StoreError.invalid("\(url): the port must be a number from 1 to 65535")
            }
            port = number
            host = String(host[..<colon])
        }
        if let socket = query["host"] { host = socket }
        if let text = query["port"] {
            guard let number = Int(text), (1...65535).contains(number) else { throw StoreError.invalid("\(url): port=\(text) is not a port") }
            port = number
        }
        guard !host.isEmpty, !database.isEmpty, !user.isEmpty else {
            throw StoreError.invalid("\(url): name the user, the host (or ?host=/socket/folder) and the database: postgresql://USER@HOST:PORT/DATABASE")
        }
        self.init(host: host, port: port, database: database, user: user, passwordEnv: query["password_env"] ?? "",
                  passwordFile: query["password_file"] ?? "")
    }

    private static func decode(_ text: Substring) -> String {
        var bytes: [UInt8] = []
        var i = text.utf8.startIndex
        let utf8 = text.utf8
        while i < utf8.endIndex {
            let byte = utf8[i]
            if byte == UInt8(ascii: "%"), let a = utf8.index(i, offsetBy: 1, limitedBy: utf8.endIndex), a < utf8.endIndex,
               let b = utf8.index(i, offsetBy: 2, limitedBy: utf8.endIndex), b < utf8.endIndex,
               let value = UInt8(String(decoding: [utf8[a], utf8[b]], as: UTF8.self), radix: 16) {
                bytes.append(value)
                i = utf8.index(i, offsetBy: 3)
            } else {
                bytes.append(byte)
                i = utf8.index(after: i)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
