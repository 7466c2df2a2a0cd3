import Foundation
import KaitoriCore
import Testing

@Suite struct KYCTests {
    @Test func storesTheFilesOwnerOnlyAndApprovesTheCase() throws {
        let shop = try TestShop()
        let (record, token) = try shop.caseAwaitingID()
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(), files: Form.idFiles()))
        #expect(response.status == 303, "\(response.log)")
        expectSecurityHeaders(response)
        #expect(response.header("Location") == "/kyc/\(token)/")

        let stored = try shop.store().load(code: record.code)
        #expect(stored.status == .approved && stored.signatureName == "山田 太郎")
        let checks = try shop.store().idChecks(caseID: record.id)
        #expect(checks.map(\.state) == [.submitted])
        let files = try #require(checks.first?.files)
        #expect(files.map(\.kind) == ["id_front", "id_back"])
        #expect(files.map(\.contentType) == ["image/jpeg", "image/png"])
        let folder = try FileManager.default.attributesOfItem(atPath: shop.uploadsFolder)
        #expect((folder[.posixPermissions] as? Int) == 0o700)
        for file in files {
            #expect(file.path.hasPrefix(shop.uploadsFolder + "/") && !file.path.contains("/public/"))
            #expect(!file.path.hasSuffix(".jpg") && !file.path.contains("front"))
            let attributes = try FileManager.default.attributesOfItem(atPath: file.path)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
        }
        #expect(FileManager.default.contents(atPath: files[0].path).map(Array.init) == Form.fileBytes("jpeg", size: 4096))
        #expect(try shop.store().db.query("SELECT kind FROM events").contains { $0.string("kind") == "approval" })
        #expect(shop.exists("/kyc/\(token)/index.html"))
    }

    @Test func aDrawnSignatureIsStoredAsAPNGFile() throws {
        let shop = try TestShop()
        let (record, token) = try shop.caseAwaitingID()
        let png = Form.fileBytes("png", size: 5000)
        let dataURL = "data:image/png;base64," + Data(png).base64EncodedString()
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(["signature": dataURL, "signature_name": ""]),
                                                                  files: Form.idFiles()))
        #expect(response.status == 303, "\(response.log)")
        let stored = try shop.store().load(code: record.code)
        let signature = try #require(try shop.store().idChecks(caseID: record.id).first?.files.first { $0.kind == "signature" })
        #expect(stored.signatureFileID == signature.id && stored.signatureName == nil)
        #expect(signature.contentType == "image/png" && signature.size == 5000)
        #expect(FileManager.default.contents(atPath: signature.path).map(Array.init) == png)
        let attributes = try FileManager.default.attributesOfItem(atPath: signature.path)
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
    }

    @Test(arguments: ["jpeg", "png", "pdf", "heic"])
    func acceptsEachKindByContent(kind: String) throws {
        let shop = try TestShop()
        let (_, token) = try shop.caseAwaitingID()
        // The declared type and name say JPEG; only the content decides.
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(), files: Form.idFiles(front: kind)))
        #expect(response.status == 303, "\(response.log)")
        let expected = ["jpeg": "image/jpeg", "png": "image/png", "pdf": "application/pdf", "heic": "image/heic"][kind]
        #expect(try shop.rowCounts()["stored_files"] == 2)
        #expect(try shop.store().db.query("SELECT content_type FROM stored_files WHERE kind = 'id_front'").first?.string("content_type") == expected)
    }

    @Test func theBackOfACardWithoutOneIsNeverKept() throws {
        let shop = try TestShop()
        let (record, token) = try shop.caseAwaitingID()
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(["id_type": "my_number"]), files: Form.idFiles()))
        #expect(response.status == 303, "\(response.log)")
        let files = try #require(try shop.store().idChecks(caseID: record.id).first?.files)
        #expect(files.map(\.kind) == ["id_front"])
        #expect(shop.uploadedFiles().count == 1)
    }

    @Test func aFileThatIsNoImageIs415AndNothingIsKept() throws {
        let shop = try TestShop()
        let (record, token) = try shop.caseAwaitingID()
        let before = try shop.rowCounts()
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(), files: Form.idFiles(back: "text")))
        expectErrorPage(response, status: 415, back: "/kyc/\(token)/", containing: [CustomerText.fileKind])
        #expect(try shop.rowCounts() == before)
        #expect(shop.uploadedFiles().isEmpty)
        #expect(try shop.store().load(code: record.code).status == .assessed)
    }

    @Test func everyProblemIsListedIn422AndTheFilesAreDeleted() throws {
        let shop = try TestShop()
        let (_, token) = try shop.caseAwaitingID()
        let before = try shop.rowCounts()
        let fields = Form.kycFields(["name": "", "birth_date": "1985/13/45", "signature_name": "", "agree": ""])
        let response = try shop.post("/kyc/\(token)", .multipart(fields, files: Form.idFiles(back: nil)))
        expectErrorPage(response, status: 422, back: "/kyc/\(token)/", containing: [
            CustomerText.idBack, CustomerText.required("お名前"), CustomerText.dateImpossible("生年月日", "1985年13月45日"), CustomerText.signature,
            CustomerText.kycAgree,
        ])
        #expect(try shop.rowCounts() == before)
        #expect(shop.uploadedFiles().isEmpty)
    }

    @Test(arguments: [
        ("data:image/png;base64,!!!!", CustomerText.signatureImage),
        ("data:image/jpeg;base64,/9j/4AAQ", CustomerText.signatureImage),
        ("data:image/png;base64," + Data("not a png at all, but long enough to be something".utf8).base64EncodedString(),
         CustomerText.signatureImage),
    ])
    func anUnreadableSignatureIs422(dataURL: String, message: String) throws {
        let shop = try TestShop()
        let (_, token) = try shop.caseAwaitingID()
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(["signature": dataURL]), files: Form.idFiles()))
        expectErrorPage(response, status: 422, containing: [message])
        #expect(shop.uploadedFiles().isEmpty)
    }

    @Test func aFileOverTheLimitIs413AndNothingIsKept() throws {
        let shop = try TestShop()
        let (_, token) = try shop.caseAwaitingID()
        let before = try shop.rowCounts()
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(),
                                                                  files: Form.idFiles(frontSize: shop.settings.uploads.maxFileBytes + 1)))
        expectErrorPage(response, status: 413, back: "/kyc/\(token)/")
        #expect(try shop.rowCounts() == before)
        #expect(shop.uploadedFiles().isEmpty)
    }

    @Test func aSecondSubmissionIs409() throws {
        let shop = try TestShop()
        let (_, token) = try shop.caseAwaitingID()
        #expect(try shop.post("/kyc/\(token)", .multipart(Form.kycFields(), files: Form.idFiles())).status == 303)
        let before = try shop.rowCounts()
        let uploads = shop.uploadedFiles()
        let again = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(), files: Form.idFiles()))
        expectErrorPage(again, status: 409, back: "/kyc/\(token)/", containing: [CustomerText.alreadySubmitted])
        #expect(try shop.rowCounts() == before)
        #expect(shop.uploadedFiles() == uploads)
    }

    @Test func anUnknownLinkIs404BeforeAnyFileIsWritten() throws {
        let shop = try TestShop()
        _ = try shop.caseAwaitingID()
        let before = try shop.rowCounts()
        let response = try shop.post("/kyc/\(Identifiers.token())", .multipart(Form.kycFields(), files: Form.idFiles()))
        expectErrorPage(response, status: 404, containing: [CustomerText.unknownLink])
        #expect(try shop.rowCounts() == before)
        #expect(!FileManager.default.fileExists(atPath: shop.uploadsFolder))
    }

    @Test func aSupersededLinkIs409BeforeAnyFileIsWritten() throws {
        let shop = try TestShop()
        let (record, oldToken) = try shop.caseAwaitingID()
        let newToken = try shop.store().openIDCheck(caseID: record.id)
        let before = try shop.rowCounts()
        let response = try shop.post("/kyc/\(oldToken)", .multipart(Form.kycFields(), files: Form.idFiles()))
        expectErrorPage(response, status: 409, containing: [CustomerText.notOpen])
        #expect(try shop.rowCounts() == before)
        #expect(!FileManager.default.fileExists(atPath: shop.uploadsFolder))
        #expect(try shop.post("/kyc/\(newToken)", .multipart(Form.kycFields(), files: Form.idFiles())).status == 303)
    }

    @Test func aCanceledCaseCannotTakeAnID() throws {
        let shop = try TestShop()
        let (record, token) = try shop.caseAwaitingID()
        _ = try shop.store().cancel(code: record.code, by: .staff("tester"), settings: shop.settings)
        let before = try shop.rowCounts()
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(), files: Form.idFiles()))
        expectErrorPage(response, status: 409, containing: [CustomerText.notOpen])
        #expect(try shop.rowCounts() == before)
        #expect(shop.uploadedFiles().isEmpty)
    }

    @Test func aURLEncodedPostIs415() throws {
        let shop = try TestShop()
        let (record, token) = try shop.caseAwaitingID()
        expectErrorPage(try shop.post("/kyc/\(token)", .urlencoded(Form.kycFields())), status: 415)
        #expect(try shop.store().idChecks(caseID: record.id).map(\.state) == [.open])
    }
}
