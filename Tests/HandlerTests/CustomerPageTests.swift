import Foundation
import KaitoriCore
import Testing

/// `site.case_pages`: the customer's review, ID and status pages as files (one host) or rendered
/// by the handler per request from the store (several hosts on one store, docs/scaling.md).
@Suite struct CustomerPageTests {
    /// The sample shop switched to `case_pages: handler` and built again.
    static func handlerShop() throws -> TestShop { try rebuildWithHandler(TestShop()) }

    /// The sample shop built again, so the cases changed by the test's store (no publisher) have
    /// their files.
    static func rebuild(_ shop: TestShop) throws {
        let (status, output) = try TestShop.runTool(Products.cli, ["build", "--site", shop.dir])
        guard status == 0 else { throw CGIRun.Failure("kaitori build failed (\(status)):\n\(output)") }
    }

    @Test func withFilesTheHandlerRendersThePageTheFileHolds() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        try Self.rebuild(shop)
        let token = try #require(record.reviewToken)
        let statusToken = try #require(record.statusToken)
        for path in ["/review/\(token)", "/status/\(statusToken)"] {
            let response = try shop.request("GET", path)
            #expect(response.status == 200, "\(response.log)")
            expectSecurityHeaders(response)
            let file = try String(contentsOfFile: shop.dir + "/public" + path + "/index.html", encoding: .utf8)
            #expect(response.body == file, "\(path): the handler and the file differ")
        }
    }

    @Test func withTheHandlerNoFileIsWrittenAndEveryPageIsRenderedPerRequest() throws {
        let shop = try Self.handlerShop()
        #expect(shop.settings.site.casePages == .files, "TestShop read its settings before the switch")
        let record = try shop.assessedCase()
        let token = try #require(record.reviewToken)
        let statusToken = try #require(record.statusToken)
        #expect(!shop.exists("/review/\(token)/index.html") && !shop.exists("/status/\(statusToken)/index.html"))

        let review = try shop.request("GET", "/review/\(token)/")
        #expect(review.status == 200, "\(review.log)")
        expectSecurityHeaders(review)
        #expect(review.body.contains("Nintendo Switch 本体") && review.body.contains("noindex"))
        let status = try shop.request("GET", "/status/\(statusToken)")
        #expect(status.status == 200 && status.body.contains(record.code))

        // The answer, then the pages as they are now: the review page shows it, the ID page exists.
        let answer = try shop.post("/review/\(token)", .urlencoded([("decision", "all")]))
        #expect(answer.status == 303, "\(answer.log)")
        let kycToken = try #require(try shop.store().openIDCheckToken(caseID: record.id))
        #expect(!shop.exists("/kyc/\(kycToken)/index.html"))
        #expect(try shop.request("GET", "/review/\(token)").body.contains(Case.Decision.all.label))
        let kyc = try shop.request("HEAD", "/kyc/\(kycToken)")
        #expect(kyc.status == 200, "\(kyc.log)")

        // A staff step elsewhere (the CLI, another host) shows at the next request.
        _ = try shop.store().cancel(code: record.code, by: .staff("tester"), settings: shop.settings)
        #expect(try shop.request("GET", "/status/\(statusToken)").body.contains(CaseStatus.canceled.label))
        expectErrorPage(try shop.request("GET", "/kyc/\(kycToken)"), status: 404, back: nil, containing: [CustomerText.unknownLink])
    }

    @Test func anUnknownTokenIs404AndAStatusPageTakesNoPost() throws {
        let shop = try Self.handlerShop()
        let unknown = String(repeating: "a", count: 32)
        for kind in ["review", "kyc", "status"] {
            expectErrorPage(try shop.request("GET", "/\(kind)/\(unknown)"), status: 404, back: nil,
                            containing: [CustomerText.unknownLink])
        }
        let post = try shop.post("/status/\(unknown)", .urlencoded([("x", "1")]))
        #expect(post.status == 405 && post.header("Allow") == "GET, HEAD")
        #expect(try shop.request("GET", "/status/not-a-token").status == 404)
    }

    @Test func aBuildWithTheHandlerRemovesThePageFiles() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        try Self.rebuild(shop)
        #expect(shop.exists("/review/\(record.reviewToken ?? "")/index.html"))
        _ = try Self.rebuildWithHandler(shop)
        #expect(!shop.exists("/review/\(record.reviewToken ?? "")/index.html"))
        #expect(!shop.exists("/status/\(record.statusToken ?? "")/index.html"))
    }

    static func rebuildWithHandler(_ shop: TestShop) throws -> TestShop {
        let path = shop.dir + "/shop.yml"
        var text = try String(contentsOfFile: path, encoding: .utf8)
        let site = try #require(text.range(of: "\nsite:\n"))
        text.insert(contentsOf: "  case_pages: handler\n", at: site.upperBound)
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        try rebuild(shop)
        return shop
    }
}
