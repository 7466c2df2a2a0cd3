import CLibPQ

#if canImport(Glibc)
import Glibc
#endif

/// Where a PostgreSQL case store is (`store:` in shop.yml): a host name or a Unix socket folder,
/// port, database and user. The password is never in shop.yml nor in `var/site.json`: it comes
/// from an environment variable or a file outside the site folder, read when connecting.
public struct PostgresLocation: Equatable, Sendable {
    /// A host name, an address, or (starting with `/`) the folder holding the server's Unix socket.
    public var host: String
    public var port: Int
    public var database: String
    public var user: String
    /// The name of the environment variable holding the password ("" for none).
    public var passwordEnv: String
    /// A file (outside the site folder) holding the password on its first line ("" for none).
    public var passwordFile: String
    /// Extra libpq `options` (e.g. `-c search_path=shop1`); empty normally. Tests use it to give
    /// every test its own schema.
    public var options: String

    public init(host: String, port: Int = 5432, database: String, user: String, passwordEnv: String = "",
                passwordFile: String = "", options: String = "") {
        self.host = host; self.port = port; self.database = database; self.user = user
        self.passwordEnv = passwordEnv; self.passwordFile = passwordFile; self.options = options
    }

    /// The password from the environment variable or the file, nil when neither is set.
    func password() throws -> String? {
        if !passwordEnv.isEmpty, let value = getenv(passwordEnv) { return String(cString: value) }
        if !passwordFile.isEmpty {
            let bytes: [UInt8]?
            do { bytes = try FileIO.read(passwordFile) } catch let failure as FileIO.Failure {
                throw StoreError.unavailable("the PostgreSQL password file: \(failure.description)")
            }
            guard let bytes else { throw StoreError.unavailable("the PostgreSQL password file \(passwordFile) does not exist") }
            let line = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).first ?? []
            var text = String(decoding: line, as: UTF8.self)
            while text.hasSuffix("\r") { text.removeLast() }
            return text
        }
        return nil
    }

    /// `postgres://user@host:port/database` without any password, for messages and logs.
    public var displayName: String {
        let hostPart = host.hasPrefix("/") ? "[socket \(host)]" : host
        return "postgresql://\(user)@\(hostPart):\(port)/\(database)"
    }
}

/// One libpq connection. Statements go through `PQexecParams` (the unnamed statement, no server
/// side prepared statements and no session settings), so the store works behind pgbouncer in
/// transaction pooling mode: nothing outlives a transaction except what is in the tables.
final class PostgresConnection {
    private let pq: LibPQ
    private let conn: OpaquePointer
    /// `?` placeholders translated to `$n`, once per distinct statement.
    private var translated: [String: String] = [:]
    private(set) var changes = 0
    private(set) var lastInsertID: Int64 = 0

    init(_ location: PostgresLocation) throws {
        let pq = try LibPQ.get()
        self.pq = pq
        var pairs: [(String, String)] = [("host", location.host), ("port", String(location.port)),
                                         ("dbname", location.database), ("user", location.user),
                                         ("application_name", "kaitori"), ("connect_timeout", "10"),
                                         ("client_encoding", "UTF8")]
        if let password = try location.password() { pairs.append(("password", password)) }
        if !location.options.isEmpty { pairs.append(("options", location.options)) }
        let keys = pairs.map { strdup($0.0) }
        let values = pairs.map { strdup($0.1) }
        defer { (keys + values).forEach { free($0) } }
        let keyPointers = keys.map { UnsafePointer<CChar>($0) } + [nil]
        let valuePointers = values.map { UnsafePointer<CChar>($0) } + [nil]
        guard let conn = pq.connectdbParams(keyPointers, valuePointers, 0) else {
            throw StoreError.unavailable("\(location.displayName): out of memory")
        }
        guard pq.status(conn) == CONNECTION_OK else {
            let message = cText(pq.errorMessage(conn)).trimmingTrailingNewlines
            pq.finish(conn)
            throw StoreError.unavailable("\(location.displayName): \(message)")
        }
        self.conn = conn
    }

    deinit { pq.finish(conn) }

    var inTransaction: Bool { pq.transactionStatus(conn) != PQTRANS_IDLE }

    /// Runs SQL without parameters (several statements allowed).
    func execute(_ sql: String) throws {
        let result = pq.exec(conn, sql)
        defer { pq.clear(result) }
        try check(result)
    }

    /// Runs one statement with `?` placeholders and returns its rows.
    func query(_ sql: String, _ values: [SQLValue]) throws -> [Row] {
        let statement = try translation(of: sql)
        var types: [Oid] = []
        var texts: [[CChar]?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        for value in values {
            switch value {
            case .null:
                types.append(0); texts.append(nil); lengths.append(0); formats.append(0)
            case .int(let v):
                types.append(20); texts.append(Array(String(v).utf8CString)); lengths.append(0); formats.append(0)
            case .real(let v):
                types.append(701); texts.append(Array("\(v)".utf8CString)); lengths.append(0); formats.append(0)
            case .text(let v):
                // PostgreSQL text cannot hold NUL: refuse rather than store a cut-off value.
                guard !v.utf8.contains(0) else {
                    throw StoreError.invalid("text with a NUL character cannot be stored in PostgreSQL (the input rules refuse it at the door)")
                }
                types.append(0); texts.append(Array(v.utf8CString)); lengths.append(0); formats.append(0)
            case .blob(let bytes):
                types.append(17); texts.append(bytes.map { CChar(bitPattern: $0) } + [0])
                lengths.append(Int32(bytes.count)); formats.append(1)
            }
        }
        let result = withPointers(texts) { pointers in
            pq.execParams(conn, statement, Int32(values.count), types, pointers, lengths, formats, 0)
        }
        defer { pq.clear(result) }
        try check(result)
        changes = Int(cText(pq.cmdTuples(result))) ?? 0
        let rowCount = pq.ntuples(result), columnCount = pq.nfields(result)
        var names: [String] = []
        for c in 0..<columnCount { names.append(cText(pq.fname(result, c))) }
        var rows: [Row] = []
        rows.reserveCapacity(Int(rowCount))
        for r in 0..<rowCount {
            var row = Row()
            for c in 0..<columnCount {
                row.values[names[Int(c)]] = pq.getisnull(result, r, c) == 1 ? .null : value(result, r, c)
            }
            rows.append(row)
        }
        if rowCount > 0, names.contains("id"), sql.hasPrefix("INSERT") { lastInsertID = rows[Int(rowCount) - 1].int("id") }
        return rows
    }

    /// Maps a column back to SQLValue by its type: integers and booleans to `.int`, floating
    /// point to `.real`, numeric to `.int` when whole (SUM of bigint is numeric), bytea to `.blob`.
    private func value(_ result: OpaquePointer?, _ r: Int32, _ c: Int32) -> SQLValue {
        let length = Int(pq.getlength(result, r, c))
        let raw = UnsafeRawPointer(pq.getvalue(result, r, c)!).assumingMemoryBound(to: UInt8.self)
        let text = String(decoding: UnsafeBufferPointer(start: raw, count: length), as: UTF8.self)
        switch pq.ftype(result, c) {
        case 16: return .int(text == "t" ? 1 : 0)
        case 20, 21, 23, 26: return .int(Int64(text) ?? 0)
        case 700, 701: return .real(Double(text) ?? 0)
        case 1700: return Int64(text).map { .int($0) } ?? .real(Double(text) ?? 0)
        case 17:
            var count = 0
            guard let bytes = pq.unescapeBytea(raw, &count) else { return .blob([]) }
            defer { pq.freemem(bytes) }
            return .blob(Array(UnsafeBufferPointer(start: bytes, count: count)))
        default: return .text(text)
        }
    }

    private func check(_ result: OpaquePointer?) throws {
        let status = pq.resultStatus(result)
        guard status != PGRES_COMMAND_OK, status != PGRES_TUPLES_OK else { return }
        var message = cText(pq.errorMessage(conn)).trimmingTrailingNewlines
        if message.hasPrefix("ERROR:  ") { message.removeFirst(8) }
        let state = pq.resultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        throw StoreError.fromPostgres(state: state, message: message, connectionLost: pq.status(conn) != CONNECTION_OK)
    }

    private func translation(of sql: String) throws -> String {
        if let done = translated[sql] { return done }
        let done = PostgresConnection.numberPlaceholders(sql)
        translated[sql] = done
        return done
    }

    /// `?` → `$1`, `$2`, … outside string literals, quoted names and comments.
    static func numberPlaceholders(_ sql: String) -> String {
        var out = ""
        var n = 0
        var quote: Character? = nil
        var comment = false
        var previous: Character = " "
        for ch in sql {
            if comment {
                if ch == "\n" { comment = false }
            } else if let q = quote {
                if ch == q { quote = nil }
            } else if ch == "'" || ch == "\"" {
                quote = ch
            } else if ch == "-" && previous == "-" {
                comment = true
            } else if ch == "?" {
                n += 1
                out += "$\(n)"
                previous = ch
                continue
            }
            out.append(ch)
            previous = ch
        }
        return out
    }
}

private func cText(_ p: UnsafeMutablePointer<CChar>?) -> String { p.map { String(cString: $0) } ?? "" }

private func withPointers<R>(_ values: [[CChar]?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var storage: [UnsafeMutablePointer<CChar>?] = []
    defer { storage.forEach { $0?.deallocate() } }
    for value in values {
        guard let value else { storage.append(nil); continue }
        let p = UnsafeMutablePointer<CChar>.allocate(capacity: value.count)
        p.initialize(from: value, count: value.count)
        storage.append(p)
    }
    return body(storage.map { $0.map { UnsafePointer($0) } })
}

extension StoreError {
    /// SQLSTATE classes: connection problems, lack of resources, operator intervention, lock
    /// timeouts and serialization failures are "unavailable" (the handler answers 503, nothing
    /// changed); a unique violation reads like SQLite's, so callers match one wording.
    static func fromPostgres(state: String, message: String, connectionLost: Bool) -> StoreError {
        if connectionLost { return .unavailable(message) }
        switch state {
        case "23505": return .failed("UNIQUE constraint failed: \(message)")
        case "55P03", "40001", "40P01", "57014": return .unavailable(message)
        default:
            if ["08", "53", "57", "58"].contains(String(state.prefix(2))) { return .unavailable(message) }
            return .failed(message)
        }
    }
}

extension String {
    var trimmingTrailingNewlines: String {
        var s = self
        while s.hasSuffix("\n") { s.removeLast() }
        return s
    }
}
