/// Staff accounts, console sessions and login throttling: every rule and every line of SQL for
/// them, called alike by `kaitori staff` and by the console (`kaitori-staff`).
extension CaseStore {
    // MARK: Accounts

    /// Creates an account.
    ///
    /// - Throws: `StoreError.invalid` for a bad name or password or a name already taken.
    @discardableResult
    public func addStaffAccount(name: String, role: StaffRole, password: String) throws -> StaffAccount {
        try StaffAccountRules.checkName(name)
        try StaffAccountRules.checkPassword(password)
        let hash = try StaffCrypto.hashPassword(password)
        let now = clock.now()
        try db.transaction {
            guard try db.query("SELECT id FROM staff_accounts WHERE name = ?", [.text(name)]).isEmpty else {
                throw StoreError.invalid("a staff account named \(name) already exists")
            }
            try db.query("""
                INSERT INTO staff_accounts (name, role, password_hash, created_at, password_changed_at)
                VALUES (?, ?, ?, ?, ?)
                """, [.text(name), .text(role.rawValue), .text(hash), .int(now), .int(now)])
        }
        return try staffAccount(named: name)
    }

    /// Every account, enabled ones first, then by name.
    public func staffAccounts() throws -> [StaffAccount] {
        try db.query("""
            SELECT a.*, (SELECT COUNT(*) FROM staff_sessions s WHERE s.account_id = a.id) AS open_sessions
            FROM staff_accounts a ORDER BY a.disabled_at IS NOT NULL, a.name
            """).map(StaffAccount.init(row:))
    }

    /// - Throws: `StoreError.notFound` naming the account.
    public func staffAccount(named name: String) throws -> StaffAccount {
        guard let row = try db.query("""
            SELECT a.*, (SELECT COUNT(*) FROM staff_sessions s WHERE s.account_id = a.id) AS open_sessions
            FROM staff_accounts a WHERE a.name = ?
            """, [.text(name)]).first else {
            throw StoreError.notFound("no staff account named \(name)")
        }
        return StaffAccount(row: row)
    }

    /// Disables an account and ends all its sessions at once, in one transaction. The last
    /// enabled owner cannot be disabled (nobody could manage accounts any more).
    public func disableStaffAccount(name: String) throws {
        let now = clock.now()
        try db.transaction {
            let account = try staffAccount(named: name)
            guard !account.isDisabled else { throw StoreError.invalid("the staff account \(name) is already disabled") }
            if account.role == .owner {
                let owners = try db.query("SELECT COUNT(*) AS n FROM staff_accounts WHERE role = 'owner' AND disabled_at IS NULL")
                    .first?.int("n") ?? 0
                guard owners > 1 else {
                    throw StoreError.invalid("\(name) is the only enabled owner: add another owner before disabling this one")
                }
            }
            try db.query("UPDATE staff_accounts SET disabled_at = ? WHERE id = ?", [.int(now), .int(account.id)])
            try db.query("DELETE FROM staff_sessions WHERE account_id = ?", [.int(account.id)])
        }
    }

    /// Enables a disabled account again (its old sessions stay ended; it logs in afresh).
    public func enableStaffAccount(name: String) throws {
        try db.transaction {
            let account = try staffAccount(named: name)
            guard account.isDisabled else { throw StoreError.invalid("the staff account \(name) is not disabled") }
            try db.query("UPDATE staff_accounts SET disabled_at = NULL WHERE id = ?", [.int(account.id)])
        }
    }

    /// Sets a new password and ends every session of the account (whoever knew the old one is
    /// logged out).
    public func setStaffPassword(name: String, password: String) throws {
        try StaffAccountRules.checkPassword(password)
        let hash = try StaffCrypto.hashPassword(password)
        let now = clock.now()
        try db.transaction {
            let account = try staffAccount(named: name)
            try db.query("UPDATE staff_accounts SET password_hash = ?, password_changed_at = ? WHERE id = ?",
                         [.text(hash), .int(now), .int(account.id)])
            try db.query("DELETE FROM staff_sessions WHERE account_id = ?", [.int(account.id)])
            // The owner reset it: the account's own lock-out no longer applies.
            try db.query("DELETE FROM staff_login_failures WHERE kind = 'name' AND key = ?", [.text(Self.throttleKey(name))])
        }
    }

    /// Gives an account a new TOTP secret (replacing any earlier one) and ends its sessions.
    ///
    /// - Returns: the secret, to show once (as an `otpauth://` URI and in base32); it is kept
    ///   only in the case store, never in shop.yml.
    public func enableStaffTOTP(name: String) throws -> [UInt8] {
        let secret = StaffCrypto.randomBytes(TOTP.secretBytes)
        try db.transaction {
            let account = try staffAccount(named: name)
            try db.query("UPDATE staff_accounts SET totp_secret = ?, totp_last_step = NULL WHERE id = ?",
                         [.text(StaffCrypto.base32(secret)), .int(account.id)])
            try db.query("DELETE FROM staff_sessions WHERE account_id = ?", [.int(account.id)])
        }
        return secret
    }

    /// Removes an account's second factor.
    public func disableStaffTOTP(name: String) throws {
        try db.transaction {
            let account = try staffAccount(named: name)
            try db.query("UPDATE staff_accounts SET totp_secret = NULL, totp_last_step = NULL WHERE id = ?", [.int(account.id)])
        }
    }

    // MARK: Logging in

    /// Checks a login and, when it succeeds, opens a session.
    ///
    /// Throttling comes first and is recorded before the password is checked, so parallel
    /// guesses are counted too: a name or an address with `StaffLoginThrottle.freeFailures`
    /// failures must wait (doubling each further failure) before its next try is even looked
    /// at. An unknown name is verified against a dummy hash, and every refusal but throttling
    /// is the same `wrongCredentials`, so the answer never says whether the name exists.
    public func staffLogin(name: String, password: String, otp: String, address: String,
                           settings: Settings.Console) throws -> StaffLoginResult {
        let now = clock.now()
        let nameKey = Self.throttleKey(name), addressKey = Self.throttleKey(address.isEmpty ? "unknown" : address)
        let wait: Int64 = try db.transaction {
            try db.query("DELETE FROM staff_login_failures WHERE last_failure_at < ?", [.int(now - StaffLoginThrottle.forgetAfter)])
            var wait: Int64 = 0
            for (kind, key) in [("name", nameKey), ("address", addressKey)] {
                if let row = try db.query("SELECT failures, last_failure_at FROM staff_login_failures WHERE kind = ? AND key = ?",
                                          [.text(kind), .text(key)]).first {
                    let until = row.int("last_failure_at") + StaffLoginThrottle.delay(afterFailures: row.int("failures"))
                    wait = max(wait, until - now)
                }
            }
            guard wait <= 0 else { return wait }
            for (kind, key) in [("name", nameKey), ("address", addressKey)] {
                try db.query("""
                    INSERT INTO staff_login_failures (kind, key, failures, last_failure_at) VALUES (?, ?, 1, ?)
                    ON CONFLICT (kind, key) DO UPDATE SET failures = failures + 1, last_failure_at = excluded.last_failure_at
                    """, [.text(kind), .text(key), .int(now)])
            }
            return 0
        }
        if wait > 0 { return .refused(.throttled(retryAfter: wait)) }

        let row = try db.query("SELECT * FROM staff_accounts WHERE name = ?", [.text(name)]).first
        let passwordMatches = StaffCrypto.verifyPassword(password, hash: row?.string("password_hash") ?? StaffCrypto.dummyHash)
        guard let row, passwordMatches, row.optionalInt("disabled_at") == nil,
              password.utf8.count <= StaffAccountRules.maximumPasswordBytes,
              let role = StaffRole(rawValue: row.string("role")) else {
            return .refused(.wrongCredentials)
        }
        var usedStep: Int64?
        if let stored = row.optionalString("totp_secret") {
            guard let secret = StaffCrypto.base32Decode(stored),
                  let step = TOTP.matchingStep(otp, secret: secret, at: now),
                  step > (row.optionalInt("totp_last_step") ?? Int64.min) else {
                return .refused(.wrongCredentials)
            }
            usedStep = step
        } else if role == .owner, settings.ownerTOTPRequired {
            return .refused(.ownerNeedsTOTP)
        }

        let accountID = row.int("id")
        let token = StaffCrypto.hex(StaffCrypto.randomBytes(32))
        let csrf = StaffCrypto.hex(StaffCrypto.randomBytes(32))
        try db.transaction {
            // This try was counted as a failure up front; it was not one.
            try db.query("DELETE FROM staff_login_failures WHERE kind = 'name' AND key = ?", [.text(nameKey)])
            try db.query("""
                UPDATE staff_login_failures SET failures = failures - 1 WHERE kind = 'address' AND key = ? AND failures > 0
                """, [.text(addressKey)])
            try db.query("UPDATE staff_accounts SET last_login_at = ?, totp_last_step = COALESCE(?, totp_last_step) WHERE id = ?",
                         [.int(now), .of(usedStep), .int(accountID)])
            // Sessions that can no longer be used, of anyone, go while we are here.
            try db.query("DELETE FROM staff_sessions WHERE created_at < ? OR last_seen_at < ?",
                         [.int(now - settings.absoluteTimeoutSeconds), .int(now - settings.idleTimeoutSeconds)])
            try db.query("""
                INSERT INTO staff_sessions (token_hash, account_id, csrf_token, created_at, last_seen_at, address)
                VALUES (?, ?, ?, ?, ?, ?)
                """, [.text(Self.sessionHash(token)), .int(accountID), .text(csrf), .int(now), .int(now), .text(address)])
        }
        if StaffCrypto.needsRehash(row.string("password_hash")), let hash = try? StaffCrypto.hashPassword(password) {
            try db.query("UPDATE staff_accounts SET password_hash = ? WHERE id = ?", [.text(hash), .int(accountID)])
        }
        let user = StaffUser(id: accountID, name: row.string("name"), role: role)
        return .success(token: token, session: StaffSession(user: user, csrfToken: csrf, createdAt: now, lastSeenAt: now))
    }

    /// The session a cookie names, or `nil` when there is none, it has been idle or open too
    /// long, or its account is disabled. A dead session is deleted; a live one is marked used
    /// (at most once a minute, to spare the database a write per request).
    public func staffSession(token: String, settings: Settings.Console) throws -> StaffSession? {
        guard token.utf8.count == 64, token.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        let hash = Self.sessionHash(token)
        guard let row = try db.query("""
            SELECT s.id AS session_id, s.csrf_token, s.created_at AS session_created_at, s.last_seen_at,
                   a.id AS account_id, a.name, a.role, a.disabled_at
            FROM staff_sessions s JOIN staff_accounts a ON a.id = s.account_id WHERE s.token_hash = ?
            """, [.text(hash)]).first else { return nil }
        let now = clock.now()
        let created = row.int("session_created_at"), lastSeen = row.int("last_seen_at")
        guard row.optionalInt("disabled_at") == nil,
              now - lastSeen <= settings.idleTimeoutSeconds,
              now - created <= settings.absoluteTimeoutSeconds,
              let role = StaffRole(rawValue: row.string("role")) else {
            try db.query("DELETE FROM staff_sessions WHERE id = ?", [.int(row.int("session_id"))])
            return nil
        }
        if now - lastSeen >= 60 {
            try db.query("UPDATE staff_sessions SET last_seen_at = ? WHERE id = ?", [.int(now), .int(row.int("session_id"))])
        }
        return StaffSession(user: StaffUser(id: row.int("account_id"), name: row.string("name"), role: role),
                            csrfToken: row.string("csrf_token"), createdAt: created, lastSeenAt: max(lastSeen, now))
    }

    /// Ends the session a cookie names (logout). Unknown tokens are ignored.
    public func endStaffSession(token: String) throws {
        try db.query("DELETE FROM staff_sessions WHERE token_hash = ?", [.text(Self.sessionHash(token))])
    }

    /// What the session table keeps instead of the id: its SHA-256, so a copy of the database
    /// opens no session.
    static func sessionHash(_ token: String) -> String {
        StaffCrypto.hex(StaffCrypto.sha256(Array(token.utf8)))
    }

    /// Throttle rows are keyed by at most 64 characters of what was typed, so random names
    /// cannot grow the table without bound per row.
    static func throttleKey(_ text: String) -> String {
        String(text.prefix(64))
    }
}

/// An open console session.
public struct StaffSession: Equatable, Sendable {
    public let user: StaffUser
    /// The session's CSRF token: every form posts it back as `csrf_token`.
    public let csrfToken: String
    public let createdAt: Int64
    public let lastSeenAt: Int64
}

public enum StaffLoginResult: Equatable, Sendable {
    /// `token` goes into the session cookie; the store keeps only its hash.
    case success(token: String, session: StaffSession)
    case refused(StaffLoginRefusal)
}

public enum StaffLoginRefusal: Equatable, Sendable {
    /// Wrong name, password or code, or a disabled account: deliberately indistinguishable.
    case wrongCredentials
    /// Too many failures for this name or address; try again after this many seconds.
    case throttled(retryAfter: Int64)
    /// The password was right, but settings require owners to have a second factor.
    case ownerNeedsTOTP

    /// What the login page says (the staff console is Japanese).
    public var message: String {
        switch self {
        case .wrongCredentials:
            "ユーザー名、パスワード、または確認コードが正しくありません。"
        case .throttled(let seconds):
            "ログインの失敗が続いたため、しばらくログインできません。\(StaffLoginThrottle.describe(seconds))後にもう一度お試しください。"
        case .ownerNeedsTOTP:
            "オーナーのアカウントには2段階認証（確認コード）が必要です。`kaitori staff totp` で設定してからログインしてください。"
        }
    }
}

/// How failed logins slow down further tries.
public enum StaffLoginThrottle {
    /// Failures allowed for a name or an address before tries must wait.
    public static let freeFailures: Int64 = 5
    /// The wait after the `freeFailures`-th failure; it doubles with each further one.
    public static let baseDelay: Int64 = 30
    public static let maximumDelay: Int64 = 3600
    /// Failures older than this are forgotten.
    public static let forgetAfter: Int64 = 86_400

    /// Seconds to wait after the last failure, given the failures so far.
    public static func delay(afterFailures failures: Int64) -> Int64 {
        guard failures >= freeFailures else { return 0 }
        let doublings = min(failures - freeFailures, 20)
        return min(baseDelay << doublings, maximumDelay)
    }

    static func describe(_ seconds: Int64) -> String {
        seconds < 60 ? "\(max(seconds, 1))秒" : "\((seconds + 59) / 60)分"
    }
}

extension StaffAccount {
    init(row r: Row) {
        self.init(id: r.int("id"), name: r.string("name"), role: StaffRole(rawValue: r.string("role")) ?? .staff,
                  createdAt: r.int("created_at"), disabledAt: r.optionalInt("disabled_at"),
                  hasTOTP: r.optionalString("totp_secret") != nil, lastLoginAt: r.optionalInt("last_login_at"),
                  openSessions: Int(r.int("open_sessions")))
    }
}
