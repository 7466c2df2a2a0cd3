#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import CSodium

/// ID images and signatures at rest: each file is sealed with the shop's public key
/// (libsodium `crypto_box_seal`: an anonymous sender, X25519 + XSalsa20-Poly1305), so the customer
/// handler, which only ever holds the public key, can write them but never read them back. The
/// private key that opens them lives outside the shop folder (`keys.private_key`).
///
/// A sealed file is `KAITORI-SEALED 1 <key id>\n` followed by the libsodium box. The key id (the
/// first 16 hex digits of the public key) says which key of the ring opens it, so a rotation can
/// proceed file by file.
public enum SealedFile {
    static let magic = "KAITORI-SEALED 1 "

    public enum Problem: Error, Equatable, CustomStringConvertible {
        case unavailable(String)
        case notSealed
        case unknownKey(String)
        case damaged
        public var description: String {
            switch self {
            case .unavailable(let why): why
            case .notSealed: "not a sealed file"
            case .unknownKey(let id): "sealed with key \(id), which is not in the private key file (was it removed before a rotation finished?)"
            case .damaged: "the sealed file does not open with its key (damaged or altered)"
            }
        }
    }

    static func ready() throws {
        guard sodium_init() >= 0 else { throw Problem.unavailable("libsodium could not be initialized") }
    }

    /// The file content for `plain` sealed with `key`.
    public static func seal(_ plain: [UInt8], with key: PublicKey) throws -> [UInt8] {
        try ready()
        var box = [UInt8](repeating: 0, count: plain.count + crypto_box_sealbytes())
        let status = plain.withUnsafeBufferPointer { p in
            key.bytes.withUnsafeBufferPointer { k in
                crypto_box_seal(&box, p.baseAddress ?? UnsafePointer(bitPattern: 1)!, UInt64(p.count), k.baseAddress!)
            }
        }
        guard status == 0 else { throw Problem.unavailable("crypto_box_seal failed") }
        return Array((magic + key.id + "\n").utf8) + box
    }

    /// The key id a sealed file names, or nil for a plain file.
    public static func keyID(of content: [UInt8]) -> String? {
        let prefix = Array(magic.utf8)
        guard content.count > prefix.count + 17, content.starts(with: prefix), content[prefix.count + 16] == 0x0A else { return nil }
        return String(decoding: content[prefix.count..<prefix.count + 16], as: UTF8.self)
    }

    /// The plain bytes of a sealed file, opened with the matching key of `ring`.
    public static func open(_ content: [UInt8], with ring: KeyRing) throws -> [UInt8] {
        guard let id = keyID(of: content) else { throw Problem.notSealed }
        guard let pair = ring.pairs.first(where: { $0.publicKey.id == id }) else { throw Problem.unknownKey(id) }
        try ready()
        let box = Array(content.dropFirst(magic.utf8.count + 17))
        guard box.count >= crypto_box_sealbytes() else { throw Problem.damaged }
        var plain = [UInt8](repeating: 0, count: box.count - crypto_box_sealbytes())
        let status = plain.withUnsafeMutableBufferPointer { out in
            box.withUnsafeBufferPointer { b in
                pair.publicKey.bytes.withUnsafeBufferPointer { pk in
                    pair.secretKey.withUnsafeBufferPointer { sk in
                        crypto_box_seal_open(out.baseAddress ?? UnsafeMutablePointer(bitPattern: 1)!, b.baseAddress!, UInt64(b.count),
                                             pk.baseAddress!, sk.baseAddress!)
                    }
                }
            }
        }
        guard status == 0 else { throw Problem.damaged }
        return plain
    }
}

/// A shop's public key (32 bytes), as published for the handler in `var/keys/public.key` (hex).
public struct PublicKey: Equatable, Sendable {
    public let bytes: [UInt8]
    public init?(bytes: [UInt8]) {
        guard bytes.count == crypto_box_publickeybytes() else { return nil }
        self.bytes = bytes
    }
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }
    public var hex: String { Hex.encode(bytes) }
    /// The first 16 hex digits: enough to tell a shop's keys apart, and not secret.
    public var id: String { String(hex.prefix(16)) }
}

/// A key pair; the private key file holds one per line, the current one first.
public struct KeyPair: Equatable, Sendable {
    public let publicKey: PublicKey
    public let secretKey: [UInt8]

    public static func generate() throws -> KeyPair {
        try SealedFile.ready()
        var pk = [UInt8](repeating: 0, count: crypto_box_publickeybytes())
        var sk = [UInt8](repeating: 0, count: crypto_box_secretkeybytes())
        guard crypto_box_keypair(&pk, &sk) == 0, let key = PublicKey(bytes: pk) else {
            throw SealedFile.Problem.unavailable("crypto_box_keypair failed")
        }
        return KeyPair(publicKey: key, secretKey: sk)
    }
}

/// The private key file: the current pair first, then older pairs kept while a rotation is not
/// finished. Lines are `<public hex> <secret hex>`.
public struct KeyRing: Equatable, Sendable {
    public var pairs: [KeyPair]
    public var current: KeyPair { pairs[0] }

    public init(pairs: [KeyPair]) { precondition(!pairs.isEmpty); self.pairs = pairs }

    public var text: String {
        "# Kaitori private key: opens the shop's ID images. Keep it secret, mode 0600, outside the shop folder.\n"
            + pairs.map { "\($0.publicKey.hex) \(Hex.encode($0.secretKey))" }.joined(separator: "\n") + "\n"
    }

    public static func parse(_ text: String) -> KeyRing? {
        var pairs: [KeyPair] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") && !line.allSatisfy({ $0 == " " }) {
            let parts = line.split(separator: " ")
            guard parts.count == 2, let pk = PublicKey(hex: String(parts[0])), let sk = Hex.decode(String(parts[1])),
                  sk.count == crypto_box_secretkeybytes() else { return nil }
            pairs.append(KeyPair(publicKey: pk, secretKey: sk))
        }
        return pairs.isEmpty ? nil : KeyRing(pairs: pairs)
    }
}

/// Lower-case hexadecimal, for keys in text files.
public enum Hex {
    public static func encode(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }

    public static func decode(_ text: String) -> [UInt8]? {
        let chars = Array(text.utf8)
        guard chars.count % 2 == 0 else { return nil }
        func value(_ c: UInt8) -> UInt8? {
            switch c {
            case 0x30...0x39: c - 0x30
            case 0x61...0x66: c - 0x61 + 10
            case 0x41...0x46: c - 0x41 + 10
            default: nil
            }
        }
        var out: [UInt8] = []
        var i = 0
        while i < chars.count {
            guard let hi = value(chars[i]), let lo = value(chars[i + 1]) else { return nil }
            out.append(hi << 4 | lo)
            i += 2
        }
        return out
    }
}

/// Where the keys are: the private key file (`keys.private_key`, outside the shop folder, mode
/// 0600) and the public key published for the handler (`var/keys/public.key`).
public enum KeyFiles {
    public static func publicKeyPath(site: String) -> String { site + "/var/keys/public.key" }

    /// A relative `keys.private_key` is relative to the shop folder.
    public static func resolve(_ path: String, site: String) -> String {
        normalize(path.hasPrefix("/") ? path : site + "/" + path)
    }

    /// Whether `path` is `folder` or inside it (lexically, after resolving `.` and `..`).
    public static func isInside(_ path: String, folder: String) -> Bool {
        let p = normalize(path), f = normalize(folder)
        return p == f || p.hasPrefix(f.hasSuffix("/") ? f : f + "/")
    }

    static func normalize(_ path: String) -> String {
        var parts: [Substring] = []
        for part in path.split(separator: "/") {
            if part == "." || part.isEmpty { continue }
            if part == ".." { if !parts.isEmpty { parts.removeLast() }; continue }
            parts.append(part)
        }
        return (path.hasPrefix("/") ? "/" : "") + parts.joined(separator: "/")
    }

    /// The published public key the handler seals with; nil when `kaitori keys init` has not run.
    public static func publishedKey(site: String) throws -> PublicKey? {
        guard let bytes = try FileIO.read(publicKeyPath(site: site)) else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).filter { !$0.isWhitespace }
        guard let key = PublicKey(hex: text) else {
            throw SealedFile.Problem.unavailable("\(publicKeyPath(site: site)) is not a public key; run `kaitori keys init` again")
        }
        return key
    }

    public static func publish(_ key: PublicKey, site: String) throws {
        try FileIO.makeFolder(site + "/var/keys")
        try FileIO.replace(publicKeyPath(site: site), with: Array((key.hex + "\n").utf8), mode: 0o644)
    }

    /// The private key ring at `path`. Refused when the file is readable by anyone but its owner.
    public static func readRing(_ path: String) throws -> KeyRing {
        guard let mode = FileIO.mode(path) else {
            throw SealedFile.Problem.unavailable("no private key at \(path); create one with `kaitori keys init`")
        }
        guard mode & 0o077 == 0 else {
            throw SealedFile.Problem.unavailable("\(path) has mode \(String(mode, radix: 8)); a private key must be 0600 (run `chmod 600 \(path)`)")
        }
        guard let bytes = try FileIO.read(path), let ring = KeyRing.parse(String(decoding: bytes, as: UTF8.self)) else {
            throw SealedFile.Problem.unavailable("\(path) is not a Kaitori private key file")
        }
        return ring
    }

    /// The shop's private key ring as `keys.private_key` names it; nil when the shop has none yet
    /// (no path set, or `kaitori keys init` not run). The CLI and the console read it this way.
    public static func shopRing(settings: Settings, site: String) throws -> KeyRing? {
        guard !settings.compliance.privateKeyPath.isEmpty else { return nil }
        let path = resolve(settings.compliance.privateKeyPath, site: site)
        guard FileIO.mode(path) != nil else { return nil }
        return try readRing(path)
    }

    public static func writeRing(_ ring: KeyRing, to path: String) throws {
        let parent = String(path[..<(path.lastIndex(of: "/") ?? path.startIndex)])
        if !parent.isEmpty { try FileIO.makeFolder(parent) }
        try FileIO.replace(path, with: Array(ring.text.utf8), mode: 0o600)
    }
}
