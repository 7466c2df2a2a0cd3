import CLinux
import Glibc

/// Case codes and link tokens.
public enum Identifiers {
    /// No 0/O, 1/I/L: codes are read out over the phone and copied from paper. (Bytes, as the token's
    /// alphabet: an array of `Character`s cost every application post the run-time set-up of its
    /// type and a walk through each character to make the string.)
    static let codeAlphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ".utf8)

    /// `K7QX-3M9A`: 8 characters of a 31-letter alphabet (~39.6 bits). The store's UNIQUE constraint
    /// and a retry make it unique even when many processes create cases at once.
    public static func caseCode<G: RandomNumberGenerator>(using rng: inout G) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(9)
        for i in 0..<8 {
            if i == 4 { bytes.append(UInt8(ascii: "-")) }
            bytes.append(codeAlphabet[Int(rng.next(upperBound: UInt64(codeAlphabet.count)))])
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    public static func caseCode() -> String {
        var rng = KernelRandom()
        return caseCode(using: &rng)
    }

    /// 160 random bits as 32 lowercase base32 characters, safe in a URL path.
    public static func token() -> String {
        var rng = KernelRandom()
        let alphabet = Array("abcdefghijkmnpqrstuvwxyz23456789".utf8)
        return String(decoding: (0..<32).map { _ in alphabet[Int(rng.next(upperBound: UInt64(32)))] }, as: UTF8.self)
    }

    /// Whether `text` has the shape of a token (so a bad URL never reaches the database).
    public static func isToken(_ text: Substring) -> Bool {
        text.count == 32 && text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("2"..."9").contains($0) }
    }

    /// Normalizes what staff type: lowercase, full-width, missing hyphen.
    public static func normalizeCode(_ text: String) -> String {
        let compact = TextNormalizer.halfWidth(text).uppercased().filter { $0 != "-" && $0 != " " }
        guard compact.count == 8 else { return compact }
        return String(compact.prefix(4)) + "-" + String(compact.suffix(4))
    }
}

/// Random words from the kernel's generator (`getrandom`, the source of Swift's
/// `SystemRandomNumberGenerator` on Linux), fetched 256 bytes at a time: the system generator makes
/// one system call per 64 bits, which was 40 calls for the code and the token of every application.
struct KernelRandom: RandomNumberGenerator {
    private var words = [UInt64](repeating: 0, count: 32)
    private var used = 32

    mutating func next() -> UInt64 {
        if used == words.count {
            words.withUnsafeMutableBytes { buffer in
                var filled = 0
                while filled < buffer.count {
                    let n = kaitori_getrandom(buffer.baseAddress! + filled, UInt(buffer.count - filled))
                    if n < 0, errno == EINTR { continue }
                    // As SystemRandomNumberGenerator does: no randomness is not an error to go on from.
                    precondition(n > 0, "getrandom failed: errno \(errno)")
                    filled += n
                }
            }
            used = 0
        }
        defer { used += 1 }
        return words[used]
    }
}
