import Foundation
@testable import KaitoriCore
import SettingsFile
import Testing

/// A clock the test moves.
final class MovableClock: Clock, @unchecked Sendable {
    var seconds: Int64
    init(_ seconds: Int64) { self.seconds = seconds }
    func now() -> Int64 { seconds }
}

@Suite struct AuthCryptoTests {
    /// RFC 6238 Appendix B, SHA-1 rows (8 digits, the ASCII key "12345678901234567890").
    @Test func totpMatchesRFC6238Vectors() {
        let key = Array("12345678901234567890".utf8)
        let vectors: [(Int64, String)] = [
            (59, "94287082"), (1_111_111_109, "07081804"), (1_111_111_111, "14050471"),
            (1_234_567_890, "89005924"), (2_000_000_000, "69279037"), (20_000_000_000, "65353130"),
        ]
        for (time, expected) in vectors {
            #expect(TOTP.code(secret: key, at: time, digits: 8) == expected, "T=\(time)")
        }
        // The 6-digit code apps show is the last six digits of the same value.
        #expect(TOTP.code(secret: key, at: 59) == "287082")
    }

    @Test func totpAcceptsOneStepEitherSideOnly() {
        let key = StaffCrypto.randomBytes(20)
        let now: Int64 = 1_800_000_015
        for offset in [-30, 0, 30] as [Int64] {
            #expect(TOTP.matchingStep(TOTP.code(secret: key, at: now + offset), secret: key, at: now) == TOTP.step(at: now + offset))
        }
        for offset in [-60, 60] as [Int64] {
            let code = TOTP.code(secret: key, at: now + offset)
            // A code two steps away can collide with a current one by chance (1 in 10^6); skip that case.
            if (-1...1).allSatisfy({ TOTP.code(secret: key, at: now + $0 * 30) != code }) {
                #expect(TOTP.matchingStep(code, secret: key, at: now) == nil)
            }
        }
        #expect(TOTP.matchingStep("12345", secret: key, at: now) == nil)
        #expect(TOTP.matchingStep("abcdef", secret: key, at: now) == nil)
    }

    /// RFC 4648 §10 test vectors, without padding.
    @Test func base32MatchesRFC4648() {
        let vectors = [("", ""), ("f", "MY"), ("fo", "MZXQ"), ("foo", "MZXW6"), ("foob", "MZXW6YQ"),
                       ("fooba", "MZXW6YTB"), ("foobar", "MZXW6YTBOI")]
        for (plain, encoded) in vectors {
            #expect(StaffCrypto.base32(Array(plain.utf8)) == encoded)
            #expect(StaffCrypto.base32Decode(encoded) == Array(plain.utf8))
        }
        #expect(StaffCrypto.base32Decode("mzxw 6ytb oi==") == Array("foobar".utf8))
        #expect(StaffCrypto.base32Decode("MZXW1") == nil)
    }

    @Test func argon2idHashesVerifyAndDifferPerSalt() throws {
        let first = try StaffCrypto.hashPassword("correct horse battery")
        let second = try StaffCrypto.hashPassword("correct horse battery")
        #expect(first.hasPrefix("$argon2id$v=19$"))
        #expect(first != second)
        #expect(StaffCrypto.verifyPassword("correct horse battery", hash: first))
        #expect(StaffCrypto.verifyPassword("correct horse battery", hash: second))
        #expect(!StaffCrypto.verifyPassword("correct horse batterY", hash: first))
        #expect(!StaffCrypto.verifyPassword("", hash: first))
    }

    /// The dummy hash unknown names are checked against must cost what a real one costs.
    @Test func dummyHashUsesTodaysParameters() throws {
        let real = try StaffCrypto.hashPassword("whatever-password")
        let parameters = { (hash: String) in hash.split(separator: "$").prefix(3).joined(separator: "$") }
        #expect(parameters(real) == parameters(StaffCrypto.dummyHash))
    }

    @Test func passwordRules() {
        #expect(throws: StoreError.invalid("the password is empty")) { try StaffAccountRules.checkPassword("") }
        #expect(throws: StoreError.self) { try StaffAccountRules.checkPassword("123456789") }
        #expect(throws: Never.self) { try StaffAccountRules.checkPassword("1234567890") }
        #expect(throws: StoreError.self) { try StaffAccountRules.checkName("bad name") }
        #expect(throws: StoreError.self) { try StaffAccountRules.checkName("") }
        #expect(throws: Never.self) { try StaffAccountRules.checkName("鈴木") }
    }

    @Test func throttleDelayDoublesAfterFiveFailures() {
        #expect(StaffLoginThrottle.delay(afterFailures: 4) == 0)
        #expect(StaffLoginThrottle.delay(afterFailures: 5) == 30)
        #expect(StaffLoginThrottle.delay(afterFailures: 6) == 60)
        #expect(StaffLoginThrottle.delay(afterFailures: 7) == 120)
        #expect(StaffLoginThrottle.delay(afterFailures: 50) == StaffLoginThrottle.maximumDelay)
    }
}

@Suite struct AuthStoreTests {
    let console = Settings.Console()
    let start: Int64 = 1_800_000_000

    func store(_ clock: MovableClock) throws -> (CaseStore, String) {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("staff-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return (try CaseStore.open(site: dir, clock: clock, pages: nil), dir)
    }

    func token(_ result: StaffLoginResult) -> String? {
        if case .success(let token, _) = result { return token }
        return nil
    }

    @Test func loginOpensAHashedSessionThatIdleAndAbsoluteTimeoutsEnd() throws {
        let clock = MovableClock(start)
        let (store, dir) = try store(clock)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try store.addStaffAccount(name: "sato", role: .staff, password: "long enough 1")
        let session = try #require(token(try store.staffLogin(name: "sato", password: "long enough 1", otp: "", address: "a", settings: console)))
        #expect(session.count == 64)
        // Only the hash is stored.
        let stored = try store.db.query("SELECT token_hash FROM staff_sessions").map { $0.string("token_hash") }
        #expect(stored.count == 1 && stored[0] != session && !stored[0].isEmpty)

        // Idle: used every 29 minutes it lives on; 31 minutes unused ends it.
        clock.seconds += 29 * 60
        #expect(try store.staffSession(token: session, settings: console)?.user.name == "sato")
        clock.seconds += 31 * 60
        #expect(try store.staffSession(token: session, settings: console) == nil)
        #expect(try store.db.query("SELECT COUNT(*) AS n FROM staff_sessions").first?.int("n") == 0)

        // Absolute: kept busy, it still ends 12 hours after login.
        clock.seconds = start
        let busy = try #require(token(try store.staffLogin(name: "sato", password: "long enough 1", otp: "", address: "a", settings: console)))
        for _ in 0..<(12 * 60 / 20) {
            clock.seconds += 20 * 60
            #expect(try store.staffSession(token: busy, settings: console) != nil)
        }
        clock.seconds += 20 * 60
        #expect(try store.staffSession(token: busy, settings: console) == nil)
    }

    @Test func disablingOrChangingThePasswordEndsEverySession() throws {
        let clock = MovableClock(start)
        let (store, dir) = try store(clock)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try store.addStaffAccount(name: "owner", role: .owner, password: "owner password")
        try store.addStaffAccount(name: "sato", role: .staff, password: "long enough 1")
        let one = try #require(token(try store.staffLogin(name: "sato", password: "long enough 1", otp: "", address: "a", settings: console)))
        let two = try #require(token(try store.staffLogin(name: "sato", password: "long enough 1", otp: "", address: "b", settings: console)))
        try store.setStaffPassword(name: "sato", password: "another password")
        #expect(try store.staffSession(token: one, settings: console) == nil)
        #expect(try store.staffSession(token: two, settings: console) == nil)

        let three = try #require(token(try store.staffLogin(name: "sato", password: "another password", otp: "", address: "a", settings: console)))
        try store.disableStaffAccount(name: "sato")
        #expect(try store.staffSession(token: three, settings: console) == nil)
        #expect(try store.staffLogin(name: "sato", password: "another password", otp: "", address: "a", settings: console)
                == .refused(.wrongCredentials))
        // The last enabled owner stays.
        #expect(throws: StoreError.self) { try store.disableStaffAccount(name: "owner") }
        #expect(throws: StoreError.self) { try store.addStaffAccount(name: "owner", role: .staff, password: "owner password") }
    }

    @Test func fiveFailuresMakeTheNextTryWaitAndTheWaitDoubles() throws {
        let clock = MovableClock(start)
        let (store, dir) = try store(clock)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try store.addStaffAccount(name: "sato", role: .staff, password: "long enough 1")
        for _ in 0..<5 {
            #expect(try store.staffLogin(name: "sato", password: "wrong guess!", otp: "", address: "x", settings: console)
                    == .refused(.wrongCredentials))
        }
        // Even the right password waits now, from any address (the name is throttled).
        #expect(try store.staffLogin(name: "sato", password: "long enough 1", otp: "", address: "y", settings: console)
                == .refused(.throttled(retryAfter: 30)))
        clock.seconds += 31
        #expect(try store.staffLogin(name: "sato", password: "wrong again!", otp: "", address: "y", settings: console)
                == .refused(.wrongCredentials))
        #expect(try store.staffLogin(name: "sato", password: "long enough 1", otp: "", address: "y", settings: console)
                == .refused(.throttled(retryAfter: 60)))
        clock.seconds += 61
        #expect(token(try store.staffLogin(name: "sato", password: "long enough 1", otp: "", address: "y", settings: console)) != nil)

        // An address guessing many names is throttled too, and an unknown name answers like a wrong password.
        for index in 0..<5 {
            #expect(try store.staffLogin(name: "nobody\(index)", password: "whatever123", otp: "", address: "z", settings: console)
                    == .refused(.wrongCredentials))
        }
        if case .refused(.throttled) = try store.staffLogin(name: "sato", password: "long enough 1", otp: "", address: "z", settings: console) {
        } else {
            Issue.record("the sixth try from a guessing address was not throttled")
        }
    }

    @Test func totpIsRequiredOnceEnabledAndACodeWorksOnce() throws {
        let clock = MovableClock(start)
        let (store, dir) = try store(clock)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try store.addStaffAccount(name: "owner", role: .owner, password: "owner password")
        var strict = console
        strict.ownerTOTPRequired = true
        #expect(try store.staffLogin(name: "owner", password: "owner password", otp: "", address: "a", settings: strict)
                == .refused(.ownerNeedsTOTP))
        let secret = try store.enableStaffTOTP(name: "owner")
        #expect(try store.staffAccount(named: "owner").hasTOTP)
        #expect(try store.staffLogin(name: "owner", password: "owner password", otp: "", address: "a", settings: strict)
                == .refused(.wrongCredentials))
        let code = TOTP.code(secret: secret, at: clock.now())
        #expect(token(try store.staffLogin(name: "owner", password: "owner password", otp: code, address: "a", settings: strict)) != nil)
        // The same code again is a replay.
        #expect(try store.staffLogin(name: "owner", password: "owner password", otp: code, address: "a", settings: strict)
                == .refused(.wrongCredentials))
        clock.seconds += 30
        #expect(token(try store.staffLogin(name: "owner", password: "owner password", otp: TOTP.code(secret: secret, at: clock.now()),
                                           address: "a", settings: strict)) != nil)
    }
}

@Suite struct AuthSettingsTests {
    @Test func consoleSettingsHaveDefaultsAndAreChecked() throws {
        let sample = try String(contentsOfFile: StaffShop.repoRoot + "/shop.yml", encoding: .utf8)
        let (plain, _) = SettingsFile.parse(sample)
        #expect(plain?.console == Settings.Console(idleTimeoutMinutes: 30, absoluteTimeoutHours: 12, ownerTOTPRequired: false))

        let (strict, _) = SettingsFile.parse(sample + "\nconsole:\n  idle_timeout_minutes: 15\n  absolute_timeout_hours: 8\n  owner_totp_required: true\n")
        #expect(strict?.console == Settings.Console(idleTimeoutMinutes: 15, absoluteTimeoutHours: 8, ownerTOTPRequired: true))

        let (broken, problems) = SettingsFile.parse(sample + "\nconsole:\n  idle_timeout_minutes: 600\n  absolute_timeout_hours: 2\n  idle_minutes: 5\n")
        #expect(broken == nil)
        #expect(problems.contains { $0.key == "console.absolute_timeout_hours" })
        #expect(problems.contains { $0.key.contains("idle_minutes") })
    }
}
