import Foundation
import KaitoriCore
import StoreTestSupport
import SettingsFile
import Testing

/// A clock the test moves, so one shop can hold cases of many ages.
final class MovingClock: Clock, @unchecked Sendable {
    var seconds: Int64
    init(_ seconds: Int64) { self.seconds = seconds }
    func now() -> Int64 { seconds }
}

extension Shop {
    /// An approved case whose one accepted item has `price` and `category`.
    func approved(price: Int, category: String = "", declared: String = "game", withImage: Bool = true,
                  name: String = "山田 太郎", phone: String = "09012345678", email: String = "taro@example.jp") throws -> Case {
        var app = Shop.application(name: name, phone: phone)
        app.customer.email = email
        app.items = [DeclaredItem(category: declared, description: "品物", quantity: 1)]
        let (created, _) = try store.create(app, settings: settings)
        _ = try store.confirm(code: created.code, by: Shop.staff, settings: settings)
        _ = try store.arrive(code: created.code, by: Shop.staff, settings: settings)
        _ = try store.addItem(code: created.code, ItemDraft([.name: "品物", .quantity: "1", .unitPrice: String(price), .category: category]), by: Shop.staff)
        let assessed = try store.assess(code: created.code, by: Shop.staff, settings: settings)
        guard case .continueToID(let kyc) = try store.decide(token: assessed.reviewToken!, decision: .all, declined: [], settings: settings).1 else {
            fatalError("expected the ID step")
        }
        var files: [(kind: String, path: String, contentType: String, size: Int64)] = []
        if withImage {
            let path = try storeUpload([0xFF, 0xD8, 0xFF, 0xE0] + Array("山田太郎の免許証".utf8))
            files.append((kind: "id_front", path: path, contentType: "image/jpeg", size: 30))
        }
        var submission = IDSubmission(idType: withImage ? "drivers_license" : "", name: "山田 太郎",
                                      address: "埼玉県さいたま市浦和区高砂1-2-3", birthDate: "1985-04-12",
                                      files: files, signatureName: "山田 太郎")
        submission.keyID = try KeyFiles.publishedKey(site: site)?.id
        return try store.submitID(token: kyc, submission, settings: settings)
    }

    /// Writes an upload the way the handler does: sealed when the shop has a published key.
    func storeUpload(_ plain: [UInt8]) throws -> String {
        try FileIO.makeFolder(site + "/var/uploads")
        let key = try KeyFiles.publishedKey(site: site)
        return try FileIO.writeNew(key.map { try SealedFile.seal(plain, with: $0) } ?? plain, in: site + "/var/uploads")
    }

    var keyPath: String { site + "-keys/private.key" }

    /// Every item of a canceled case sent back.
    func returned(_ record: Case) throws -> Case {
        try store.markReturned(code: record.code, carrier: "ヤマト運輸", tracking: "1234", by: Shop.staff, settings: settings)
        return try store.load(code: record.code)
    }
}

@Suite struct IDRuleTests {
    @Test(arguments: StoreBackend.all) func belowTheThresholdNoIDIsNeededAndTheReasonIsRecorded(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approved(price: 9_999, withImage: false)
        let rule = shop.settings.idRequirement(for: approved)
        #expect(!rule.required && rule.total == 9_999)
        let purchased = try shop.store.purchase(code: approved.code, by: Shop.staff, settings: shop.settings)
        #expect(purchased.status == .purchased)
        let note = try #require(try shop.store.history(caseID: approved.id).last?.note)
        #expect(note == "確認不要（買取金額 9,999円（基準 10,000円 未満）、確認必須の品目なし）")
        let entry = try #require(try shop.store.ledger(settings: shop.settings).entries.first)
        #expect(entry.idExemption == note && entry.identification == note)
        #expect(try shop.store.ledger(settings: shop.settings).csv.contains("確認不要（買取金額 9,999円"))
    }

    @Test(arguments: StoreBackend.all) func atTheThresholdPurchaseIsRefusedWithoutAVerifiedID(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approved(price: 10_000)
        #expect(shop.settings.idRequirement(for: approved).required)
        let error = try #require(throws: StoreError.self) { try shop.store.purchase(code: approved.code, by: Shop.staff, settings: shop.settings) }
        #expect(error.description.contains("買取金額 10,000円（基準 10,000円 以上）"))
        #expect(try shop.store.load(code: approved.code).status == .approved)
        _ = try shop.store.verifyID(code: approved.code, addressCheck: "本人限定受取郵便 1", by: Shop.staff)
        #expect(try shop.store.purchase(code: approved.code, by: Shop.staff, settings: shop.settings).status == .purchased)
        #expect(try shop.store.ledger(settings: shop.settings).entries.first?.idExemption == "")
    }

    @Test(arguments: StoreBackend.all) func anAlwaysCheckCategoryNeedsAnIDAtAnyAmount(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        #expect(shop.settings.compliance.idCheckAlwaysCategories == ["game_software", "books", "motorcycle"])
        let approved = try shop.approved(price: 500, category: "game_software")
        let rule = shop.settings.idRequirement(for: approved)
        #expect(rule.required && rule.categories == ["ゲームソフト"])
        #expect(throws: StoreError.self) { try shop.store.purchase(code: approved.code, by: Shop.staff, settings: shop.settings) }
        // An item without a category counts under the declared ones: books declared → required.
        let declaredBooks = try shop.approved(price: 500, declared: "books")
        #expect(shop.settings.idRequirement(for: declaredBooks).categories == ["書籍・CD・DVD・ブルーレイ"])
        #expect(throws: StoreError.self) { try shop.store.purchase(code: declaredBooks.code, by: Shop.staff, settings: shop.settings) }
        // A category of its own overrides the declared one.
        let camera = try shop.approved(price: 500, category: "camera", declared: "books", withImage: false)
        #expect(!shop.settings.idRequirement(for: camera).required)
        #expect(try shop.store.purchase(code: camera.code, by: Shop.staff, settings: shop.settings).status == .purchased)
        #expect(try shop.store.ledger(settings: shop.settings).entries.last?.kobutsuClass == "写真機類")
    }
}

@Suite struct AddressCheckTests {
    @Test(arguments: StoreBackend.all) func aMethodWithMailNeedsTheConfirmedAddressCheckAndTheLedgerShowsIt(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approved(price: 20_000)
        #expect(throws: StoreError.self) {
            try shop.store.verifyID(code: approved.code, method: "image_honnin", addressCheck: "", settings: shop.settings, by: Shop.staff)
        }
        let sent = try shop.store.addressCheckSent(code: approved.code, sentOn: "2026-09-22", carrier: "日本郵便 本人限定受取郵便",
                                                   tracking: "1234-5678-9012", by: Shop.staff)
        #expect(sent.state == .sent)
        let pending = try #require(throws: StoreError.self) {
            try shop.store.verifyID(code: approved.code, method: "image_honnin", addressCheck: "", settings: shop.settings, by: Shop.staff)
        }
        #expect(pending.description.contains("not confirmed yet"))
        let confirmed = try shop.store.addressCheckConfirmed(code: approved.code, note: "到達の連絡あり", by: Shop.staff)
        #expect(confirmed.state == .confirmed)
        let check = try shop.store.verifyID(code: approved.code, method: "image_honnin", addressCheck: "", settings: shop.settings, by: Shop.staff)
        #expect(check.addressConfirmation == confirmed.summary)
        _ = try shop.store.purchase(code: approved.code, by: Shop.staff, settings: shop.settings)
        let entry = try #require(try shop.store.ledger(settings: shop.settings).entries.first)
        #expect(entry.lawMethod == "施行規則第15条第3項第2号（本人確認書類の画像＋本人限定受取郵便（到達確認））")
        #expect(entry.addressCheck.contains("日本郵便 本人限定受取郵便 1234-5678-9012（2026-09-22 発送） 到達確認"))
        #expect(entry.identification.contains("施行規則第15条第3項第2号"))
    }

    @Test(arguments: StoreBackend.all) func returnedUndeliveredFailsTheIDCheck(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approved(price: 20_000)
        _ = try shop.store.addressCheckSent(code: approved.code, sentOn: "2026-09-22", carrier: "日本郵便 簡易書留（転送不要）",
                                            tracking: "99", by: Shop.staff)
        let returned = try shop.store.addressCheckReturned(code: approved.code, note: "宛所に尋ねあたりません", by: Shop.staff)
        #expect(returned.state == .returned)
        #expect(try shop.store.idChecks(caseID: approved.id).last?.state == .rejected)
        let error = try #require(throws: StoreError.self) {
            try shop.store.verifyID(code: approved.code, method: "image_tenso_fuyo", addressCheck: "", settings: shop.settings, by: Shop.staff)
        }
        #expect(error.description.contains("came back undelivered"))
        #expect(throws: StoreError.self) { try shop.store.purchase(code: approved.code, by: Shop.staff, settings: shop.settings) }
        // The CLI records the same steps.
        let other = try shop.approved(price: 20_000)
        #expect(shop.kaitori("id", "address-sent", other.code, "--date", "2026-09-22", "--carrier", "日本郵便", "--tracking", "77") == 0)
        #expect(shop.kaitori("id", "address-sent", other.code, "--date", "2026-09-22", "--carrier", "日本郵便", "--tracking", "78") == 1)
        #expect(shop.kaitori("id", "address-returned", other.code) == 0)
        #expect(try shop.store.idChecks(caseID: other.id).last?.state == .rejected)
        #expect(shop.kaitori("id", "address-confirmed", other.code) == 1)
    }
}

@Suite struct SealedFileTests {
    func keyedShop() throws -> Shop {
        let shop = try Shop()
        _ = try shop.store.initKeys(privateKeyPath: shop.keyPath)
        return shop
    }

    @Test func anUploadOnDiskIsNotThePlaintextAndOpensWithThePrivateKey() throws {
        let shop = try keyedShop()
        defer { try? FileManager.default.removeItem(atPath: shop.site + "-keys") }
        let approved = try shop.approved(price: 20_000)
        let file = try #require(try shop.store.idChecks(caseID: approved.id).last?.files.first)
        let onDisk = try #require(FileManager.default.contents(atPath: file.path))
        #expect(!onDisk.starts(with: [0xFF, 0xD8, 0xFF]))
        #expect(onDisk.range(of: Data("山田太郎".utf8)) == nil)
        #expect(file.keyID != nil)
        let ring = try KeyFiles.readRing(shop.keyPath)
        let opened = try shop.store.readStoredFile(caseID: approved.id, fileID: file.id, site: shop.site, keys: ring)
        #expect(opened.bytes == [0xFF, 0xD8, 0xFF, 0xE0] + Array("山田太郎の免許証".utf8))
        #expect(opened.file.contentType == "image/jpeg")
        #expect(throws: StoreError.self) { try shop.store.readStoredFile(caseID: approved.id, fileID: file.id, site: shop.site, keys: nil) }
        // The private key is outside the shop folder, 0600, and nothing published names it.
        #expect(!KeyFiles.isInside(shop.keyPath, folder: shop.site))
        #expect(FileIO.mode(shop.keyPath) == 0o600)
        let published = try String(contentsOfFile: KeyFiles.publicKeyPath(site: shop.site), encoding: .utf8)
        #expect(!published.contains(Hex.encode(ring.current.secretKey)))
        // The CLI opens it.
        let out = shop.site + "-copy"
        defer { try? FileManager.default.removeItem(atPath: out) }
        try appendSettings(shop, "keys:\n  private_key: \(shop.keyPath)\n", replacing: "keys:\n  private_key: ../kaitori-keys/marufuku.key\n")
        #expect(shop.kaitori("id", "copy", approved.code, "--to", out) == 0)
        let copied = try FileManager.default.contentsOfDirectory(atPath: out)
        #expect(copied.count == 1)
        #expect(FileManager.default.contents(atPath: out + "/" + copied[0]).map([UInt8].init) == opened.bytes)
    }

    @Test(arguments: StoreBackend.all) func theHandlersSettingsCarryTheIDRuleButNotTheKeyPath(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let json = String(decoding: try JSONEncoder().encode(HandlerSettings(shop.settings)), as: UTF8.self)
        #expect(!json.contains("kaitori-keys") && !json.contains("privateKey"))
        let read = try Settings(json: JSONReader(parsing: Array(json.utf8)))
        #expect(read.compliance.idCheckAlwaysCategories == ["game_software", "books", "motorcycle"])
        #expect(read.compliance.privateKeyPath == "")
    }

    @Test func aWiderPrivateKeyIsRefused() throws {
        let shop = try keyedShop()
        defer { try? FileManager.default.removeItem(atPath: shop.site + "-keys") }
        chmod(shop.keyPath, 0o644)
        let error = try #require(throws: SealedFile.Problem.self) { try KeyFiles.readRing(shop.keyPath) }
        #expect(error.description.contains("must be 0600"))
    }

    @Test(arguments: StoreBackend.all) func keysInitSealsExistingPlainFiles(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        defer { try? FileManager.default.removeItem(atPath: shop.site + "-keys") }
        let approved = try shop.approved(price: 20_000)
        let before = try #require(try shop.store.idChecks(caseID: approved.id).last?.files.first)
        #expect(before.keyID == nil)
        #expect(shop.storedBytes(before.path)?.starts(with: [0xFF, 0xD8]) == true)
        let (_, sealed) = try shop.store.initKeys(privateKeyPath: shop.keyPath)
        #expect(sealed == 1)
        let after = try #require(try shop.store.idChecks(caseID: approved.id).last?.files.first)
        // A file on disk is re-sealed into a new file; one in the database (PostgreSQL) in place.
        #expect(after.keyID != nil && (after.path != before.path || after.path.hasPrefix("db:")))
        if after.path != before.path { #expect(!shop.isStored(before.path)) }
        #expect(shop.storedBytes(after.path)?.starts(with: [0xFF, 0xD8]) == false)
        #expect(try shop.store.readStoredFile(caseID: approved.id, fileID: after.id, site: shop.site, keys: KeyFiles.readRing(shop.keyPath)).bytes.starts(with: [0xFF, 0xD8]))
        #expect(throws: StoreError.self) { try shop.store.initKeys(privateKeyPath: shop.keyPath) }
    }

    @Test(arguments: [(CaseStore.ResealStep.wroteNewFile, 0), (.switchedRecord, 0), (.wroteNewFile, 2), (.switchedRecord, 3)])
    func rotationInterruptedMidwayLeavesEveryImageReadable(step: CaseStore.ResealStep, at: Int) throws {
        struct Crash: Error {}
        let shop = try keyedShop()
        defer { try? FileManager.default.removeItem(atPath: shop.site + "-keys") }
        var cases: [Case] = []
        for _ in 0..<5 { cases.append(try shop.approved(price: 20_000)) }
        let oldKey = try KeyFiles.readRing(shop.keyPath).current.publicKey
        #expect(throws: Crash.self) {
            try shop.store.rotateKeys(privateKeyPath: shop.keyPath) { s, n in if s == step, n == at { throw Crash() } }
        }
        func everyImageOpens() throws {
            let ring = try KeyFiles.readRing(shop.keyPath)
            for c in cases {
                for f in try shop.store.idChecks(caseID: c.id).flatMap(\.files) {
                    #expect(try shop.store.readStoredFile(caseID: c.id, fileID: f.id, site: shop.site, keys: ring).bytes.starts(with: [0xFF, 0xD8, 0xFF]))
                }
            }
        }
        try everyImageOpens()
        // A new upload meanwhile is sealed with the new key the handler now reads.
        #expect(try KeyFiles.publishedKey(site: shop.site) != oldKey)
        cases.append(try shop.approved(price: 20_000))
        let (newKey, _) = try shop.store.rotateKeys(privateKeyPath: shop.keyPath)
        let ring = try KeyFiles.readRing(shop.keyPath)
        #expect(ring.pairs.count == 1 && ring.current.publicKey == newKey && newKey != oldKey)
        #expect(try shop.store.storedKeyIDs() == [newKey.id])
        try everyImageOpens()
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: shop.site + "/var/uploads")
        #expect(leftovers.count == cases.count)
    }

    @Test(arguments: StoreBackend.all) func anUnmaskedImageIsDeletedAndTheCustomerAskedAgain(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approved(price: 20_000)
        let file = try #require(try shop.store.idChecks(caseID: approved.id).last?.files.first)
        let (_, token) = try shop.store.rejectUnmaskedImage(code: approved.code, fileID: file.id, by: Shop.staff, settings: shop.settings)
        #expect(!shop.isStored(file.path))
        let checks = try shop.store.idChecks(caseID: approved.id)
        #expect(checks.first?.state == .rejected && checks.first?.note.contains("マスキング") == true)
        #expect(checks.last?.token == token && checks.last?.state == .open)
        #expect(try shop.outbox(approved, event: "id_requested").last?.contains("/kyc/\(token)/") == true)
        #expect(try shop.store.privacyLog(code: approved.code).map(\.action) == ["image_refused_unmasked"])
    }
}

/// Replaces a line of the fixture's shop.yml (the CLI reads the file).
func appendSettings(_ shop: Shop, _ text: String, replacing old: String) throws {
    let path = shop.site + "/shop.yml"
    let yaml = try String(contentsOfFile: path, encoding: .utf8)
    #expect(yaml.contains(old))
    try yaml.replacingOccurrences(of: old, with: text).write(toFile: path, atomically: true, encoding: .utf8)
}

@Suite struct RetentionTests {
    static let day: Int64 = 86_400

    /// Noon (JST) of a day.
    static func noon(_ date: CivilDate) -> Int64 { date.daysSinceEpoch * day - CivilDate.jstOffset + 12 * 3_600 }

    struct Person { let name: String; let phone: String; let email: String }

    @Test(arguments: StoreBackend.all) func aDryRunListsExactlyWhatARunDeletesAndNothingPersonalIsLeft(_ backend: StoreBackend) throws {
        let today = CivilDate(year: 2030, month: 6, day: 15)!
        let clock = MovingClock(0)
        let shop = try Shop(backend, clock: clock)
        func person(_ n: Int) -> Person { Person(name: "保存 太郎\(n)", phone: "0901111000\(n)", email: "keep\(n)@example.jp") }
        func purchase(_ p: Person, lastEntry: CivilDate) throws -> Case {
            clock.seconds = Self.noon(lastEntry) - 3_600
            let approved = try shop.approved(price: 20_000, name: p.name, phone: p.phone, email: p.email)
            _ = try shop.store.verifyID(code: approved.code, addressCheck: "本人限定受取郵便 1", by: Shop.staff)
            clock.seconds = Self.noon(lastEntry)
            return try shop.store.purchase(code: approved.code, by: Shop.staff, settings: shop.settings)
        }
        func cancel(_ p: Person, endedOn: CivilDate) throws -> Case {
            clock.seconds = Self.noon(endedOn)
            let approved = try shop.approved(price: 20_000, name: p.name, phone: p.phone, email: p.email)
            _ = try shop.store.cancel(code: approved.code, by: Shop.staff, settings: shop.settings)
            return try shop.returned(approved)
        }
        // A canceled case whose goods are still here keeps its data (the address is needed).
        clock.seconds = Self.noon(today.adding(days: -200))
        let awaitingReturn = try shop.approved(price: 20_000)
        _ = try shop.store.cancel(code: awaitingReturn.code, by: Shop.staff, settings: shop.settings)
        let threeYearsAgo = CivilDate(year: today.year - 3, month: today.month, day: today.day)!
        let oldPurchase = try purchase(person(1), lastEntry: threeYearsAgo.adding(days: -1))
        let youngPurchase = try purchase(person(2), lastEntry: threeYearsAgo.adding(days: 1))  // 2 years 364 days
        let anniversary = try purchase(person(3), lastEntry: threeYearsAgo)  // kept through the anniversary
        let oldCancel = try cancel(person(4), endedOn: today.adding(days: -90))
        let youngCancel = try cancel(person(5), endedOn: today.adding(days: -89))
        clock.seconds = Self.noon(today.adding(days: -400))
        let open = try shop.approved(price: 20_000, name: person(6).name, phone: person(6).phone, email: person(6).email)
        clock.seconds = Self.noon(today)

        let oldFiles = try [oldPurchase, oldCancel].flatMap { try shop.store.idChecks(caseID: $0.id).flatMap(\.files).map(\.path) }
        #expect(oldFiles.count == 2 && oldFiles.allSatisfy { shop.isStored($0) })

        let planned = try shop.store.retentionDue(settings: shop.settings)
        #expect(planned.map(\.code) == [oldPurchase.code, oldCancel.code])
        #expect(planned.map(\.kind) == [.purchase, .unpurchased])
        let done = try shop.store.runRetention(settings: shop.settings)
        #expect(done == planned)
        #expect(try shop.store.retentionDue(settings: shop.settings).isEmpty)

        // Nothing personal of the deleted cases is left: database (and its log), uploads, outbox.
        var stored = Data()
        for suffix in ["", "-wal"] { stored.append(FileManager.default.contents(atPath: shop.site + "/var/kaitori.sqlite3" + suffix) ?? Data()) }
        for p in [person(1), person(4)] {
            for value in [p.name, p.phone, p.email] {
                #expect(stored.range(of: Data(value.utf8)) == nil, "\(value) is still in the database file")
                let outbox = try shop.store.db.query("SELECT COUNT(*) AS n FROM outbox WHERE recipient = ? OR body LIKE ? OR subject LIKE ?",
                                                     [.text(value), .text("%\(value)%"), .text("%\(value)%")])
                #expect(outbox.first?.int("n") == 0)
            }
        }
        #expect(oldFiles.allSatisfy { !shop.isStored($0) })
        #expect(throws: StoreError.self) { try shop.store.load(code: oldPurchase.code) }
        // The tombstones keep code, dates and status.
        let tombstones = try shop.store.tombstones()
        #expect(tombstones.map(\.code) == [oldPurchase.code, oldCancel.code])
        #expect(tombstones.map(\.status) == [.purchased, .canceled])
        #expect(try shop.store.privacyLog().map(\.code) == [oldPurchase.code, oldCancel.code])

        // What is younger is untouched, the 2 years 364 days old purchase included.
        for kept in [youngPurchase, anniversary, youngCancel, open, awaitingReturn] {
            let record = try shop.store.load(code: kept.code)
            #expect(record.customer.name == kept.customer.name)
            for f in try shop.store.idChecks(caseID: kept.id).flatMap(\.files) { #expect(shop.isStored(f.path)) }
        }
        #expect(try shop.store.ledger(settings: shop.settings).entries.map(\.caseCode) == [anniversary.code, youngPurchase.code])

        // The CLI's dry run says the same as the core.
        #expect(shop.kaitori("retention", "run", "--dry-run") == 0)
    }

    /// The spam limits keep network addresses: a run deletes the counters whose window ended more
    /// than a day ago (no window is longer) and the refusals in the feed older than
    /// `retention.unpurchased_days`, and keeps the others.
    @Test(arguments: StoreBackend.all) func aRunDeletesTheRateLimitCountersOfPastWindows(_ backend: StoreBackend) throws {
        let clock = MovingClock(Self.noon(CivilDate(year: 2030, month: 6, day: 15)!))
        let shop = try Shop(backend, clock: clock)
        let now = clock.seconds
        for (address, start) in [("192.0.2.1", now - Self.day - 1), ("192.0.2.2", now - Self.day + 60), ("2001:db8::", now - 5)] {
            try shop.store.db.query("INSERT INTO post_counts (route, address, window_start, count) VALUES ('apply', ?, ?, 3)",
                                    [.text(address), .int(start)])
        }
        let days = Int64(shop.settings.compliance.retentionUnpurchasedDays)
        for (detail, at) in [("送信回数の上限：192.0.2.9 から申込フォームへ", now - days * Self.day - 1), ("送信回数の上限：192.0.2.8 から申込フォームへ", now - 60)] {
            try shop.store.db.query("INSERT INTO events (case_id, kind, at, detail) VALUES (NULL, 'refused', ?, ?)", [.int(at), .text(detail)])
        }
        #expect(try shop.store.runRetention(settings: shop.settings).isEmpty)
        let left = try shop.store.db.query("SELECT address FROM post_counts ORDER BY address").map { $0.string("address") }
        #expect(left == ["192.0.2.2", "2001:db8::"])
        let refusals = try shop.store.db.query("SELECT detail FROM events WHERE kind = 'refused'").map { $0.string("detail") }
        #expect(refusals == ["送信回数の上限：192.0.2.8 から申込フォームへ"])
        if backend == .sqlite {
            var stored = Data()
            for suffix in ["", "-wal"] { stored.append(FileManager.default.contents(atPath: shop.site + "/var/kaitori.sqlite3" + suffix) ?? Data()) }
            for gone in ["192.0.2.1", "192.0.2.9"] {
                #expect(stored.range(of: Data(gone.utf8)) == nil, "\(gone) is still in the database file")
            }
        }
    }

    @Test(arguments: StoreBackend.all) func retentionBelowThreeYearsIsRefusedByCheck(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        try appendSettings(shop, "retention:\n  purchase_years: 2\n", replacing: "retention:\n  purchase_years: 3\n")
        let error = try #require(throws: SettingsError.self) { try SettingsFile.require(site: shop.site) }
        #expect(error.description.contains("retention.purchase_years: must be at least 3"))
        try appendSettings(shop, "retention:\n  purchase_years: 3\n", replacing: "retention:\n  purchase_years: 2\n")
        try appendSettings(shop, "keys:\n  private_key: var/private.key\n", replacing: "keys:\n  private_key: ../kaitori-keys/marufuku.key\n")
        let inside = try #require(throws: SettingsError.self) { try SettingsFile.require(site: shop.site) }
        #expect(inside.description.contains("is inside the shop folder"))
    }
}

@Suite struct CustomerRequestTests {
    @Test(arguments: StoreBackend.all) func exportHoldsEverythingAndEraseKeepsOnlyWhatTheLawHolds(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let paid = try shop.approved(price: 20_000, email: "same@example.jp")
        _ = try shop.store.verifyID(code: paid.code, addressCheck: "本人限定受取郵便 1", by: Shop.staff)
        var record = try shop.store.purchase(code: paid.code, by: Shop.staff, settings: shop.settings)
        try shop.store.db.transaction { try shop.store.markPaid(&record, by: Shop.staff, settings: shop.settings) }
        let toCancel = try shop.approved(price: 500, email: "same@example.jp")
        _ = try shop.store.cancel(code: toCancel.code, by: Shop.staff, settings: shop.settings)
        let canceled = try shop.returned(toCancel)

        let ids = try shop.store.customerCaseIDs(code: nil, email: "SAME@example.jp")
        #expect(ids == [paid.id, canceled.id])
        let export = try shop.store.exportCustomer(caseIDs: ids, by: Shop.staff)
        guard case .object(let top) = export, case .array(let cases)? = top["cases"] else { Issue.record("not a JSON object"); return }
        #expect(cases.count == 2)
        guard case .object(let first) = cases[0], case .object(let customer)? = first["customer"] else { Issue.record("no customer"); return }
        #expect(customer["phone"] == .string("09012345678") && customer["email"] == .string("same@example.jp"))

        let erased = try shop.store.eraseCustomer(caseIDs: ids, settings: shop.settings, by: Shop.staff)
        #expect(erased.map(\.code) == [paid.code, canceled.code])
        let held = try #require(erased[0].heldUntil)
        #expect(held.year == CivilDate(unixTime: 1_790_000_000).year + 3)
        #expect(erased[1].heldUntil == nil)
        let kept = try shop.store.load(code: paid.code)
        #expect(kept.customer.name == "山田 太郎" && kept.customer.phone == "" && kept.customer.email == "")
        #expect(kept.payout.accountNumber == "")
        #expect(try shop.store.ledger(settings: shop.settings).entries.count == 1)
        #expect(throws: StoreError.self) { try shop.store.load(code: canceled.code) }
        #expect(try shop.store.privacyLog(code: paid.code).map(\.action) == ["customer_export", "customer_erase"])
        #expect(try shop.store.privacyLog(code: paid.code).last?.detail.contains("held until \(held.iso)") == true)
        // In progress: refused, nothing changed.
        let open = try shop.approved(price: 20_000)
        #expect(throws: StoreError.self) { try shop.store.eraseCustomer(caseIDs: [open.id], settings: shop.settings, by: Shop.staff) }
        #expect(try shop.store.load(code: open.code).customer.phone == "09012345678")
        #expect(shop.kaitori("customer", "export", open.code, "--output", shop.site + "/export.json") == 0)
        #expect(shop.kaitori("customer", "erase") == Shop.usage)
    }
}
