#if canImport(Glibc)
import Glibc
#endif

/// Whether a host is a literal loopback IP address (127.0.0.0/8 or ::1), decided by parsing the
/// address: a name such as `127.mail.example` or `localhost` is not one, because what a name
/// resolves to is up to DNS and `/etc/hosts`. Only such a host may get mail or an SMS gateway
/// call without TLS.
enum LoopbackAddress {
    static func isLiteral(_ host: String) -> Bool {
        var text = host
        if text.hasPrefix("["), text.hasSuffix("]") { text = String(text.dropFirst().dropLast()) }
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 {
            let bytes = withUnsafeBytes(of: v6) { Array($0) }
            if bytes == [UInt8](repeating: 0, count: 15) + [1] { return true }
            // ::ffff:127.x.y.z, an IPv4 loopback address written as IPv6.
            return bytes[0..<10].allSatisfy { $0 == 0 } && bytes[10] == 0xFF && bytes[11] == 0xFF && bytes[12] == 127
        }
        return false
    }
}
