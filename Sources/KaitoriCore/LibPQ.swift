import CLibPQ

#if canImport(Glibc)
import Glibc
#endif

/// libpq's functions, loaded with `dlopen` the first time a PostgreSQL store is opened. The
/// executables do not link libpq: it brings some twenty libraries (OpenSSL, GSSAPI, LDAP…) that
/// every CGI request of a SQLite shop would otherwise load at start for nothing (docs/performance.md,
/// "PostgreSQL store"), and a fully static kaitori-cgi could not be linked with it. `CLibPQ` gives
/// the header's types and constants only.
struct LibPQ {
    typealias Conn = OpaquePointer
    typealias Result = OpaquePointer

    let connectdbParams: @convention(c) (UnsafePointer<UnsafePointer<CChar>?>?, UnsafePointer<UnsafePointer<CChar>?>?, Int32) -> Conn?
    let finish: @convention(c) (Conn?) -> Void
    let status: @convention(c) (Conn?) -> ConnStatusType
    let transactionStatus: @convention(c) (Conn?) -> PGTransactionStatusType
    let errorMessage: @convention(c) (Conn?) -> UnsafeMutablePointer<CChar>?
    let exec: @convention(c) (Conn?, UnsafePointer<CChar>?) -> Result?
    let execParams: @convention(c) (Conn?, UnsafePointer<CChar>?, Int32, UnsafePointer<Oid>?, UnsafePointer<UnsafePointer<CChar>?>?,
                                     UnsafePointer<Int32>?, UnsafePointer<Int32>?, Int32) -> Result?
    let resultStatus: @convention(c) (Result?) -> ExecStatusType
    let resultErrorField: @convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?
    let ntuples: @convention(c) (Result?) -> Int32
    let nfields: @convention(c) (Result?) -> Int32
    let fname: @convention(c) (Result?, Int32) -> UnsafeMutablePointer<CChar>?
    let ftype: @convention(c) (Result?, Int32) -> Oid
    let cmdTuples: @convention(c) (Result?) -> UnsafeMutablePointer<CChar>?
    let getvalue: @convention(c) (Result?, Int32, Int32) -> UnsafeMutablePointer<CChar>?
    let getlength: @convention(c) (Result?, Int32, Int32) -> Int32
    let getisnull: @convention(c) (Result?, Int32, Int32) -> Int32
    let clear: @convention(c) (Result?) -> Void
    let freemem: @convention(c) (UnsafeMutableRawPointer?) -> Void
    let unescapeBytea: @convention(c) (UnsafePointer<UInt8>?, UnsafeMutablePointer<Int>?) -> UnsafeMutablePointer<UInt8>?

    /// The loaded library, or why it could not be loaded.
    static let shared: Swift.Result<LibPQ, StoreError> = load()

    static func get() throws -> LibPQ { try shared.get() }

    private static func load() -> Swift.Result<LibPQ, StoreError> {
        guard let handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL) else {
            let reason = dlerror().map { String(cString: $0) } ?? "not found"
            return .failure(.unavailable("the PostgreSQL client library cannot be loaded (install libpq5): \(reason)"))
        }
        struct Missing: Error { let name: String }
        func f<T>(_ name: String, _: T.Type = T.self) throws -> T {
            guard let symbol = dlsym(handle, name) else { throw Missing(name: name) }
            return unsafeBitCast(symbol, to: T.self)
        }
        let library: LibPQ
        do {
            library = LibPQ(connectdbParams: try f("PQconnectdbParams"), finish: try f("PQfinish"), status: try f("PQstatus"),
                            transactionStatus: try f("PQtransactionStatus"), errorMessage: try f("PQerrorMessage"),
                            exec: try f("PQexec"), execParams: try f("PQexecParams"), resultStatus: try f("PQresultStatus"),
                            resultErrorField: try f("PQresultErrorField"), ntuples: try f("PQntuples"), nfields: try f("PQnfields"),
                            fname: try f("PQfname"), ftype: try f("PQftype"), cmdTuples: try f("PQcmdTuples"), getvalue: try f("PQgetvalue"),
                            getlength: try f("PQgetlength"), getisnull: try f("PQgetisnull"), clear: try f("PQclear"),
                            freemem: try f("PQfreemem"), unescapeBytea: try f("PQunescapeBytea"))
        } catch {
            return .failure(.unavailable("the PostgreSQL client library lacks \((error as? Missing)?.name ?? "a function")"))
        }
        return .success(library)
    }
}
