import Foundation
import KaitoriCore
import Testing

/// The statuses of interfaces.md that are not about one route's rules: malformed requests,
/// unknown paths and methods, sizes, media types and an unavailable store.
@Suite struct ErrorStatusTests {
    @Test func aMalformedBodyIs400() throws {
        let shop = try TestShop()
        let broken = Array("name=%E5%B1%B&agree=on".utf8)
        expectErrorPage(try shop.request("POST", "/apply", body: broken, contentType: "application/x-www-form-urlencoded"),
                        status: 400, back: "/apply/")
        // A body shorter than its CONTENT_LENGTH (a client that gave up halfway).
        let short = Form.application()
        expectErrorPage(try shop.request("POST", "/apply", body: short.body, contentType: short.contentType,
                                         contentLength: short.body.count + 100), status: 400)
        expectErrorPage(try shop.request("POST", "/apply", body: short.body, contentType: "multipart/form-data"), status: 400)
        #expect(try shop.rowCounts().values.allSatisfy { $0 == 0 })
    }

    @Test func unknownPathsAre404() throws {
        let shop = try TestShop()
        for path in ["", "/", "/admin", "/apply/extra", "/review", "/kyc/", "/../var/kaitori.sqlite3", "/applied/", "apply",
                     "//apply", "/apply//", "/review/\(Identifiers.token())/extra", "/applied/K7QX-3M9A/x", "/APPLY"] {
            expectErrorPage(try shop.request("POST", path, body: Form.application().body,
                                             contentType: "application/x-www-form-urlencoded"), status: 404)
        }
        #expect(try shop.rowCounts().values.allSatisfy { $0 == 0 })
    }

    @Test func wrongMethodsAre405WithAllow() throws {
        let shop = try TestShop()
        let get = try shop.request("GET", "/apply")
        expectErrorPage(get, status: 405)
        #expect(get.header("Allow") == "POST")
        let token = Identifiers.token()
        // GET on a token route is the page itself (CustomerPageTests); other methods are refused.
        let delete = try shop.request("DELETE", "/review/\(token)")
        expectErrorPage(delete, status: 405)
        #expect(delete.header("Allow") == "POST, GET, HEAD")
        expectErrorPage(try shop.request("PUT", "/kyc/\(token)"), status: 405)
        let post = try shop.request("POST", "/applied/K7QX-3M9A")
        expectErrorPage(post, status: 405)
        #expect(post.header("Allow") == "GET, HEAD")
    }

    @Test func aBodyOverTheLimitIs413BeforeItIsRead() throws {
        let shop = try TestShop()
        // Nothing on stdin: had the handler tried to read the announced body, it would answer 400.
        let huge = shop.settings.uploads.maxRequestBytes + 1
        expectErrorPage(try shop.request("POST", "/apply", contentType: "application/x-www-form-urlencoded", contentLength: huge),
                        status: 413, back: "/apply/")
        let (_, token) = try shop.caseAwaitingID()
        let before = try shop.rowCounts()
        expectErrorPage(try shop.request("POST", "/kyc/\(token)", contentType: "multipart/form-data; boundary=x", contentLength: huge),
                        status: 413)
        #expect(try shop.rowCounts() == before)
        #expect(!FileManager.default.fileExists(atPath: shop.uploadsFolder))
    }

    @Test func anUnknownMediaTypeIs415() throws {
        let shop = try TestShop()
        let response = try shop.request("POST", "/apply", body: Array("name=x".utf8), contentType: "text/plain")
        expectErrorPage(response, status: 415, back: "/apply/")
        #expect(try shop.rowCounts().values.allSatisfy { $0 == 0 })
    }

    @Test func aLockedStoreIs503AndNothingChanges() throws {
        let shop = try TestShop()
        _ = try shop.store()
        let holder = try Database(path: shop.database)
        try holder.execute("BEGIN IMMEDIATE")
        // The handler waits out its busy timeout, then gives up.
        let response = try shop.post("/apply", .application())
        try holder.execute("ROLLBACK")
        expectErrorPage(response, status: 503, back: "/apply/", containing: [CustomerText.unavailable])
        #expect(try shop.rowCounts().values.allSatisfy { $0 == 0 })
    }

    @Test func aStoreThatCannotBeOpenedIs503() throws {
        let shop = try TestShop()
        try FileManager.default.createDirectory(atPath: shop.database, withIntermediateDirectories: true)
        expectErrorPage(try shop.post("/apply", .application()), status: 503, containing: [CustomerText.unavailable])
    }

    @Test(.enabled(if: geteuid() != 0, "root writes to read-only files regardless"))
    func aReadOnlyStoreIs503AndNothingChanges() throws {
        let shop = try TestShop()
        _ = try shop.store()
        for path in [shop.database, shop.dir + "/var"] {
            try FileManager.default.setAttributes([.posixPermissions: path.hasSuffix("var") ? 0o500 : 0o400], ofItemAtPath: path)
        }
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o700], ofItemAtPath: shop.dir + "/var") }
        expectErrorPage(try shop.post("/apply", .application()), status: 503)
        #expect(try shop.count("cases") == 0)
    }

    @Test func aSiteNeverBuiltIs503WithABuiltInPage() throws {
        let shop = try TestShop()
        try FileManager.default.removeItem(atPath: shop.dir + "/var/site.json")
        let response = try shop.post("/apply", .application())
        expectErrorPage(response, status: 503, back: "/", containing: [CustomerText.siteNotReady])
        #expect(try shop.rowCounts().values.allSatisfy { $0 == 0 })

        let unset = try CGIRun.run(site: nil, method: "POST", path: "/apply", body: Form.application().body,
                                   contentType: "application/x-www-form-urlencoded")
        expectErrorPage(unset, status: 503, containing: [CustomerText.siteNotReady])
    }
}
