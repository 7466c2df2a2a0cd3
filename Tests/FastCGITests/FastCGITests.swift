import Foundation
import Testing
import Synchronization

/// `kaitori-fcgi` as a web server runs it: one persistent process on a Unix socket, spoken to in
/// FastCGI records.
@Suite(.serialized) struct FastCGITests {
    @Test func twoApplicationsInARowOnOneProcessAreBothStored() throws {
        let app = try FastCGIApp()
        let first = try app.post("/apply", FastCGIApp.application(name: "山田 太郎"))
        let second = try app.post("/apply", FastCGIApp.application(name: "佐藤 花子"))
        #expect(first.status == 303 && second.status == 303, "\(app.stderr)")
        let codes = [first, second].compactMap { $0.header("Location")?.components(separatedBy: "/applied/").last }
        #expect(codes.count == 2 && codes[0] != codes[1])
        #expect(first.header("Location")?.hasPrefix("/kaitori.fcgi/applied/") == true)
        #expect(first.header("Content-Security-Policy") != nil && first.header("Cache-Control") == "no-store")
        #expect(try app.count("cases") == 2 && app.count("customers") == 2)
        let names = try FastCGIApp.run("/usr/bin/sqlite3", [app.database, "SELECT name FROM customers ORDER BY case_id"])
        #expect(names.split(separator: "\n") == ["山田 太郎", "佐藤 花子"])
        // The applied page is rendered by the same process, from the templates it keeps.
        let page = try app.get("/applied/\(codes[1])")
        #expect(page.status == 200 && page.body.contains(codes[1]))
        #expect(app.process.isRunning)
    }

    @Test func aMalformedRecordOrRequestFailsThatRequestOnly() throws {
        let app = try FastCGIApp()
        let pid = app.process.processIdentifier

        // Not FastCGI at all: the connection is dropped unanswered.
        let garbage = try FastCGIClient.Connection(path: app.socketPath)
        try garbage.send(Array("GET / HTTP/1.1\r\nHost: x\r\n\r\n".utf8))
        #expect(try garbage.readReplyIfAny() == nil)

        // A record of an unknown protocol version.
        let version = try FastCGIClient.Connection(path: app.socketPath)
        var records = FastCGIClient.requestRecords(app.params("POST", "/apply"), body: [])
        records[0] = 9
        try version.send(records)
        #expect(try version.readReplyIfAny() == nil)

        // Parameters whose declared length runs past the record.
        let params = try FastCGIClient.Connection(path: app.socketPath)
        try params.send(FastCGIClient.record(.beginRequest, [0, 1, 0, 0, 0, 0, 0, 0])
                        + FastCGIClient.record(.params, [0x7F, 0x7F, 65, 66]) + FastCGIClient.record(.params, []))
        #expect(try params.readReplyIfAny() == nil)

        // A body shorter than CONTENT_LENGTH: that request is refused, nothing stored.
        let short = FastCGIApp.application()
        let cut = try app.client.request(app.params("POST", "/apply", contentType: "application/x-www-form-urlencoded",
                                                    contentLength: short.count + 100), body: short)
        #expect(cut.status == 400, "\(cut.body.prefix(200))")

        // A CONTENT_LENGTH that is not a number.
        var lying = app.params("POST", "/apply", contentType: "application/x-www-form-urlencoded")
        lying["CONTENT_LENGTH"] = "12x"
        #expect(try app.client.request(lying, body: short).status == 400)

        // A client that leaves in the middle of its body.
        do {
            let leaving = try FastCGIClient.Connection(path: app.socketPath)
            let body = FastCGIApp.application()
            try leaving.send(FastCGIClient.requestRecords(app.params("POST", "/apply", contentType: "application/x-www-form-urlencoded",
                                                                     contentLength: body.count),
                                                          body: Array(body.prefix(40)), endStdin: false))
        }
        #expect(try app.count("cases") == 0)

        // The same process then stores the next good application.
        let good = try app.post("/apply", FastCGIApp.application())
        #expect(good.status == 303, "\(app.stderr)")
        #expect(try app.count("cases") == 1)
        #expect(app.process.isRunning && app.process.processIdentifier == pid)
        // Not silently: the log says connections were closed unread (written just after the close).
        var waited = 0
        while !app.stderr.contains("closed before its request could be read"), waited < 40 { usleep(50_000); waited += 1 }
        #expect(app.stderr.contains("closed before its request could be read"), "\(app.stderr)")
    }

    /// A web server may connect first and write its request a moment later (lighttpd under load):
    /// the connection is answered, not dropped. (libfcgi's own accept closed a Unix-socket
    /// connection whose first bytes took over 2 s, and lighttpd answered the customer 500.)
    @Test func aConnectionWhoseRequestComesLateIsStillAnswered() throws {
        let app = try FastCGIApp(threads: 1)
        // First a connection closed with nothing sent: libfcgi fails to read it and, left to
        // itself, would accept the next one with its 2 s wait.
        do { _ = try FastCGIClient.Connection(path: app.socketPath) }
        let late = try FastCGIClient.Connection(path: app.socketPath)
        usleep(2_500_000)
        let body = FastCGIApp.application()
        try late.send(FastCGIClient.requestRecords(app.params("POST", "/apply", contentType: "application/x-www-form-urlencoded",
                                                              contentLength: body.count), body: body))
        let reply = try late.readReply()
        #expect(reply.status == 303, "\(app.stderr)")
        #expect(try app.count("cases") == 1)
        #expect(try app.get("/status/nope/").status == 404)
    }

    /// A thread that waited in the shop's write queue keeps no timer: the first timer of a process
    /// (kernel id 0, a nil `timer_t` in Swift) was never deleted, and from 30 s on it sent the
    /// thread SIGALRM every 50 ms, which dropped a request whose first records were being read
    /// (docs/performance.md). /proc/PID/timers lists a process's POSIX timers.
    @Test func aThreadThatWaitedInTheWriteQueueKeepsNoTimer() throws {
        let app = try FastCGIApp(threads: 1)
        let timers = "/proc/\(app.process.processIdentifier)/timers"
        #expect(try String(contentsOfFile: timers, encoding: .utf8).isEmpty, "a timer before any wait")
        let queue = open(app.database + "-writer", O_RDWR | O_CREAT, 0o600)
        #expect(queue >= 0 && flock(queue, LOCK_EX) == 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.5) { flock(queue, LOCK_UN); close(queue) }
        let started = Date()
        #expect(try app.post("/apply", FastCGIApp.application()).status == 303, "\(app.stderr)")
        #expect(Date().timeIntervalSince(started) >= 0.4, "the post did not wait in the queue")
        let left = try String(contentsOfFile: timers, encoding: .utf8)
        #expect(left.isEmpty, "timers left after the wait: \(left)")
    }

    @Test func settingsPublishedByABuildAnswerTheNextRequest() throws {
        let app = try FastCGIApp()
        let code = "K7QX-3M9A"
        #expect(try app.get("/applied/\(code)").body.contains("まる福 宅配買取センター"))
        let settings = app.site + "/shop.yml"
        let yaml = try String(contentsOfFile: settings, encoding: .utf8)
        try yaml.replacingOccurrences(of: "name: まる福 宅配買取センター", with: "name: まる福 新店舗")
            .write(toFile: settings, atomically: true, encoding: .utf8)
        // Not published yet: the process keeps answering with the published settings.
        #expect(try app.get("/applied/\(code)").body.contains("まる福 宅配買取センター"))
        try FastCGIApp.kaitori(["build", "--site", app.site])
        let after = try app.get("/applied/\(code)")
        #expect(after.body.contains("まる福 新店舗") && !after.body.contains("まる福 宅配買取センター"))

        // The store it keeps open is reopened when the database file is replaced (a restore):
        // the case goes to the file that is there now, not to the one moved away.
        #expect(try app.post("/apply", FastCGIApp.application()).status == 303)
        try FileManager.default.moveItem(atPath: app.database, toPath: app.database + ".old")
        for suffix in ["-wal", "-shm"] { try? FileManager.default.removeItem(atPath: app.database + suffix) }
        #expect(try app.post("/apply", FastCGIApp.application()).status == 303, "\(app.stderr)")
        #expect(try app.count("cases") == 1)
    }

    /// Posts arriving together are committed together (one fsync for several), and each is
    /// answered only once its case is stored: every 303 is a case, with its own code.
    @Test func applicationsArrivingTogetherAreCommittedInBatches() throws {
        let app = try FastCGIApp(threads: 8)
        let clients = 16, each = 8
        let replies = Mutex<[FastCGIClient.Reply?]>(Array(repeating: nil, count: clients * each))
        // The shop's write queue held for a moment (as a long staff step would): the first batch
        // waits in it, and the posts arriving meanwhile must all go into the next commit.
        let queue = open(app.database + "-writer", O_RDWR | O_CREAT, 0o600)
        #expect(queue >= 0 && flock(queue, LOCK_EX) == 0)
        DispatchQueue.global().asyncAfter(deadline: .now() + 1.0) { flock(queue, LOCK_UN); close(queue) }
        // One thread per client (concurrentPerform would run only as many as there are cores).
        let finished = DispatchGroup()
        for client in 0..<clients {
            finished.enter()
            Thread {
                for n in 0..<each {
                    let reply = try? app.post("/apply", FastCGIApp.application(name: "並行 \(client)-\(n)"))
                    replies.withLock { $0[client * each + n] = reply }
                }
                finished.leave()
            }.start()
        }
        finished.wait()
        let all = replies.withLock { $0 }
        #expect(all.allSatisfy { $0?.status == 303 }, "\(app.stderr)")
        let codes = Set(all.compactMap { $0?.header("Location")?.components(separatedBy: "/applied/").last })
        #expect(codes.count == clients * each)
        #expect(try app.count("cases") == clients * each && app.count("customers") == clients * each)
        let stored = try FastCGIApp.run("/usr/bin/sqlite3", [app.database, "SELECT code FROM cases"])
        #expect(Set(stored.split(separator: "\n").map(String.init)) == codes)
        // The process says how it committed them: fewer commits than applications.
        kill(app.process.processIdentifier, SIGTERM)
        app.process.waitUntilExit()
        let summary = try #require(app.stderr.split(separator: "\n").last { $0.contains("application(s) stored in") })
        let numbers = summary.split(whereSeparator: { !$0.isNumber }).compactMap { Int($0) }
        #expect(numbers.count == 3 && numbers[0] == clients * each && numbers[1] < clients * each && numbers[2] >= 2, "\(summary)")
    }

    @Test func sigtermStopsAfterTheRequestInProgress() throws {
        let app = try FastCGIApp()
        let body = FastCGIApp.application()
        let connection = try FastCGIClient.Connection(path: app.socketPath)
        let records = FastCGIClient.requestRecords(app.params("POST", "/apply", contentType: "application/x-www-form-urlencoded",
                                                              contentLength: body.count), body: body)
        // Half the request, then the signal, then the rest: the request is answered and stored.
        try connection.send(Array(records.prefix(records.count / 2)))
        usleep(200_000)
        kill(app.process.processIdentifier, SIGTERM)
        usleep(200_000)
        #expect(app.process.isRunning)
        try connection.send(Array(records.dropFirst(records.count / 2)))
        let reply = try connection.readReply()
        #expect(reply.status == 303, "\(app.stderr)")
        app.process.waitUntilExit()
        #expect(app.process.terminationReason == .exit && app.process.terminationStatus == 0)
        #expect(try app.count("cases") == 1)
    }

    @Test func memoryStaysFlatFromOneThousandToTenThousandRequests() throws {
        let app = try FastCGIApp()
        let stored = try app.post("/apply", FastCGIApp.application())
        let code = try #require(stored.header("Location")?.components(separatedBy: "/applied/").last)
        let invalid = FastCGIApp.application(name: "")  // お名前 missing: 422
        func serve(_ count: Int) throws {
            for i in 0..<count {
                // The three answers a persistent handler gives most: a page, a 422 form, an error page.
                let reply: FastCGIClient.Reply
                switch i % 3 {
                case 0: reply = try app.get("/applied/\(code)")
                case 1: reply = try app.post("/apply", invalid)
                default: reply = try app.get("/nowhere")
                }
                guard [200, 422, 404].contains(reply.status) else { throw Failure("request \(i): \(reply.status) \(app.stderr)") }
            }
        }
        try serve(1_000)
        let afterThousand = app.residentKB
        try serve(9_000)
        let afterTenThousand = app.residentKB
        print("kaitori-fcgi RSS: \(afterThousand) kB after 1,000 requests, \(afterTenThousand) kB after 10,000")
        #expect(afterThousand > 0)
        // Flat: nine thousand more requests may not add more than 5% (allocator noise), where a
        // leak of even 100 bytes a request would add 900 kB.
        #expect(afterTenThousand <= afterThousand + afterThousand / 20, "\(afterThousand) kB -> \(afterTenThousand) kB")
        #expect(try app.count("cases") == 1)
    }
}
