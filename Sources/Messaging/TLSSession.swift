#if canImport(Glibc)
import Glibc
#endif

/// A TLS client session over a connected socket, verifying the server's certificate against the
/// system's trusted roots (or `trustedCertificates`) and the host name or IP address.
final class TLSSession {
    private let lib: OpenSSLLibrary
    private let context: OpaquePointer
    private let ssl: OpaquePointer

    /// Performs the handshake on `socket` (blocking, with the socket's own timeouts).
    /// - Parameter trustedCertificates: a PEM file trusted instead of the system's roots (a
    ///   private CA; tests).
    init(socket: Int32, host: String, trustedCertificates: String?) throws(DeliveryError) {
        let lib: OpenSSLLibrary
        switch OpenSSLLibrary.shared {
        case .success(let loaded): lib = loaded
        case .failure(.tls(_, let reason)): throw .tls(host: host, reason: reason)
        case .failure(let error): throw error
        }
        // TLS 1.2 minimum and full verification: the session carries the SMTP password.
        guard let context = lib.ctxNew(lib.clientMethod()) else {
            throw .tls(host: host, reason: "cannot create a TLS context: \(lib.errors())")
        }
        _ = lib.ctxCtrl(context, OpenSSLLibrary.ctrlSetMinProtoVersion, OpenSSLLibrary.tls12Version, nil)
        lib.ctxSetVerify(context, OpenSSLLibrary.verifyPeer, nil)
        let trusted = trustedCertificates.map { lib.ctxLoadVerifyLocations(context, $0, nil) } ?? lib.ctxSetDefaultVerifyPaths(context)
        guard trusted == 1, let ssl = lib.sslNew(context) else {
            let reason = lib.errors()
            lib.ctxFree(context)
            throw .tls(host: host, reason: "cannot load trusted certificates\(trustedCertificates.map { " from \($0)" } ?? ""): \(reason)")
        }
        self.lib = lib
        self.context = context
        self.ssl = ssl
        // OpenSSL writes with write(2), not send(MSG_NOSIGNAL): a server that hangs up would
        // kill the process with SIGPIPE instead of failing this message.
        signal(SIGPIPE, SIG_IGN)
        _ = lib.setFd(ssl, socket)
        // SNI is for names only (RFC 6066 3); an address is matched against the certificate's IP SANs.
        if TLSSession.isIPAddress(host) {
            _ = lib.paramSet1IPAsc(lib.get0Param(ssl), host)
        } else {
            _ = host.withCString { lib.ctrl(ssl, OpenSSLLibrary.ctrlSetTLSExtHostname, OpenSSLLibrary.tlsExtNameTypeHostName, UnsafeMutableRawPointer(mutating: $0)) }
            _ = lib.set1Host(ssl, host)
        }
        let rc = lib.connect(ssl)
        if rc != 1 {
            let verify = lib.getVerifyResult(ssl)
            if verify != 0 {
                let text = lib.verifyErrorString(verify).map { String(cString: $0) } ?? "error \(verify)"
                throw .tls(host: host, reason: "certificate not trusted: \(text)")
            }
            let code = lib.getError(ssl, rc)
            let detail = lib.errors()
            if code == OpenSSLLibrary.errorSyscall || code == OpenSSLLibrary.errorWantRead, detail.isEmpty {
                throw .tls(host: host, reason: errno == EAGAIN ? "handshake timed out" : "connection closed during the handshake")
            }
            throw .tls(host: host, reason: "handshake failed: \(detail.isEmpty ? "error \(code)" : detail)")
        }
    }

    deinit {
        lib.sslFree(ssl)
        lib.ctxFree(context)
    }

    /// Reads up to `count` bytes; an empty result means the peer closed the session.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(ConnectionError) -> Int {
        let n = lib.read(ssl, buffer.baseAddress, Int32(buffer.count))
        if n > 0 { return Int(n) }
        throw failure(n)
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws(ConnectionError) {
        var offset = 0
        while offset < bytes.count {
            let n = lib.write(ssl, bytes.baseAddress! + offset, Int32(bytes.count - offset))
            if n <= 0 { throw failure(n) }
            offset += Int(n)
        }
    }

    /// Sends close_notify; the answer is not awaited (the socket is closed right after).
    func close() { _ = lib.shutdown(ssl) }

    private func failure(_ rc: Int32) -> ConnectionError {
        let savedErrno = errno
        let code = lib.getError(ssl, rc)
        switch code {
        case OpenSSLLibrary.errorZeroReturn: return .closed
        case OpenSSLLibrary.errorWantRead, OpenSSLLibrary.errorWantWrite: return .timedOut
        case OpenSSLLibrary.errorSyscall:
            if savedErrno == EAGAIN || savedErrno == EWOULDBLOCK { return .timedOut }
            return savedErrno == 0 ? .closed : .failed(String(cString: strerror(savedErrno)))
        default:
            return .failed(lib.errors())
        }
    }

    static func isIPAddress(_ host: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, host, &v4) == 1 || inet_pton(AF_INET6, host, &v6) == 1
    }
}
