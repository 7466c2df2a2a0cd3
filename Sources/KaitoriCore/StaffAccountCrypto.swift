import CSodium

/// The cryptography staff accounts need, all from libsodium: Argon2id password hashes
/// (`crypto_pwhash_str`), random bytes (`randombytes_buf`), SHA-256 (`crypto_hash_sha256`) and a
/// constant-time comparison. Nothing here is hand-written cryptography; only the hex and base32
/// spellings of bytes are ours.
public enum StaffCrypto {
    /// `sodium_init` once per process; it is safe to call again.
    static func ready() throws {
        guard sodium_init() >= 0 else { throw StoreError.failed("libsodium could not be initialised") }
    }

    /// An Argon2id hash in libsodium's string form (`$argon2id$v=19$m=65536,t=2,p=1$salt$hash`),
    /// with a fresh random salt and libsodium's "interactive" limits.
    public static func hashPassword(_ password: String) throws -> String {
        try ready()
        var out = [CChar](repeating: 0, count: Int(crypto_pwhash_strbytes()))
        let bytes = Array(password.utf8)
        let rc = bytes.withUnsafeBufferPointer { pw in
            pw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(pw.count, 1)) { pointer in
                crypto_pwhash_str_alg(&out, pointer, UInt64(pw.count), UInt64(crypto_pwhash_opslimit_interactive()),
                                      crypto_pwhash_memlimit_interactive(), crypto_pwhash_alg_argon2id13())
            }
        }
        guard rc == 0 else { throw StoreError.failed("hashing the password failed (out of memory?)") }
        return String(cString: out)
    }

    /// Whether `password` matches a hash made by `hashPassword`.
    public static func verifyPassword(_ password: String, hash: String) -> Bool {
        guard (try? ready()) != nil else { return false }
        let bytes = Array(password.utf8)
        return bytes.withUnsafeBufferPointer { pw in
            pw.baseAddress!.withMemoryRebound(to: CChar.self, capacity: max(pw.count, 1)) { pointer in
                crypto_pwhash_str_verify(hash, pointer, UInt64(pw.count)) == 0
            }
        }
    }

    /// A hash of a random, forgotten password with today's parameters, verified against for names
    /// that do not exist (or accounts that are disabled) so that a wrong name costs as long as a
    /// wrong password. `AuthCryptoTests` checks that it still uses `hashPassword`'s parameters.
    static let dummyHash = "$argon2id$v=19$m=65536,t=2,p=1$sUsfcY3p4/dX69UKVThe/g$/F5ErXuUkaK3gGg9gFLiAqlC7tTcsEwBZrFrWAayBJM"

    /// Whether a stored hash was made with weaker parameters than today's (rehash on next login).
    static func needsRehash(_ hash: String) -> Bool {
        crypto_pwhash_str_needs_rehash(hash, UInt64(crypto_pwhash_opslimit_interactive()), crypto_pwhash_memlimit_interactive()) != 0
    }

    /// `count` bytes from the system's random source.
    public static func randomBytes(_ count: Int) -> [UInt8] {
        _ = try? ready()
        var bytes = [UInt8](repeating: 0, count: count)
        bytes.withUnsafeMutableBytes { randombytes_buf($0.baseAddress!, count) }
        return bytes
    }

    public static func sha256(_ bytes: [UInt8]) -> [UInt8] {
        _ = try? ready()
        var out = [UInt8](repeating: 0, count: Int(crypto_hash_sha256_bytes()))
        _ = crypto_hash_sha256(&out, bytes, UInt64(bytes.count))
        return out
    }

    /// Equal lengths and equal bytes, in time independent of where they differ.
    public static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count, !x.isEmpty else { return false }
        return sodium_memcmp(x, y, x.count) == 0
    }

    public static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// RFC 4648 base32 without padding, as authenticator apps expect TOTP secrets.
    public static func base32(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for byte in bytes {
            buffer = (buffer << 8) | Int(byte)
            bits += 8
            while bits >= 5 {
                out.append(alphabet[(buffer >> (bits - 5)) & 31])
                bits -= 5
            }
        }
        if bits > 0 { out.append(alphabet[(buffer << (5 - bits)) & 31]) }
        return String(decoding: out, as: UTF8.self)
    }

    /// The inverse of `base32`; spaces and case are ignored, padding is allowed. `nil` for any
    /// other character.
    public static func base32Decode(_ text: String) -> [UInt8]? {
        var out: [UInt8] = []
        var buffer = 0, bits = 0
        for scalar in text.uppercased().unicodeScalars where scalar != " " && scalar != "=" {
            let value: Int
            switch scalar {
            case "A"..."Z": value = Int(scalar.value) - 65
            case "2"..."7": value = Int(scalar.value) - 50 + 26
            default: return nil
            }
            buffer = (buffer << 5) | value
            bits += 5
            if bits >= 8 {
                out.append(UInt8((buffer >> (bits - 8)) & 0xFF))
                bits -= 8
            }
            buffer &= (1 << bits) - 1
        }
        return out
    }
}
