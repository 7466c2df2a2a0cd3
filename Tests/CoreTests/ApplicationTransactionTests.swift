import CSQLite
import Foundation
@testable import KaitoriCore
import StoreTestSupport
import Testing

/// What a new application's transaction does while it holds the write queue: its statements are
/// compiled and its messages made before it takes the queue (`Database.prepareAhead`,
/// `Notifications.drafts`), so that 32 concurrent posts wait for writes only.
@Suite struct ApplicationTransactionTests {
    /// The statements the connection holds compiled, by text.
    private func compiled(_ db: Database) -> [String] {
        var texts: [String] = []
        var stmt = sqlite3_next_stmt(db.handle, nil)
        while let current = stmt {
            texts.append(String(cString: sqlite3_sql(current)))
            stmt = sqlite3_next_stmt(db.handle, current)
        }
        return texts
    }

    @Test func aNewApplicationCompilesItsStatementsBeforeItWaitsInTheWriteQueue() throws {
        let site = try Fixtures.tempDir()
        _ = try StoreBackend.sqlite.openStore(site: site, clock: FixedClock(1_790_000_000))  // creates and migrates
        // A fresh connection, as each CGI post has: nothing of the application compiled yet.
        let store = try CaseStore.open(site: site, clock: FixedClock(1_790_000_000), pages: nil)
        let before = Set(compiled(store.db))
        #expect(before.isDisjoint(with: CaseStore.applicationStatements))
        // Another writer holds the queue (the lock WriteQueue takes), so the post waits in it.
        let queue = open(site + "/var/kaitori.sqlite3-writer", O_RDWR | O_CLOEXEC)
        #expect(queue >= 0)
        defer { close(queue) }
        #expect(flock(queue, LOCK_EX) == 0)
        let app = try Fixtures.application()
        let done = Completion()
        let thread = Thread {
            done.started(thread: threadFolder())
            done.finish(Result { try store.create(app, settings: Fixtures.settings) })
        }
        thread.start()
        // Once the post's thread sleeps in the queue's flock it touches no SQLite state, and its
        // connection's statement list can be read from here: what is compiled by then was
        // compiled before the queue.
        var waiting = false
        for _ in 0..<1000 where !waiting {
            waiting = done.isBlocked(inSystemCall: flockCall)
            if !waiting { usleep(10_000) }
        }
        #expect(waiting)
        #expect(Set(compiled(store.db)).isSuperset(of: CaseStore.applicationStatements))
        #expect(done.result == nil)  // still waiting: nothing was written
        flock(queue, LOCK_UN)
        let (c, created) = try done.wait().get()
        #expect(created)
        // The transaction compiled nothing more than what was compiled ahead of it.
        #expect(Set(compiled(store.db)).subtracting(before) == Set(CaseStore.applicationStatements))
        #expect(try store.db.query("SELECT COUNT(*) AS n FROM outbox WHERE case_id = ?", [.int(c.id)]).first?.int("n") == 2)
    }

    @Test func statementsThatCannotBeCompiledAheadFailWhereTheyRun() throws {
        let store = try Fixtures.store(.sqlite)
        let broken = "INSERT INTO no_such_table (x) VALUES (?)"
        store.db.prepareAhead([broken, CaseStore.SQL.insertEvent])
        #expect(compiled(store.db).contains(CaseStore.SQL.insertEvent))
        #expect(!compiled(store.db).contains(broken))
        #expect(throws: StoreError.self) { try store.db.query(broken, [.int(1)]) }
    }

    /// The messages are made with the first code drawn, before the transaction; when that code
    /// turns out to be taken, the case gets another and its messages are made again with it.
    @Test(arguments: StoreBackend.all) func messagesCarryTheCodeTheCaseWasStoredWith(_ backend: StoreBackend) throws {
        let store = try Fixtures.store(backend)
        let (first, _) = try store.create(try Fixtures.application(), settings: Fixtures.settings)
        var codes = [first.code, "QQQQ-2345"]
        store.drawCaseCode = { codes.removeFirst() }
        let (second, _) = try store.create(try Fixtures.application(["submission_id": "another"]), settings: Fixtures.settings)
        #expect(second.code == "QQQQ-2345")
        #expect(codes.isEmpty)
        let rows = try store.db.query("SELECT subject, body FROM outbox WHERE case_id = ? ORDER BY id", [.int(second.id)])
        #expect(rows.count == 2)
        #expect(rows[0].string("subject").contains("QQQQ-2345"))
        #expect(rows[1].string("subject") == "[Kaitori] 新規申込 QQQQ-2345 山田 太郎 様")
        #expect(rows.allSatisfy { !$0.string("subject").contains(first.code) && !$0.string("body").contains(first.code) })
    }
}

/// A result handed from the thread that made it to the test waiting for it.
private final class Completion: @unchecked Sendable {
    private let condition = NSCondition()
    private var value: Result<(Case, created: Bool), any Error>?
    private var folder: String?

    func started(thread folder: String?) {
        condition.lock()
        self.folder = folder
        condition.unlock()
    }

    /// Whether the thread is blocked in the system call `number` (Linux: the first field of the
    /// thread's /proc/PID/task/TID/syscall while it sleeps in a call).
    func isBlocked(inSystemCall number: Int) -> Bool {
        condition.lock()
        let folder = self.folder
        condition.unlock()
        guard let folder, let text = try? String(contentsOfFile: folder + "/syscall", encoding: .utf8),
              let first = text.split(separator: " ").first else { return false }
        return Int(first) == number
    }

    var result: Result<(Case, created: Bool), any Error>? {
        condition.lock()
        defer { condition.unlock() }
        return value
    }

    func finish(_ result: Result<(Case, created: Bool), any Error>) {
        condition.lock()
        value = result
        condition.signal()
        condition.unlock()
    }

    func wait() -> Result<(Case, created: Bool), any Error> {
        condition.lock()
        defer { condition.unlock() }
        while value == nil { condition.wait() }
        return value!
    }
}

/// The calling thread's folder under /proc (`/proc/thread-self` links to "PID/task/TID").
private func threadFolder() -> String? {
    var buffer = [CChar](repeating: 0, count: 64)
    guard readlink("/proc/thread-self", &buffer, buffer.count - 1) > 0 else { return nil }
    return "/proc/" + String(cString: buffer)
}

/// flock's system call number (what /proc/.../syscall shows while a thread waits in it).
#if arch(x86_64)
private let flockCall = 73
#elseif arch(arm64)
private let flockCall = 32
#endif
