#if canImport(Glibc)
import Glibc
#endif

/// The system's OpenSSL (libssl 3 or 1.1), loaded with dlopen when a connection first needs TLS.
///
/// Package.swift declares no OpenSSL module and the toolchain ships none; loading the shared
/// library at run time keeps the build free of it and lets machines without libssl run
/// everything but STARTTLS and https.
final class OpenSSLLibrary: @unchecked Sendable {
    typealias MethodFn = @convention(c) () -> OpaquePointer?
    typealias NewFn = @convention(c) (OpaquePointer?) -> OpaquePointer?
    typealias FreeFn = @convention(c) (OpaquePointer?) -> Void
    typealias IntFn = @convention(c) (OpaquePointer?) -> Int32
    typealias LoadVerifyFn = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?, UnsafePointer<CChar>?) -> Int32
    typealias SetVerifyFn = @convention(c) (OpaquePointer?, Int32, UnsafeRawPointer?) -> Void
    typealias CtrlFn = @convention(c) (OpaquePointer?, Int32, Int, UnsafeMutableRawPointer?) -> Int
    typealias SetFdFn = @convention(c) (OpaquePointer?, Int32) -> Int32
    typealias StringFn = @convention(c) (OpaquePointer?, UnsafePointer<CChar>?) -> Int32
    typealias ReadFn = @convention(c) (OpaquePointer?, UnsafeMutableRawPointer?, Int32) -> Int32
    typealias WriteFn = @convention(c) (OpaquePointer?, UnsafeRawPointer?, Int32) -> Int32
    typealias GetErrorFn = @convention(c) (OpaquePointer?, Int32) -> Int32
    typealias VerifyResultFn = @convention(c) (OpaquePointer?) -> Int
    typealias VerifyStringFn = @convention(c) (Int) -> UnsafePointer<CChar>?
    typealias ErrGetFn = @convention(c) () -> UInt
    typealias ErrStringFn = @convention(c) (UInt, UnsafeMutablePointer<CChar>?, Int) -> Void

    // Values of OpenSSL's ssl.h macros, which dlsym cannot see.
    static let verifyPeer: Int32 = 1
    static let ctrlSetTLSExtHostname: Int32 = 55
    static let tlsExtNameTypeHostName = 0
    static let ctrlSetMinProtoVersion: Int32 = 123
    static let tls12Version = 0x0303
    static let errorWantRead: Int32 = 2
    static let errorWantWrite: Int32 = 3
    static let errorSyscall: Int32 = 5
    static let errorZeroReturn: Int32 = 6

    let clientMethod: MethodFn
    let ctxNew: NewFn
    let ctxFree: FreeFn
    let ctxSetDefaultVerifyPaths: IntFn
    let ctxLoadVerifyLocations: LoadVerifyFn
    let ctxSetVerify: SetVerifyFn
    let ctxCtrl: CtrlFn
    let sslNew: NewFn
    let sslFree: FreeFn
    let setFd: SetFdFn
    let ctrl: CtrlFn
    let set1Host: StringFn
    let get0Param: NewFn
    let paramSet1IPAsc: StringFn
    let connect: IntFn
    let read: ReadFn
    let write: WriteFn
    let shutdown: IntFn
    let getError: GetErrorFn
    let getVerifyResult: VerifyResultFn
    let verifyErrorString: VerifyStringFn
    let errGet: ErrGetFn
    let errString: ErrStringFn

    static let names = ["libssl.so.3", "libssl.so.1.1", "libssl.so"]

    /// The library, or why it cannot be used.
    static let shared: Result<OpenSSLLibrary, DeliveryError> = {
        var reasons: [String] = []
        for name in names {
            guard let handle = dlopen(name, RTLD_NOW | RTLD_LOCAL) else {
                reasons.append(dlerror().map { String(cString: $0) } ?? name)
                continue
            }
            do { return .success(try OpenSSLLibrary(handle: handle)) } catch {
                reasons.append("\(name): \(error)")
            }
        }
        return .failure(.tls(host: "-", reason: "cannot load OpenSSL (install libssl3): " + reasons.joined(separator: "; ")))
    }()

    private struct MissingSymbol: Error, CustomStringConvertible {
        let name: String
        var description: String { "no symbol \(name)" }
    }

    private init(handle: UnsafeMutableRawPointer) throws {
        // dlsym on libssl's handle also searches libcrypto, which libssl links.
        func symbol<T>(_ name: String, _: T.Type) throws -> T {
            guard let pointer = dlsym(handle, name) else { throw MissingSymbol(name: name) }
            return unsafeBitCast(pointer, to: T.self)
        }
        clientMethod = try symbol("TLS_client_method", MethodFn.self)
        ctxNew = try symbol("SSL_CTX_new", NewFn.self)
        ctxFree = try symbol("SSL_CTX_free", FreeFn.self)
        ctxSetDefaultVerifyPaths = try symbol("SSL_CTX_set_default_verify_paths", IntFn.self)
        ctxLoadVerifyLocations = try symbol("SSL_CTX_load_verify_locations", LoadVerifyFn.self)
        ctxSetVerify = try symbol("SSL_CTX_set_verify", SetVerifyFn.self)
        ctxCtrl = try symbol("SSL_CTX_ctrl", CtrlFn.self)
        sslNew = try symbol("SSL_new", NewFn.self)
        sslFree = try symbol("SSL_free", FreeFn.self)
        setFd = try symbol("SSL_set_fd", SetFdFn.self)
        ctrl = try symbol("SSL_ctrl", CtrlFn.self)
        set1Host = try symbol("SSL_set1_host", StringFn.self)
        get0Param = try symbol("SSL_get0_param", NewFn.self)
        paramSet1IPAsc = try symbol("X509_VERIFY_PARAM_set1_ip_asc", StringFn.self)
        connect = try symbol("SSL_connect", IntFn.self)
        read = try symbol("SSL_read", ReadFn.self)
        write = try symbol("SSL_write", WriteFn.self)
        shutdown = try symbol("SSL_shutdown", IntFn.self)
        getError = try symbol("SSL_get_error", GetErrorFn.self)
        getVerifyResult = try symbol("SSL_get_verify_result", VerifyResultFn.self)
        verifyErrorString = try symbol("X509_verify_cert_error_string", VerifyStringFn.self)
        errGet = try symbol("ERR_get_error", ErrGetFn.self)
        errString = try symbol("ERR_error_string_n", ErrStringFn.self)
    }

    /// Drains OpenSSL's error queue into one line.
    func errors() -> String {
        var parts: [String] = []
        while case let code = errGet(), code != 0 {
            var buffer = [CChar](repeating: 0, count: 256)
            errString(code, &buffer, buffer.count)
            parts.append(String(cString: buffer))
        }
        return parts.joined(separator: "; ")
    }
}
