import Foundation
import KaitoriCore
import StoreTestSupport
import Testing

@Suite struct IDReviewTests {
    @Test(arguments: StoreBackend.all) func requestOpensANewLinkAndQueuesTheMessage(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approvedCase()
        let (_, token) = try shop.store.requestID(code: approved.code, by: Shop.staff, settings: shop.settings)
        #expect(try shop.store.openIDCheckToken(caseID: approved.id) == token)
        let body = try #require(try shop.outbox(approved, event: "id_requested").last)
        #expect(body.contains("/kyc/\(token)/"))
        let (_, second) = try shop.store.requestID(code: approved.code, by: Shop.staff, settings: shop.settings)
        let checks = try shop.store.idChecks(caseID: approved.id)
        #expect(checks.first { $0.token == token }?.state == .rejected)
        #expect(checks.last?.token == second && checks.last?.state == .open)
    }

    @Test(arguments: StoreBackend.all) func requestIsRefusedBeforeTheAssessment(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let arrived = try shop.arrivedCase()
        #expect(throws: StoreError.refused(code: arrived.code, reason: "cannot request an ID while the case is arrived (着荷済み); the ID page accepts uploads once the case is assessed, approved or purchased")) {
            try shop.store.requestID(code: arrived.code, by: Shop.staff, settings: shop.settings)
        }
    }

    @Test(arguments: StoreBackend.all) func purchaseIsRefusedWithoutAVerifiedID(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approvedCase()
        #expect(throws: StoreError.refused(code: approved.code, reason: "cannot purchase: no verified ID (run `kaitori id verify \(approved.code)` first); the ID check is required: 買取金額 10,000円（基準 10,000円 以上）、確認必須の品目なし")) {
            try shop.store.purchase(code: approved.code, by: Shop.staff, settings: shop.settings)
        }
        #expect(try shop.store.load(code: approved.code).status == .approved)
        #expect(try shop.store.stockList().entries.isEmpty)
    }

    @Test(arguments: StoreBackend.all) func verifyByUploadNeedsTheAddressCheck(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approvedCase()
        #expect(throws: StoreError.refused(code: approved.code, reason: "an ID verified by upload needs the address check: how the address on the ID was confirmed (e.g. the tracking number of a 本人限定受取郵便)")) {
            try shop.store.verifyID(code: approved.code, addressCheck: "  ", by: Shop.staff)
        }
        let check = try shop.store.verifyID(code: approved.code, addressCheck: "本人限定受取郵便 1234", note: "画像鮮明", by: Shop.staff)
        #expect(check.state == .verified && check.reviewedBy == "tester" && check.addressConfirmation == "本人限定受取郵便 1234")
        #expect(try shop.store.verificationMethod(ofCheck: check.id) == "upload")
        let purchased = try shop.store.purchase(code: approved.code, by: Shop.staff, settings: shop.settings)
        #expect(purchased.status == .purchased)
        #expect(try shop.store.stockList().entries.map(\.item.id) == [approved.items[0].id])
    }

    @Test(arguments: StoreBackend.all) func otherMethodsAreAnOpenList(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approvedCase()
        _ = try shop.store.verifyID(code: approved.code, method: "face_to_face", addressCheck: "", by: Shop.staff)
        let verified = try #require(try shop.store.verifiedID(caseID: approved.id))
        #expect(verified.method == "face_to_face" && verified.check.addressConfirmation == nil)
    }

    @Test(arguments: StoreBackend.all) func verifyNeedsASubmission(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let assessed = try shop.assessedCase()
        #expect(throws: StoreError.refused(code: assessed.code, reason: "no submitted ID to verify (no ID request yet); ask for one with `kaitori id request \(assessed.code)`")) {
            try shop.store.verifyID(code: assessed.code, addressCheck: "x", by: Shop.staff)
        }
        _ = try shop.store.requestID(code: assessed.code, by: Shop.staff, settings: shop.settings)
        let error = try #require(throws: StoreError.self) { try shop.store.verifyID(code: assessed.code, addressCheck: "x", by: Shop.staff) }
        #expect(error.description.hasPrefix("case \(assessed.code): the customer has not uploaded an ID yet"))
    }

    @Test(arguments: StoreBackend.all) func rejectNeedsAReasonAndSettlesTheSubmission(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approvedCase()
        #expect(throws: StoreError.refused(code: approved.code, reason: "give the reason for rejecting the ID (--note)")) {
            try shop.store.rejectID(code: approved.code, note: " ", by: Shop.staff)
        }
        let check = try shop.store.rejectID(code: approved.code, note: "画像が不鮮明", by: Shop.staff)
        #expect(check.state == .rejected && check.note == "画像が不鮮明")
        #expect(try shop.store.list(CaseQuery(needsActionOnly: true)).first { $0.code == approved.code }?.needsAction == "verify ID and purchase")
        let error = try #require(throws: StoreError.self) { try shop.store.rejectID(code: approved.code, note: "again", by: Shop.staff) }
        #expect(error.description.contains("no submitted or open ID request to reject (latest request: rejected by tester)"))
    }

    @Test(arguments: StoreBackend.all) func verifyingSettlesEarlierPassedOverSubmissions(_ backend: StoreBackend) throws {
        let shop = try Shop(backend)
        let approved = try shop.approvedCase()
        let (_, token) = try shop.store.requestID(code: approved.code, by: Shop.staff, settings: shop.settings)
        // What the handler does first: the upload is on disk (PostgreSQL stores copy it into the database).
        try #require(FileManager.default.createFile(atPath: shop.site + "/var/uploads/passport.jpg", contents: Data([0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3, 4])))
        _ = try shop.store.submitID(token: token, IDSubmission(idType: "passport", name: "山田 太郎", address: "埼玉県", birthDate: "1985-04-12",
                                                             files: [(kind: "id_front", path: "var/uploads/passport.jpg", contentType: "image/jpeg", size: 8)],
                                                             signatureName: nil), settings: shop.settings)
        let verified = try shop.store.verifyID(code: approved.code, addressCheck: "転送不要書留 99", by: Shop.staff)
        let states = try shop.store.idChecks(caseID: approved.id).map(\.state)
        #expect(states == [.rejected, .verified])
        #expect(verified.idType == "passport")
    }
}
