import CSQLite
import Foundation
import KaitoriCore
import StoreTestSupport
import Testing

@Suite struct StoreTests {
    @Test(arguments: StoreBackend.all) func sameSubmissionIDGivesOneCase(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let app = try Fixtures.application(["submission_id": "nonce-1"])
        let (first, created1) = try store.create(app, settings: Fixtures.settings)
        let (second, created2) = try store.create(app, settings: Fixtures.settings)
        #expect(created1 && !created2)
        #expect(first.code == second.code)
        #expect(try store.list().count == 1)
    }

    @Test(arguments: StoreBackend.all) func applicationQueuesTheCustomerMessageAndTheShopEvent(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (c, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        let rows = try store.db.query("SELECT event, channel, recipient, subject, body FROM outbox WHERE case_id = ? ORDER BY id", [.int(c.id)])
        #expect(rows.map { $0.string("event") } == ["application_received", "shop_application"])
        #expect(rows[0].string("recipient") == "taro@example.jp")
        #expect(rows[0].string("subject").contains(c.code))
        #expect(rows[0].string("body").contains("山田 太郎 様"))
        #expect(rows[0].string("body").contains("〒330-0063"))
        // The shop's message is made from the same context as the customer's (`queue(_:andShop:…)`).
        #expect(rows[1].string("subject") == "[Kaitori] 新規申込 \(c.code) 山田 太郎 様")
        #expect(rows[1].string("body").contains("受付番号：\(c.code)"))
        #expect(try store.db.query("SELECT kind FROM events WHERE case_id = ?", [.int(c.id)]).map { $0.string("kind") } == ["application"])
    }

    @Test(arguments: StoreBackend.all) func cancelingOnTheReviewPageQueuesBothMessages(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let assessed = try Fixtures.assessedCase(store)
        let (_, outcome) = try store.decide(token: try #require(assessed.reviewToken), decision: .cancel, declined: [], settings: Fixtures.settings)
        #expect(outcome == .canceled)
        let rows = try store.db.query("SELECT event, subject, body FROM outbox WHERE case_id = ? AND event IN ('canceled', 'shop_canceled') ORDER BY id",
                                      [.int(assessed.id)])
        #expect(rows.map { $0.string("event") } == ["canceled", "shop_canceled"])
        #expect(rows.allSatisfy { $0.string("subject").contains(assessed.code) || $0.string("body").contains(assessed.code) })
    }

    @Test func channelRule() {
        #expect(Notifications.channel(for: Customer(phone: "09011112222", email: "a@b.jp", contact: .sms))! == ("sms", "09011112222"))
        #expect(Notifications.channel(for: Customer(phone: "09011112222", email: "a@b.jp", contact: ContactChannel.none))! == ("email", "a@b.jp"))
        #expect(Notifications.channel(for: Customer(phone: "09011112222", email: "", contact: nil))! == ("sms", "09011112222"))
        #expect(Notifications.channel(for: Customer(phone: "", email: "", contact: .email)) == nil)
    }

    @Test(arguments: StoreBackend.all) func autoConfirmMovesTheNewCaseToConfirmedBySystem(_ backend: StoreBackend) throws {
        var settings = Fixtures.settings
        settings.autoConfirm = true
        let store = try Fixtures.store(backend)
        let (c, _) = try store.create(try Fixtures.application(), settings: settings)
        #expect(c.status == .confirmed)
        #expect(try store.history(caseID: c.id).last?.by == .system)
    }

    @Test(arguments: StoreBackend.all) func sellPartRecomputesTheTotalAndFlagsDeclinedItems(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let c = try Fixtures.assessedCase(store)
        let joycon = c.items[1].id
        let (after, outcome) = try store.decide(token: c.reviewToken!, decision: .part, declined: [joycon], settings: Fixtures.settings)
        #expect(after.acceptedTotal == 10_000)
        #expect(after.items.first { $0.id == joycon }?.declined == true)
        guard case .continueToID(let token) = outcome else { Issue.record("expected the ID step"); return }
        #expect(Identifiers.isToken(Substring(token)))
        #expect(throws: ReviewError.alreadyAnswered(.part, after)) {
            try store.decide(token: c.reviewToken!, decision: .all, declined: [], settings: Fixtures.settings)
        }
    }

    @Test(arguments: StoreBackend.all) func reviewRefusalsChangeNothing(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let c = try Fixtures.assessedCase(store)
        #expect(throws: ReviewError.invalid(CustomerText.unknownItem)) {
            try store.decide(token: c.reviewToken!, decision: .part, declined: [999_999], settings: Fixtures.settings)
        }
        #expect(throws: ReviewError.invalid(CustomerText.declineAll)) {
            try store.decide(token: c.reviewToken!, decision: .part, declined: c.items.map(\.id), settings: Fixtures.settings)
        }
        #expect(throws: ReviewError.unknownToken) {
            try store.decide(token: "nosuchtoken", decision: .all, declined: [], settings: Fixtures.settings)
        }
        let reloaded = try store.load(id: c.id)
        #expect(reloaded.decision == nil && reloaded.items.allSatisfy { !$0.declined })
    }

    @Test(arguments: StoreBackend.all) func expiredReviewLinkIsRefused(_ backend: StoreBackend) throws {
        let dir = Fixtures.tempDir()
        let setting = try backend.freshStoreSetting()
        let store = try CaseStore.open(site: dir, store: setting, clock: FixedClock(1_790_000_000), pages: nil)
        let c = try Fixtures.assessedCase(store)
        let later = try CaseStore.open(site: dir, store: setting, clock: FixedClock(1_790_000_000 + 21 * 86_400), pages: nil)
        #expect(throws: ReviewError.expired(try later.load(id: c.id))) {
            try later.decide(token: c.reviewToken!, decision: .all, declined: [], settings: Fixtures.settings)
        }
    }

    @Test(arguments: StoreBackend.all) func cancelAllOnTheReviewPageCancelsAndNotifiesTheShop(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let c = try Fixtures.assessedCase(store)
        let (after, outcome) = try store.decide(token: c.reviewToken!, decision: .cancel, declined: [], settings: Fixtures.settings)
        #expect(outcome == .canceled && after.status == .canceled)
        #expect(after.itemsAwaitingReturn.count == 2)
        #expect(try store.db.query("SELECT event FROM outbox WHERE case_id = ? AND event LIKE '%canceled'", [.int(c.id)]).count == 2)
        #expect(try store.history(caseID: c.id).last?.by == .customer)
    }

    /// Many connections (as many handler processes would) create cases at the same moment on a
    /// fresh database: migrations run once, every case is stored, every code is unique.
    @Test(arguments: StoreBackend.all) func concurrentCreatesOnAFreshDatabase(_ backend: StoreBackend) async throws {
        let dir = Fixtures.tempDir()
        let setting = try backend.freshStoreSetting()
        let settings = Fixtures.settings
        let app = try Fixtures.application(["submission_id": ""])
        let codes = try await withThrowingTaskGroup(of: [String].self) { group in
            for _ in 0..<24 {
                group.addTask {
                    let store = try CaseStore.open(site: dir, store: setting, pages: nil)
                    var mine: [String] = []
                    for _ in 0..<5 { mine.append(try store.create(app, settings: settings).0.code) }
                    return mine
                }
            }
            return try await group.reduce(into: [String]()) { $0 += $1 }
        }
        #expect(codes.count == 120)
        #expect(Set(codes).count == 120)
        let store = try CaseStore.open(site: dir, store: setting, pages: nil)
        #expect(try store.list().count == 120)
        switch backend {
        case .sqlite:
            #expect(try store.db.query("PRAGMA user_version").first?.int("user_version") == Int64(CaseStore.schemaVersion))
            #expect(try store.db.query("PRAGMA journal_mode").first?.string("journal_mode") == "wal")
        case .postgres:
            #expect(try store.db.query("SELECT version FROM kaitori_schema").map { $0.int("version") } == [Int64(CaseStore.schemaVersion)])
        }
    }

    /// A second writer waits in the write queue (kaitori.sqlite3-writer, owner-only) while the first
    /// holds its transaction, and goes on once it commits.
    @Test func writersQueueForTheWriteLock() throws {
        let path = Fixtures.tempDir() + "/queue.sqlite3"
        let first = try Database(path: path)
        try first.execute("CREATE TABLE log (who TEXT)")
        let done = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var secondError: (any Error)?
        try first.transaction {
            try first.query("INSERT INTO log VALUES ('first')")
            Thread.detachNewThread {
                do {
                    let second = try Database(path: path)
                    try second.transaction { try second.query("INSERT INTO log VALUES ('second')") }
                } catch {
                    secondError = error
                }
                done.signal()
            }
            #expect(done.wait(timeout: .now() + 0.3) == .timedOut, "the second writer did not wait")
        }
        #expect(done.wait(timeout: .now() + 10) == .success)
        #expect(secondError == nil)
        #expect(try first.query("SELECT who FROM log ORDER BY rowid").map { $0.string("who") } == ["first", "second"])
        var info = stat()
        #expect(stat(path + "-writer", &info) == 0 && info.st_mode & 0o777 == 0o600)
    }

    @Test func caseCodesAreReadable() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let code = Identifiers.caseCode(using: &rng)
            #expect(code.count == 9 && code.dropFirst(4).first == "-")
            #expect(!code.contains("0") && !code.contains("O") && !code.contains("1") && !code.contains("I"))
            #expect(Identifiers.normalizeCode(code.lowercased().replacingOccurrences(of: "-", with: "")) == code)
        }
        #expect(Identifiers.token().count == 32)
    }

    @Test(arguments: StoreBackend.all) func searchByKanaPhoneAndCode(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (c, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        #expect(try store.list(CaseQuery(text: "やまだ")).map(\.code) == [c.code])
        #expect(try store.list(CaseQuery(text: "090-1234-5678")).map(\.code) == [c.code])
        #expect(try store.list(CaseQuery(text: c.code.lowercased())).map(\.code) == [c.code])
        #expect(try store.list(CaseQuery(text: "佐藤")).isEmpty)
        let waiting = try store.list(CaseQuery(needsActionOnly: true))
        #expect(waiting.first?.needsAction == "confirm the application")
    }
}

@Suite struct StoreBackendTests {
    /// A NUL inside text: SQLite keeps it whole; PostgreSQL text cannot hold it, so the store
    /// refuses it with a clear error instead of storing a cut-off value.
    @Test(arguments: StoreBackend.all) func textWithANULIsKeptWholeOrRefusedNeverCut(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (c, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        let text = "前\u{0}後"
        switch backend {
        case .sqlite:
            try store.db.query("UPDATE cases SET notes = ? WHERE id = ?", [.text(text), .int(c.id)])
            #expect(try store.load(id: c.id).notes == text)
        case .postgres:
            #expect(throws: StoreError.self) { try store.db.query("UPDATE cases SET notes = ? WHERE id = ?", [.text(text), .int(c.id)]) }
            #expect(try store.load(id: c.id).notes == "")
        }
    }

    /// Text is bound from the string's own UTF-8: an empty string stays '' (never NULL), a short
    /// one (kept inside the `String` value itself) and a long one come back whole.
    @Test(arguments: StoreBackend.all) func textOfEveryLengthIsBoundWhole(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (c, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        for text in ["", "a", "山田", "015-0002 秋田", String(repeating: "買取、", count: 400)] {
            try store.db.query("UPDATE cases SET notes = ? WHERE id = ?", [.text(text), .int(c.id)])
            let row = try #require(try store.db.query("SELECT notes, CASE WHEN notes IS NULL THEN 1 ELSE 0 END AS missing FROM cases WHERE id = ?", [.int(c.id)]).first)
            #expect(row.string("notes") == text)
            #expect(row.int("missing") == 0)
        }
    }

    /// `insert` answers the new row's id, nil when `ON CONFLICT DO NOTHING` inserted nothing, and
    /// the id of its own row even when a trigger inserted rows elsewhere.
    @Test(arguments: StoreBackend.all) func insertAnswersTheNewRowsIDOrNil(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (c, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        let first = try #require(try store.db.insert("INSERT INTO payout_batches (created_at, transfer_date, file_name, record_count, total) VALUES (1, '2026-12-01', 'a.txt', 0, 0)"))
        let second = try #require(try store.db.insert("INSERT INTO payout_batches (created_at, transfer_date, file_name, record_count, total) VALUES (2, '2026-12-02', 'b.txt', 0, 0)"))
        #expect(second != first)
        #expect(try store.db.query("SELECT file_name FROM payout_batches WHERE id = ?", [.int(second)]).first?.string("file_name") == "b.txt")
        let taken = try store.db.insert("INSERT INTO cases (code, status, created_at, updated_at) VALUES (?, 'received', 1, 1) ON CONFLICT (code) DO NOTHING",
                                        [.text(c.code)])
        #expect(taken == nil)
        #expect(try store.db.query("SELECT COUNT(*) AS n FROM cases").first?.int("n") == 1)
        // A new case: its trigger gives it a status token (a second write in the same statement).
        let fresh = try #require(try store.db.insert("INSERT INTO cases (code, status, created_at, updated_at) VALUES ('ZZZZ-9999', 'received', 1, 1) ON CONFLICT (code) DO NOTHING"))
        let row = try #require(try store.db.query("SELECT code, status_token FROM cases WHERE id = ?", [.int(fresh)]).first)
        #expect(row.string("code") == "ZZZZ-9999")
        #expect(!row.string("status_token").isEmpty)
    }

    /// SQLite's memory statistics are off in every process that opens a store (set before its
    /// first connection; with them on, each allocation took a global mutex): SQLite has counted
    /// nothing after a store was opened and written to.
    @Test func sqliteCountsNoMemoryOnceAStoreIsOpen() throws {
        let store = try Fixtures.store(.sqlite)
        _ = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        #expect(sqlite3_memory_used() == 0)
        #expect(sqlite3_memory_highwater(0) == 0)
    }

    /// Statements are cached by their text, hashed from a few of its bytes: two statements that
    /// agree in length and in those bytes are still two statements.
    @Test(arguments: StoreBackend.all) func statementsThatHashAlikeStayApart(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let padding = String(repeating: "x", count: 40)
        let a = "SELECT 'A' AS v, '\(padding)' AS pad", b = "SELECT 'B' AS v, '\(padding)' AS pad"
        #expect(a.utf8.count == b.utf8.count)
        for _ in 0..<2 {
            #expect(try store.db.query(a).first?.string("v") == "A")
            #expect(try store.db.query(b).first?.string("v") == "B")
        }
    }

    /// Bytes go in and come back whole (stored files live in the database on PostgreSQL).
    @Test(arguments: StoreBackend.all) func blobsRoundTrip(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (c, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        let bytes: [UInt8] = [0, 1, 2, 0xFF, 0x5C, 0x27, 0] + Array(repeating: 0xAB, count: 70_000)
        let id = try #require(try store.db.insert("INSERT INTO stored_files (case_id, kind, path, content_type, size, created_at) VALUES (?, 'id_front', 'x', 'image/jpeg', 1, 1)", [.int(c.id)]))
        try store.db.query("INSERT INTO stored_file_data (file_id, bytes) VALUES (?, ?)", [.int(id), .blob(bytes)])
        #expect(try store.db.query("SELECT bytes FROM stored_file_data WHERE file_id = ?", [.int(id)]).first?.bytes("bytes") == bytes)
        try store.db.query("UPDATE stored_file_data SET bytes = ? WHERE file_id = ?", [.blob([]), .int(id)])
        #expect(try store.db.query("SELECT bytes FROM stored_file_data WHERE file_id = ?", [.int(id)]).first?.bytes("bytes") == [])
    }
}

/// `createBatch`: several applications in one transaction (group commit), each by `create`'s rules.
@Suite struct CreateBatchTests {
    @Test(arguments: StoreBackend.all) func aRefusedApplicationLeavesTheOthersOfItsBatchWhole(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        var settings = Fixtures.settings
        settings.abuse = Settings.Abuse(applicationsPerEmailPerDay: 1)
        let poster = Poster(route: "apply", address: "192.0.2.7")
        let first = try Fixtures.application(["email": "first@example.jp", "submission_id": "batch-1"])
        let again = try Fixtures.application(["email": "first@example.jp", "submission_id": "batch-2"])
        let other = try Fixtures.application(["email": "other@example.jp", "submission_id": "batch-3"])
        let results = try store.createBatch([(first, settings, poster), (again, settings, poster), (other, settings, poster),
                                             (first, settings, poster)])
        let codes = results.map { try? $0.get().code }
        // The second address's second application is over the daily cap: refused, nothing of it
        // stored; the ones before and after it are; the same submission again is the first case.
        #expect(codes[0] != nil && codes[1] == nil && codes[2] != nil && codes[3] == codes[0])
        if case .failure(let error) = results[1] { #expect(error is AbuseRefusal, "\(error)") }
        #expect(try store.db.query("SELECT COUNT(*) AS n FROM cases").first?.int("n") == 2)
        #expect(try store.db.query("SELECT COUNT(*) AS n FROM customers").first?.int("n") == 2)
        #expect(try store.db.query("SELECT COUNT(*) AS n FROM outbox").first?.int("n") == 4)
        let loaded = try store.load(code: try #require(codes[2]))
        #expect(loaded.customer.email == "other@example.jp" && loaded.declaredItems.count == 2)
    }
}
