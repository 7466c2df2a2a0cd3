import Foundation
import KaitoriCore
import Testing

/// The handler seals ID images and signatures with the shop's public key as it stores them, and
/// never has the private key (docs/compliance.md, "Encrypted at rest").
@Suite struct SealingTests {
    /// The shop's private key outside the shop folder, then `kaitori keys init`.
    func keyedShop() throws -> (TestShop, key: String) {
        let shop = try TestShop()
        let keyFolder = try TestShop.temporaryFolder("kaitori-handler-key")
        let key = keyFolder + "/private.key"
        let yml = try String(contentsOfFile: shop.dir + "/shop.yml", encoding: .utf8)
        try yml.replacingOccurrences(of: "private_key: ../kaitori-keys/marufuku.key", with: "private_key: \(key)")
            .write(toFile: shop.dir + "/shop.yml", atomically: true, encoding: .utf8)
        let (status, output) = try TestShop.runTool(Products.cli, ["keys", "init", "--site", shop.dir])
        #expect(status == 0, "\(output)")
        return (shop, key)
    }

    @Test func aKYCPostStoresSealedFilesTheCLIOpens() throws {
        let (shop, key) = try keyedShop()
        defer { try? FileManager.default.removeItem(atPath: (key as NSString).deletingLastPathComponent) }
        let (record, token) = try shop.caseAwaitingID()
        let png = Form.fileBytes("png", size: 5000)
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(["signature": "data:image/png;base64," + Data(png).base64EncodedString(),
                                                                                 "signature_name": ""]), files: Form.idFiles()))
        #expect(response.status == 303, "\(response.log)")
        let files = try #require(try shop.store().idChecks(caseID: record.id).first?.files)
        #expect(files.map(\.kind) == ["id_front", "id_back", "signature"])
        let plain = [Form.fileBytes("jpeg", size: 4096), Form.fileBytes("png"), png]
        for (file, bytes) in zip(files, plain) {
            let onDisk = try #require(FileManager.default.contents(atPath: file.path))
            #expect(file.keyID != nil)
            #expect(!onDisk.starts(with: [0xFF, 0xD8, 0xFF]) && !onDisk.starts(with: [0x89, 0x50, 0x4E, 0x47]))
            // No run of the plain content is readable in the file.
            #expect(onDisk.range(of: Data(bytes[64..<128])) == nil && onDisk.range(of: Data("JFIF".utf8)) == nil)
        }
        // Only the upload's sealed files are left: the plain ones the parser streamed are gone.
        #expect(shop.uploadedFiles().count == 3)

        // The handler's world (the shop folder, var/site.json) has the public key only.
        let secret = Hex.encode(try KeyFiles.readRing(key).current.secretKey)
        let enumerator = try #require(FileManager.default.enumerator(atPath: shop.dir))
        while let name = enumerator.nextObject() as? String {
            guard let data = FileManager.default.contents(atPath: shop.dir + "/" + name) else { continue }
            #expect(data.range(of: Data(secret.utf8)) == nil, "\(name) holds the private key")
        }
        let site = try String(contentsOfFile: shop.dir + "/var/site.json", encoding: .utf8)
        #expect(!site.contains(key) && !site.contains("privateKey"))

        // The CLI opens them with the private key.
        let out = try TestShop.temporaryFolder("kaitori-handler-copy")
        defer { try? FileManager.default.removeItem(atPath: out) }
        let (status, output) = try TestShop.runTool(Products.cli, ["id", "copy", record.code, "--to", out + "/copy", "--site", shop.dir])
        #expect(status == 0, "\(output)")
        let copies = try FileManager.default.contentsOfDirectory(atPath: out + "/copy").sorted()
        #expect(copies.count == 3)
        let front = try #require(copies.first { $0.contains("id_front") })
        #expect(FileManager.default.contents(atPath: out + "/copy/" + front).map(Array.init) == plain[0])
    }

    @Test func withoutAnIDRequirementTheCustomerOnlySignsAndThePurchaseSaysWhy() throws {
        let shop = try TestShop()
        let response = try shop.post("/apply", .application())
        let code = try #require(response.header("Location")?.split(separator: "/").last.map(String.init))
        let store = try shop.store()
        let staff = Actor.staff("tester")
        _ = try store.confirm(code: code, by: staff, settings: shop.settings)
        _ = try store.arrive(code: code, by: staff, settings: shop.settings)
        _ = try store.addItem(code: code, ItemDraft([.name: "一眼レフ用ストラップ", .quantity: "1", .unitPrice: "9999", .category: "camera"]), by: staff)
        let assessed = try store.assess(code: code, by: staff, settings: shop.settings)
        func build() throws {
            let (status, output) = try TestShop.runTool(Products.cli, ["build", "--site", shop.dir])
            #expect(status == 0, "\(output)")
        }
        try build()
        let review = try String(contentsOfFile: shop.dir + "/public/review/\(assessed.reviewToken!)/index.html", encoding: .utf8)
        #expect(review.contains("本人確認書類のご提出は不要です"))
        let (_, outcome) = try store.decide(token: assessed.reviewToken!, decision: .all, declined: [], settings: shop.settings)
        guard case .continueToID(let token) = outcome else { Issue.record("no signature step"); return }
        try build()
        let page = try String(contentsOfFile: shop.dir + "/public/kyc/\(token)/index.html", encoding: .utf8)
        #expect(!page.contains("name=\"id_front\""))
        let signed = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(["id_type": ""])))
        #expect(signed.status == 303, "\(signed.log)")
        #expect(try store.load(code: code).status == .approved)
        let purchased = try store.purchase(code: code, by: staff, settings: shop.settings)
        #expect(purchased.status == .purchased)
        #expect(try store.history(caseID: purchased.id).last?.note.hasPrefix("確認不要（買取金額 9,999円") == true)
    }
}
