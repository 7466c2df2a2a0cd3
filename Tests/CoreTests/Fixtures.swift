import Foundation
import KaitoriCore
import SettingsFile
import StoreTestSupport

/// Shared test fixtures: the sample shop's settings and throwaway stores.
enum Fixtures {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let settings: Settings = {
        do { return try SettingsFile.require(site: repoRoot) } catch { fatalError("sample shop.yml: \(error)") }
    }()

    static func tempDir() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-core-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A new, empty store on `backend` (SQLite under a new folder, or a new PostgreSQL database).
    static func store(_ backend: StoreBackend, clock: any Clock = FixedClock(1_790_000_000)) throws -> CaseStore {
        try backend.openStore(site: tempDir(), clock: clock)
    }

    static func form(_ overrides: [String: String] = [:]) -> FormValues {
        var base: [(String, String)] = [
            ("name", "山田 太郎"), ("kana", "やまだ たろう"), ("birth_date", "１９８５-０４-１２"), ("occupation", "会社員"),
            ("postal_code", "３３０ー００６３"), ("prefecture", "埼玉県"), ("address", "さいたま市浦和区高砂1-2-3"),
            ("building", ""), ("phone", "090-1234-5678"), ("email", "taro@example.jp"), ("contact", "email"),
            ("payout", "bank_transfer"), ("bank_code", "0005"), ("branch_code", "123"), ("account_type", "1"),
            ("account_number", "1234567"), ("account_holder", "ﾔﾏﾀﾞ ﾀﾛｳ"),
            ("item_category", "game"), ("item_description", "Nintendo Switch 本体"), ("item_quantity", "1"),
            ("item_category", "camera"), ("item_description", "Canon EOS R6 ボディ"), ("item_quantity", "2"),
            ("boxes", "1"), ("kit", "no"), ("notes", ""), ("agree", "on"), ("submission_id", UUID().uuidString),
        ]
        for (k, v) in overrides {
            if let i = base.firstIndex(where: { $0.0 == k }) { base[i].1 = v } else { base.append((k, v)) }
        }
        return FormValues(base)
    }

    static var today: CivilDate { CivilDate(unixTime: 1_790_000_000) }

    static func application(_ overrides: [String: String] = [:]) throws -> Application {
        try ApplicationValidator(settings: settings, today: today).validate(form(overrides)).get()
    }

    /// A case moved to `assessed` with two items (10,000円 ×1 and 3,000円 ×2).
    static func assessedCase(_ store: CaseStore) throws -> Case {
        let (c, _) = try store.create(try application(), settings: settings)
        _ = try store.confirm(code: c.code, by: .staff("tester"), settings: settings)
        _ = try store.arrive(code: c.code, by: .staff("tester"), settings: settings)
        _ = try store.startAssessment(code: c.code, by: .staff("tester"))
        try store.db.query("INSERT INTO items (case_id, position, name, quantity, unit_price, grade) VALUES (?,1,'Nintendo Switch 本体',1,10000,2)", [.int(c.id)])
        try store.db.query("INSERT INTO items (case_id, position, name, quantity, unit_price, grade) VALUES (?,2,'Joy-Con (L)/(R)',2,3000,3)", [.int(c.id)])
        return try store.assess(code: c.code, by: .staff("tester"), settings: settings)
    }
}
