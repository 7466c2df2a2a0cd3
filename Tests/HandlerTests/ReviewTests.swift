import Foundation
import KaitoriCore
import Testing

@Suite struct ReviewTests {
    @Test func sellingAllLeadsToTheIDPage() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let token = try #require(record.reviewToken)
        let response = try shop.post("/review/\(token)", .urlencoded([("decision", "all")]))
        #expect(response.status == 303, "\(response.log)")
        expectSecurityHeaders(response)
        let stored = try shop.store().load(code: record.code)
        #expect(stored.decision == .all && stored.status == .assessed)
        let kycToken = try #require(try shop.store().openIDCheckToken(caseID: record.id))
        #expect(response.header("Location") == "/kyc/\(kycToken)/")
        // The pages were regenerated: the ID page exists and the review page shows the answer.
        #expect(shop.exists("/kyc/\(kycToken)/index.html"))
        let reviewPage = try String(contentsOfFile: shop.dir + "/public/review/\(token)/index.html", encoding: .utf8)
        #expect(reviewPage.contains(Case.Decision.all.label))
    }

    @Test func sellingPartDeclinesTheChosenItemsAndRecomputesTheTotal() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let joyCon = try #require(record.items.first { $0.unitPrice == 3000 })
        let response = try shop.post("/review/\(record.reviewToken ?? "")",
                                     .urlencoded([("decision", "part"), ("decline", String(joyCon.id)), ("total", "999999")]))
        #expect(response.status == 303)
        #expect(response.header("Location")?.hasPrefix("/kyc/") == true)
        let stored = try shop.store().load(code: record.code)
        #expect(stored.decision == .part)
        #expect(stored.items.filter(\.declined).map(\.id) == [joyCon.id])
        #expect(stored.acceptedTotal == 10_000)
    }

    @Test func cancelingAllGoesBackToTheReviewPageShowingTheAnswer() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let token = record.reviewToken ?? ""
        let response = try shop.post("/review/\(token)", .urlencoded([("decision", "cancel")]))
        #expect(response.status == 303)
        #expect(response.header("Location") == "/review/\(token)/")
        #expect(try shop.store().load(code: record.code).status == .canceled)
        #expect(try shop.store().db.query("SELECT event FROM outbox").contains { $0.string("event") == "canceled" })
        let page = try String(contentsOfFile: shop.dir + "/public/review/\(token)/index.html", encoding: .utf8)
        #expect(page.contains(Case.Decision.cancel.label))
    }

    @Test func aSecondAnswerIs409ShowingTheFirst() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let token = record.reviewToken ?? ""
        #expect(try shop.post("/review/\(token)", .urlencoded([("decision", "all")])).status == 303)
        let before = try shop.rowCounts()
        let again = try shop.post("/review/\(token)", .urlencoded([("decision", "cancel")]))
        expectErrorPage(again, status: 409, back: "/review/\(token)/",
                        containing: [CustomerText.alreadyAnswered(Case.Decision.all.label)])
        #expect(try shop.rowCounts() == before)
        #expect(try shop.store().load(code: record.code).decision == .all)
    }

    @Test func anExpiredLinkIs410WithTheShopsContactPage() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let before = try shop.rowCounts()
        let later = (record.reviewExpiresAt ?? 0) + 60
        let response = try shop.post("/review/\(record.reviewToken ?? "")", .urlencoded([("decision", "all")]),
                                     environment: ["KAITORI_NOW": String(later)])
        expectErrorPage(response, status: 410, back: shop.settings.site.contactURL, containing: [CustomerText.expired])
        #expect(try shop.rowCounts() == before)
        #expect(try shop.store().load(code: record.code).decision == nil)
    }

    @Test func aCaseThatCannotBeAnsweredIs409() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        _ = try shop.store().cancel(code: record.code, by: .staff("tester"), settings: shop.settings)
        let before = try shop.rowCounts()
        let response = try shop.post("/review/\(record.reviewToken ?? "")", .urlencoded([("decision", "all")]))
        expectErrorPage(response, status: 409, containing: [CustomerText.notOpen])
        #expect(try shop.rowCounts() == before)
    }

    @Test(arguments: [
        ([("decision", "maybe")], CustomerText.decision),
        ([("decline", "1")], CustomerText.decision),
        ([("decision", "part")], CustomerText.declineNone),
        ([("decision", "part"), ("decline", "999999")], CustomerText.unknownItem),
        ([("decision", "part"), ("decline", "999999"), ("step", "confirm")], CustomerText.unknownItem),
    ])
    func invalidAnswersShowTheReviewPageAgainWithTheReason(fields: [(String, String)], message: String) throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let token = record.reviewToken ?? ""
        let before = try shop.rowCounts()
        let response = try shop.post("/review/\(token)", .urlencoded(fields))
        #expect(response.status == 422, "\(response.log)")
        expectSecurityHeaders(response)
        // The review form itself, not a page that only leads back to it.
        #expect(response.body.contains("action=\"/cgi-bin/kaitori/review/\(token)\""))
        #expect(response.body.contains("id=\"error-summary\"") && response.body.contains(message))
        #expect(!response.log.isEmpty)
        #expect(try shop.rowCounts() == before)
        #expect(try shop.store().load(code: record.code).items.allSatisfy { !$0.declined })
    }

    @Test func aNonNumericItemIs422WithALinkBack() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let token = record.reviewToken ?? ""
        let response = try shop.post("/review/\(token)", .urlencoded([("decision", "part"), ("decline", "abc")]))
        expectErrorPage(response, status: 422, back: "/review/\(token)/", containing: [CustomerText.unknownItem])
    }

    @Test func partialSaleIsConfirmedBeforeItIsRecordedAndEditKeepsTheTicks() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let token = record.reviewToken ?? ""
        let joyCon = try #require(record.items.first { $0.unitPrice == 3000 })
        let before = try shop.rowCounts()
        let confirm = try shop.post("/review/\(token)", .urlencoded([("step", "confirm"), ("decision", "part"),
                                                                     ("decline", String(joyCon.id))]))
        #expect(confirm.status == 200, "\(confirm.log)")
        expectSecurityHeaders(confirm)
        #expect(confirm.body.contains("ご回答内容のご確認") && confirm.body.contains("10,000円"))
        #expect(confirm.body.contains("<input type=\"hidden\" name=\"decision\" value=\"part\">"))
        #expect(confirm.body.contains("<input type=\"hidden\" name=\"decline\" value=\"\(joyCon.id)\">"))
        #expect(confirm.body.contains("name=\"step\" value=\"submit\"") && confirm.body.contains("name=\"step\" value=\"edit\""))
        #expect(try shop.rowCounts() == before)
        #expect(try shop.store().load(code: record.code).decision == nil)

        let edit = try shop.post("/review/\(token)", .urlencoded([("step", "edit"), ("decision", "part"),
                                                                  ("decline", String(joyCon.id))]))
        #expect(edit.status == 200)
        #expect(edit.body.contains("value=\"\(joyCon.id)\" checked"))
        #expect(edit.body.contains("value=\"part\" checked"))
        #expect(try shop.store().load(code: record.code).decision == nil)

        let submit = try shop.post("/review/\(token)", .urlencoded([("step", "submit"), ("decision", "part"),
                                                                    ("decline", String(joyCon.id))]))
        #expect(submit.status == 303)
        #expect(try shop.store().load(code: record.code).acceptedTotal == 10_000)
    }

    @Test func confirmingAnAnsweredLinkSaysItIsAnswered() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let token = record.reviewToken ?? ""
        #expect(try shop.post("/review/\(token)", .urlencoded([("decision", "all")])).status == 303)
        let again = try shop.post("/review/\(token)", .urlencoded([("step", "confirm"), ("decision", "cancel")]))
        expectErrorPage(again, status: 409, containing: [CustomerText.alreadyAnswered(Case.Decision.all.label)])
    }

    @Test func decliningEveryItemIsRefused() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let fields = [("decision", "part")] + record.items.map { ("decline", String($0.id)) }
        let response = try shop.post("/review/\(record.reviewToken ?? "")", .urlencoded(fields))
        #expect(response.status == 422 && response.body.contains(CustomerText.declineAll))
        #expect(try shop.store().load(code: record.code).decision == nil)
    }

    @Test func unknownAndMalformedTokensAre404() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let before = try shop.rowCounts()
        let unknown = Identifiers.token()
        expectErrorPage(try shop.post("/review/\(unknown)", .urlencoded([("decision", "all")])), status: 404,
                        containing: [CustomerText.unknownLink])
        expectErrorPage(try shop.post("/review/\(unknown)", .urlencoded([("decision", "maybe")])), status: 404)
        expectErrorPage(try shop.post("/review/' OR 1=1 --", .urlencoded([("decision", "all")])), status: 404)
        expectErrorPage(try shop.post("/review/\(record.reviewToken ?? "")x", .urlencoded([("decision", "all")])), status: 404)
        #expect(try shop.rowCounts() == before)
    }

    @Test func aMultipartAnswerIs415() throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let response = try shop.post("/review/\(record.reviewToken ?? "")", .multipart([("decision", "all")]))
        expectErrorPage(response, status: 415)
        #expect(try shop.store().load(code: record.code).decision == nil)
    }
}
