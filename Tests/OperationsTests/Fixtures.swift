import ArgumentParser
import Foundation
import KaitoriCLI
import KaitoriCore
import StoreTestSupport
import SettingsFile
import Testing

/// A throwaway shop folder (the sample shop.yml, an empty var/) with a store and helpers that move
/// cases to the status a test needs. The folder is removed with the fixture.
final class Shop {
    static let repoRoot: String = {
        // Resolved, so the tests also find the sample shop when built from a package that links this folder.
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    static let settings: Settings = {
        do { return try SettingsFile.require(site: repoRoot) } catch { fatalError("sample shop.yml: \(error)") }
    }()

    static let staff = Actor.staff("tester")
    /// What the argument parser reports for a usage error (interfaces.md documents 2; the thin
    /// main decides what the process exits with).
    static let usage = ExitCode.validationFailure.rawValue

    let site: String
    let store: CaseStore
    var settings: Settings { Shop.settings }

    /// - Parameter clock: fixed by default; CLI tests use the system clock so that links the
    ///   store opens are still valid when the CLI (on the system clock) looks at them.
    /// - Parameter backend: the store's engine; on PostgreSQL a new database, named in the copy of
    ///   shop.yml too, so the CLI run by a test opens the same store.
    init(_ backend: StoreBackend = .sqlite, clock: any Clock = FixedClock(1_790_000_000)) throws {
        site = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-ops-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: site, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Shop.repoRoot + "/shop.yml", toPath: site + "/shop.yml")
        // The seal image shop.yml names (documents.seal_image).
        try FileManager.default.createDirectory(atPath: site + "/site-templates", withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Shop.repoRoot + "/site-templates/documents", toPath: site + "/site-templates/documents")
        let setting = try backend.freshStoreSetting()
        if setting != .sqlite {
            let yml = try String(contentsOfFile: site + "/shop.yml", encoding: .utf8) + StoreBackend.shopYAML(setting)
            try yml.write(toFile: site + "/shop.yml", atomically: true, encoding: .utf8)
        }
        store = try CaseStore.open(site: site, store: setting, clock: clock, pages: nil)
    }

    deinit { try? FileManager.default.removeItem(atPath: site) }

    static func application(name: String = "山田 太郎", kana: String = "ヤマダ タロウ", phone: String = "09012345678") -> Application {
        Application(
            customer: Customer(name: name, kana: kana, birthDate: "1985-04-12", occupation: "会社員", postalCode: "330-0063",
                               prefecture: "埼玉県", address: "さいたま市浦和区高砂1-2-3", building: "", phone: phone,
                               email: "taro@example.jp", contact: .email),
            payout: Payout(method: "bank_transfer", bankCode: "0005", branchCode: "123", accountType: 1,
                           accountNumber: "1234567", accountHolder: "ヤマダ タロウ"),
            items: [DeclaredItem(category: "game", description: "Nintendo Switch 本体", quantity: 1)],
            submissionID: UUID().uuidString)
    }

    func confirmedCase(name: String = "山田 太郎", kana: String = "ヤマダ タロウ", phone: String = "09012345678") throws -> Case {
        let (c, _) = try store.create(Shop.application(name: name, kana: kana, phone: phone), settings: settings)
        return try store.confirm(code: c.code, by: Shop.staff, settings: settings)
    }

    func arrivedCase() throws -> Case {
        try store.arrive(code: try confirmedCase().code, by: Shop.staff, settings: settings)
    }

    /// An assessing case with two items: Switch 10,000円 ×1 and Joy-Con 3,000円 ×2.
    func assessingCase() throws -> Case {
        let c = try arrivedCase()
        _ = try store.addItem(code: c.code, ItemDraft([.name: "Nintendo Switch 本体", .quantity: "1", .unitPrice: "10000", .grade: "2",
                                                      .jan: "4902370542912"]), by: Shop.staff)
        let (record, _) = try store.addItem(code: c.code, ItemDraft([.name: "Joy-Con (L)/(R)", .quantity: "2", .unitPrice: "3000"]), by: Shop.staff)
        return record
    }

    func assessedCase() throws -> Case {
        try store.assess(code: try assessingCase().code, by: Shop.staff, settings: settings)
    }

    /// The customer sold the Switch, declined the Joy-Con, uploaded an ID and signed: approved.
    /// - Parameter signaturePNG: a drawn signature stored as a file; nil for a typed name.
    func approvedCase(declineSecond: Bool = true, signaturePNG: [UInt8]? = nil) throws -> Case {
        let assessed = try assessedCase()
        let declined = declineSecond ? [assessed.items[1].id] : []
        let (_, outcome) = try store.decide(token: assessed.reviewToken!, decision: declineSecond ? .part : .all,
                                            declined: declined, settings: settings)
        guard case .continueToID(let kyc) = outcome else { fatalError("expected the ID step") }
        var files: [(kind: String, path: String, contentType: String, size: Int64)] = []
        let uploads = site + "/var/uploads"
        try FileManager.default.createDirectory(atPath: uploads, withIntermediateDirectories: true)
        let front = uploads + "/\(assessed.code)-front.jpg"
        let jpeg: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4]
        try #require(FileManager.default.createFile(atPath: front, contents: Data(jpeg)))
        files.append((kind: "id_front", path: "var/uploads/\(assessed.code)-front.jpg", contentType: "image/jpeg", size: Int64(jpeg.count)))
        if let signaturePNG {
            let path = uploads + "/\(assessed.code)-signature.png"
            try #require(FileManager.default.createFile(atPath: path, contents: Data(signaturePNG)))
            files.append((kind: "signature", path: path, contentType: "image/png", size: Int64(signaturePNG.count)))
        }
        let submission = IDSubmission(idType: "drivers_license", name: "山田 太郎", address: "埼玉県さいたま市浦和区高砂1-2-3",
                                      birthDate: "1985-04-12", files: files, signatureName: signaturePNG == nil ? "山田 太郎" : nil)
        return try store.submitID(token: kyc, submission, settings: settings)
    }

    func purchasedCase() throws -> Case {
        let approved = try approvedCase()
        _ = try store.verifyID(code: approved.code, addressCheck: "本人限定受取郵便 1234-5678-9012", by: Shop.staff)
        return try store.purchase(code: approved.code, by: Shop.staff, settings: settings)
    }

    func canceledCase() throws -> Case {
        let assessed = try assessedCase()
        _ = try store.decide(token: assessed.reviewToken!, decision: .cancel, declined: [], settings: settings)
        return try store.load(code: assessed.code)
    }

    func outbox(_ record: Case, event: String) throws -> [String] {
        try store.db.query("SELECT body FROM outbox WHERE case_id = ? AND event = ? ORDER BY id", [.int(record.id), .text(event)]).map { $0.string("body") }
    }

    /// A stored file's bytes where the store keeps them: a file (SQLite stores) or the database
    /// (`db:ID`, PostgreSQL stores); nil when gone.
    func storedBytes(_ path: String) -> [UInt8]? {
        if path.hasPrefix("db:"), let id = Int64(path.dropFirst(3)) {
            return (try? store.db.query("SELECT bytes FROM stored_file_data WHERE file_id = ?", [.int(id)]))?.first?.bytes("bytes")
        }
        return FileManager.default.contents(atPath: CaseStore.resolvedPath(path, site: site)).map { [UInt8]($0) }
    }

    func isStored(_ path: String) -> Bool { storedBytes(path) != nil }

    func memos(_ record: Case) throws -> [String] {
        try store.memos(caseID: record.id).map(\.text)
    }

    /// Runs `kaitori ARGS --site SITE --staff tester` as the executable would and returns the exit
    /// status (0 done, 1 refused, 2 usage).
    @discardableResult
    func kaitori(_ args: String...) -> Int32 {
        do {
            var command = try Kaitori.parseAsRoot(args + ["--site", site, "--staff", "tester"])
            try command.run()
            return 0
        } catch {
            return Kaitori.exitCode(for: error).rawValue
        }
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}
