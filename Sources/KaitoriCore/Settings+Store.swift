extension Settings {
    /// Where the cases are stored (`store:` in shop.yml): SQLite under `var/` (the default, right
    /// for one host), or one PostgreSQL database shared by two or more web hosts. Published to the
    /// handler in `var/site.json`: host, port, database, user and where the password is (an
    /// environment variable's name or a file outside the site folder), never the password.
    public enum Store: Codable, Equatable, Sendable {
        case sqlite
        case postgres(PostgresLocation)
    }
}

extension PostgresLocation: Codable {
    enum CodingKeys: String, CodingKey { case host, port, database, user, passwordEnv, passwordFile, options }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(host: try c.decode(String.self, forKey: .host), port: try c.decode(Int.self, forKey: .port),
                  database: try c.decode(String.self, forKey: .database), user: try c.decode(String.self, forKey: .user),
                  passwordEnv: try c.decodeIfPresent(String.self, forKey: .passwordEnv) ?? "",
                  passwordFile: try c.decodeIfPresent(String.self, forKey: .passwordFile) ?? "",
                  options: try c.decodeIfPresent(String.self, forKey: .options) ?? "")
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(host, forKey: .host); try c.encode(port, forKey: .port); try c.encode(database, forKey: .database)
        try c.encode(user, forKey: .user); try c.encode(passwordEnv, forKey: .passwordEnv)
        try c.encode(passwordFile, forKey: .passwordFile); try c.encode(options, forKey: .options)
    }
}

extension Settings.Store {
    /// Read back from `var/site.json` (`HandlerSettings`); a site.json from before this setting
    /// reads as SQLite.
    static func read(_ r: JSONReader) throws -> Settings.Store {
        if r.isNull { return .sqlite }
        let pg = try r["postgres"]
        if pg.isNull { return .sqlite }
        return .postgres(PostgresLocation(host: try pg["host"].string(), port: try pg["port"].int(),
                                          database: try pg["database"].string(), user: try pg["user"].string(),
                                          passwordEnv: try pg["passwordEnv"].string(), passwordFile: try pg["passwordFile"].string(),
                                          options: try pg["options"].string()))
    }

    func write(to encoder: Encoder) throws {
        enum Key: String, CodingKey { case postgres }
        var c = encoder.container(keyedBy: Key.self)
        switch self {
        case .sqlite: try c.encodeNil(forKey: .postgres)
        case .postgres(let location): try c.encode(location, forKey: .postgres)
        }
    }
}

/// `Settings.Store` as `HandlerSettings` writes it: `{"postgres": null}` or `{"postgres": {...}}`.
struct StoreJSON: Encodable {
    let store: Settings.Store
    func encode(to encoder: Encoder) throws { try store.write(to: encoder) }
}
