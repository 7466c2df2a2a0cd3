import CSodium

/// Who sent a customer post, for the limits of `Settings.Abuse`.
public struct Poster: Equatable, Sendable {
    /// The customer route: `apply`, `review`, `kyc`.
    public var route: String
    /// `REMOTE_ADDR` as the web server passed it (empty when unknown: no per-address limit).
    public var address: String

    public init(route: String, address: String) { self.route = route; self.address = address }

    /// What the per-address limit counts under: an IPv4 address as it is, an IPv6 address by its
    /// /64 network (one customer line gets a whole /64, and a client can pick any address in it).
    public var key: String {
        guard address.contains(":") else { return address }
        let groups = address.split(separator: ":", omittingEmptySubsequences: false)
        if address.contains("::") || groups.count < 4 { return address }
        return groups.prefix(4).joined(separator: ":") + "::/64"
    }
}

/// Why a customer post was refused by the spam and abuse limits. The handler answers the first
/// two with a polite 429 page and the last three softly (as if accepted; nothing is stored).
public enum AbuseRefusal: Error, Equatable, Sendable {
    /// More posts from this address to this route than the window allows.
    case tooManyPosts(retryAfter: Int64)
    /// The application's email address or phone number (`field`) reached its 24-hour cap.
    case dailyLimit(field: String)
    /// The final post came sooner after the confirmation page than the shop's minimum.
    case tooFast(seconds: Int64)
    /// The final post carried no confirmation-page signature, or a forged one.
    case unsigned
    /// The hidden honeypot field was filled.
    case honeypot

    /// The line the shop's feed shows for it (staff read it; `retryAfter` aside).
    func feedDetail(_ poster: Poster, limits: Settings.Abuse) -> String {
        let route = ["apply": "申込フォーム", "review": "査定回答", "kyc": "本人確認フォーム"][poster.route] ?? poster.route
        let from = poster.address.isEmpty ? "" : "\(poster.key) から"
        switch self {
        case .tooManyPosts:
            return "送信回数の上限：\(from)\(route)へ\(limits.windowSeconds / 60)分間に\(limits.postsPerWindow)回を超える送信を断りました（この時間帯の以後の分は記録しません）"
        case .dailyLimit(let field):
            let what = field == "email" ? "メールアドレス" : "電話番号"
            return "申込件数の上限：同じ\(what)の24時間以内の申込が上限に達したため、\(from)の申込を断りました"
        case .tooFast(let seconds):
            return "送信が速すぎます：\(from)確認画面から\(seconds)秒で送信（最短\(limits.minimumConfirmSeconds)秒）、登録しませんでした"
        case .unsigned:
            return "確認画面の署名がない・不正な申込：\(from)の送信を登録しませんでした"
        case .honeypot:
            return "ボット対策の隠し項目に入力あり：\(from)の送信を登録しませんでした"
        }
    }
}

/// The spam and abuse limits (docs/security.md, "Spam and abuse"), kept in the store: posts per
/// address and route in a fixed window (`post_counts`), applications per email and phone in 24
/// hours (counted from `customers`), and the secret signing the confirmation page. Every refusal
/// is an entry in the shop's feed (kind `refused`); a flood of over-limit posts is one entry per
/// address, route and window.
extension CaseStore {
    /// Posts from one address to one route in the current window, this one included.
    struct PostCount {
        var count: Int64
        var windowStart: Int64
    }

    /// Counts one post from `poster` in the caller's transaction (one upsert that returns the new
    /// count). - Returns: nil when the limit is off or the address unknown.
    func countPost(_ poster: Poster, limits: Settings.Abuse, now: Int64) throws -> PostCount? {
        guard limits.postsPerWindow > 0, !poster.address.isEmpty else { return nil }
        let window = Int64(limits.windowSeconds)
        return try db.query("""
            INSERT INTO post_counts (route, address, window_start, count) VALUES (?, ?, ?, 1)
            ON CONFLICT (route, address) DO UPDATE SET
                count = CASE WHEN excluded.window_start - post_counts.window_start >= ? THEN 1 ELSE post_counts.count + 1 END,
                window_start = CASE WHEN excluded.window_start - post_counts.window_start >= ? THEN excluded.window_start
                                    ELSE post_counts.window_start END
            RETURNING count, window_start
            """, [.text(poster.route), .text(poster.key), .int(now), .int(window), .int(window)])
            .first.map { PostCount(count: $0.int("count"), windowStart: $0.int("window_start")) }
    }

    /// Whether the counted posts are over the limit; the refusal says when the window ends.
    private func overLimit(_ counted: PostCount?, limits: Settings.Abuse, now: Int64) -> AbuseRefusal? {
        guard let counted, counted.count > Int64(limits.postsPerWindow) else { return nil }
        return .tooManyPosts(retryAfter: max(1, counted.windowStart + Int64(limits.windowSeconds) - now))
    }

    /// Counts a post that changes nothing by itself (a confirmation step, a review answer, an ID
    /// form) in a transaction of its own.
    /// - Throws: `AbuseRefusal.tooManyPosts` once the address is over the limit (the first such
    ///   post of a window is put in the feed).
    public func admit(_ poster: Poster, settings: Settings) throws {
        let limits = settings.abuse
        guard limits.postsPerWindow > 0, !poster.address.isEmpty else { return }
        let now = clock.now()
        let refusal: AbuseRefusal? = try db.transaction {
            let counted = try countPost(poster, limits: limits, now: now)
            guard let refusal = overLimit(counted, limits: limits, now: now) else { return nil }
            if counted?.count == Int64(limits.postsPerWindow) + 1 {
                try addEvent(caseID: nil, kind: "refused", detail: refusal.feedDetail(poster, limits: limits), at: now)
            }
            return refusal
        }
        if let refusal { throw refusal }
    }

    /// In `create`'s transaction: counts the post and checks the daily caps, so an accepted
    /// application costs no transaction of its own. A throw rolls the application back; the
    /// handler then calls `refuse` to count and record it.
    func screen(_ app: Application, poster: Poster, settings: Settings, now: Int64) throws {
        let limits = settings.abuse
        if let refusal = overLimit(try countPost(poster, limits: limits, now: now), limits: limits, now: now) {
            throw refusal
        }
        let since = now - 24 * 3600
        let caps: [(field: String, column: String, value: String, cap: Int)] = [
            ("email", "email", app.customer.email, limits.applicationsPerEmailPerDay),
            ("phone", "phone", app.customer.phone, limits.applicationsPerPhonePerDay),
        ]
        for cap in caps where cap.cap > 0 && !cap.value.isEmpty {
            let n = try db.query("""
                SELECT COUNT(*) AS n FROM customers cu JOIN cases c ON c.id = cu.case_id
                WHERE cu.\(cap.column) = ? AND c.created_at >= ? AND c.parent_id IS NULL
                """, [.text(cap.value), .int(since)]).first?.int("n") ?? 0
            if n >= Int64(cap.cap) { throw AbuseRefusal.dailyLimit(field: cap.field) }
        }
    }

    /// Counts a refused post and puts the refusal in the shop's feed, in a transaction of its own.
    /// - Returns: `.tooManyPosts` when the address is over the limit as well (the customer then
    ///   gets the 429 page whatever the first refusal was), else `refusal`.
    @discardableResult
    public func refuse(_ refusal: AbuseRefusal, poster: Poster, settings: Settings) throws -> AbuseRefusal {
        let limits = settings.abuse
        let now = clock.now()
        return try db.transaction {
            let counted = try countPost(poster, limits: limits, now: now)
            if let over = overLimit(counted, limits: limits, now: now) {
                if counted?.count == Int64(limits.postsPerWindow) + 1 {
                    try addEvent(caseID: nil, kind: "refused", detail: over.feedDetail(poster, limits: limits), at: now)
                }
                return over
            }
            try addEvent(caseID: nil, kind: "refused", detail: refusal.feedDetail(poster, limits: limits), at: now)
            return refusal
        }
    }

    /// The secret (32 bytes) signing the application's confirmation page, made once by the
    /// migration; it lives in the store under `var/`, never under `public/`.
    public func confirmPageSecret() throws -> [UInt8] {
        let hex = try db.query("SELECT value FROM shop_secrets WHERE name = 'confirm_page'").first?.string("value") ?? ""
        var bytes: [UInt8] = []
        var high: UInt8? = nil
        for c in hex.utf8 {
            let v: UInt8
            switch c {
            case 0x30...0x39: v = c - 0x30
            case 0x61...0x66: v = c - 0x61 + 10
            default: throw StoreError.failed("the confirmation page secret is damaged")
            }
            if let h = high { bytes.append(h << 4 | v); high = nil } else { high = v }
        }
        guard bytes.count == 32 else { throw StoreError.failed("the confirmation page secret is missing") }
        return bytes
    }
}

/// The confirmation page's signed timestamp (`form_token`): `<unix time>.<HMAC-SHA-256 hex>`,
/// keyed by `CaseStore.confirmPageSecret`. The final post of an application must carry one at
/// least `minimumConfirmSeconds` old and at most a day old when the shop sets the minimum.
public enum ConfirmToken {
    public enum Check: Equatable, Sendable {
        case valid(age: Int64)
        /// Signed by this shop, but older than `Settings.Abuse.confirmTokenLifetime`.
        case expired
        /// Missing, malformed, from the future or not signed with this shop's secret.
        case invalid
    }

    public static func make(secret: [UInt8], at time: Int64) -> String {
        "\(time)." + hex(mac(secret: secret, time: time))
    }

    public static func check(_ token: String, secret: [UInt8], now: Int64) -> Check {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].utf8.count <= 12, let time = Int64(parts[0]), time <= now + 60,
              parts[1].utf8.count == 64 else { return .invalid }
        let expected = mac(secret: secret, time: time)
        let given = Array(parts[1].utf8)
        // Constant time: compare the hex forms byte by byte without an early exit.
        guard sodium_memcmp(given, Array(hex(expected).utf8), 64) == 0 else { return .invalid }
        if now - time > Settings.Abuse.confirmTokenLifetime { return .expired }
        return .valid(age: max(0, now - time))
    }

    static func mac(secret: [UInt8], time: Int64) -> [UInt8] {
        let message = Array("kaitori apply confirm \(time)".utf8)
        var out = [UInt8](repeating: 0, count: Int(crypto_auth_hmacsha256_BYTES))
        _ = sodium_init()
        _ = crypto_auth_hmacsha256(&out, message, UInt64(message.count), secret)
        return out
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count * 2)
        for b in bytes { out.append(digits[Int(b >> 4)]); out.append(digits[Int(b & 15)]) }
        return String(decoding: out, as: UTF8.self)
    }
}
