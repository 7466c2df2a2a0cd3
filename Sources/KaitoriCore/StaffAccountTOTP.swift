import Crypto

/// Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): HMAC-SHA1, 30-second steps,
/// 6 digits, what every authenticator app speaks. The HMAC comes from swift-crypto; only the
/// truncation and the step arithmetic of the RFCs are written here.
public enum TOTP {
    public static let stepSeconds: Int64 = 30
    public static let digits = 6
    /// Steps accepted either side of now, for phones whose clock is a little off.
    public static let window: Int64 = 1
    /// Bytes of a new secret: 160 bits, as RFC 4226 recommends for HMAC-SHA1.
    public static let secretBytes = 20

    /// The time step a moment falls in.
    public static func step(at time: Int64) -> Int64 {
        time >= 0 ? time / stepSeconds : (time - stepSeconds + 1) / stepSeconds
    }

    /// The HOTP value for a counter (RFC 4226 §5.3), zero-padded to `digits`.
    public static func code(secret: [UInt8], counter: Int64, digits: Int = digits) -> String {
        var message = [UInt8](repeating: 0, count: 8)
        var value = UInt64(bitPattern: counter)
        for index in (0..<8).reversed() {
            message[index] = UInt8(value & 0xFF)
            value >>= 8
        }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: message, using: SymmetricKey(data: secret)))
        let offset = Int(mac[mac.count - 1] & 0x0F)
        let binary = (UInt32(mac[offset] & 0x7F) << 24) | (UInt32(mac[offset + 1]) << 16)
            | (UInt32(mac[offset + 2]) << 8) | UInt32(mac[offset + 3])
        var modulus: UInt32 = 1
        for _ in 0..<digits { modulus *= 10 }
        let number = String(binary % modulus)
        return String(repeating: "0", count: digits - number.count) + number
    }

    /// The TOTP value at a moment (RFC 6238 §4).
    public static func code(secret: [UInt8], at time: Int64, digits: Int = digits) -> String {
        code(secret: secret, counter: step(at: time), digits: digits)
    }

    /// The step a submitted code belongs to, searching `window` steps either side of `time`;
    /// `nil` when it matches none. Spaces in the code are ignored (apps show "123 456").
    public static func matchingStep(_ submitted: String, secret: [UInt8], at time: Int64) -> Int64? {
        let cleaned = submitted.filter { $0 != " " }
        guard cleaned.count == digits, cleaned.allSatisfy({ ("0"..."9").contains($0) }) else { return nil }
        let now = step(at: time)
        for candidate in (now - window)...(now + window)
        where StaffCrypto.constantTimeEqual(code(secret: secret, counter: candidate), cleaned) {
            return candidate
        }
        return nil
    }

    /// The `otpauth://` URI an authenticator app reads (usually as a QR code).
    public static func uri(secret: [UInt8], account: String, issuer: String) -> String {
        let label = percentEncoded(issuer) + ":" + percentEncoded(account)
        return "otpauth://totp/\(label)?secret=\(StaffCrypto.base32(secret))&issuer=\(percentEncoded(issuer))"
            + "&algorithm=SHA1&digits=\(digits)&period=\(stepSeconds)"
    }

    private static func percentEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            default:
                let digits = Array("0123456789ABCDEF")
                out += "%" + String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
            }
        }
        return out
    }
}
