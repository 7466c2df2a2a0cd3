import Foundation
import KaitoriCore
import SettingsFile

/// The sample shop (the repository root) and throwaway stores for the messaging tests.
enum TestShop {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("tests-support/smtp_server.py").path) { return url.path }
        }
        fatalError("tests-support/smtp_server.py not found above \(#filePath)")
    }()

    static let shopYAML: String = {
        do { return try String(contentsOfFile: repoRoot + "/shop.yml", encoding: .utf8) } catch { fatalError("shop.yml: \(error)") }
    }()

    static let settings: Settings = {
        let (settings, problems) = SettingsFile.parse(shopYAML)
        guard let settings else { fatalError("sample shop.yml: \(problems)") }
        return settings
    }()

    static func tempDir() -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-msg-\(UUID().uuidString)").path
        try! FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        return dir
    }

    /// A new shop folder with an empty store.
    static func store(clock: any Clock) throws -> (CaseStore, site: String) {
        let site = tempDir()
        return (try CaseStore.open(site: site, clock: clock, pages: nil), site)
    }

    /// Settings whose only templates are `messages` (the sample's ones otherwise queue several
    /// messages per case).
    static func settings(messages: [String: Settings.MessageTemplate], shopNotify: String = "") -> Settings {
        var s = settings
        s.messages = MessageTemplates(messages)
        s.delivery.shopNotifyEmail = shopNotify
        return s
    }

    static func application(email: String = "taro@example.jp", phone: String = "090-1234-5678",
                            contact: ContactChannel? = .email) -> Application {
        let customer = Customer(name: "山田 太郎", kana: "ヤマダ タロウ", birthDate: "1985-04-12", occupation: "会社員",
                                postalCode: "330-0063", prefecture: "埼玉県", address: "さいたま市浦和区高砂1-2-3",
                                phone: phone, email: email, contact: contact)
        return Application(customer: customer, payout: Payout(method: "cash_registered"),
                           items: [DeclaredItem(category: "game", description: "Nintendo Switch 本体", quantity: 1)])
    }

    /// Creates a case, which queues the `application_received` message of `settings`.
    @discardableResult
    static func createCase(_ store: CaseStore, settings: Settings, email: String = "taro@example.jp",
                           phone: String = "090-1234-5678", contact: ContactChannel? = .email) throws -> Case {
        try store.create(application(email: email, phone: phone, contact: contact), settings: settings).0
    }

    static func outbox(_ store: CaseStore) throws -> [Row] {
        try store.db.query("SELECT * FROM outbox ORDER BY id")
    }

    static func feed(_ store: CaseStore, kind: String) throws -> [String] {
        try store.db.query("SELECT detail FROM events WHERE kind = ? ORDER BY id", [.text(kind)]).map { $0.string("detail") }
    }
}
