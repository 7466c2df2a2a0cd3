import Foundation
import Testing

/// The whole buyback flow through the real binaries, as a shop and its web server run them:
/// apply via kaitori-cgi → confirm → arrive → import items → assess → sell part via kaitori-cgi →
/// ID + signature via kaitori-cgi → verify → purchase → return the declined items → pay.
@Suite(.serialized) struct WholeFlowTests {
    struct CaseView: Decodable {
        struct Item: Decodable { let id: Int64; let name: String; let quantity: Int; let unit_price: Int; let declined: Bool; let return_tracking: String? }
        struct Links: Decodable { let review: String?; let kyc: String? }
        struct History: Decodable { let from: String?; let to: String; let by: String }
        let code: String
        let status: String
        let items: [Item]
        let total: Int
        let accepted_total: Int
        let links: Links
        let history: [History]
    }

    func show(_ site: String, _ code: String) throws -> CaseView {
        try JSONDecoder().decode(CaseView.self, from: try Binaries.kaitori(site, ["case", "show", code, "--json"]).stdout)
    }

    @Test func applyAssessSellPartSignVerifyPurchaseReturnPay() throws {
        let site = try Binaries.makeShop()

        // 1. The customer applies through the handler.
        let applied = try Binaries.cgi(site, path: "/apply", contentType: "application/x-www-form-urlencoded",
                                       body: Forms.urlencoded(Forms.application))
        #expect(applied.status == 303)
        let location = try #require(applied.headers["location"])
        let code = String(try #require(location.split(separator: "/").last))
        #expect(code.count == 9)
        let donePage = try Binaries.cgi(site, method: "GET", path: "/applied/\(code)")
        #expect(donePage.status == 200 && donePage.body.contains(code))

        // 2. Staff: confirm, arrival, items by CSV import, assess.
        try Binaries.kaitori(site, ["case", "confirm", code])
        try Binaries.kaitori(site, ["case", "arrive", code])
        let sheet = FileManager.default.temporaryDirectory.appendingPathComponent("items-\(code).csv").path
        try Binaries.kaitori(site, ["items", "export", code, sheet])
        let header = try #require(try String(contentsOfFile: sheet, encoding: .utf8).split(whereSeparator: \.isNewline).first)
        let columns = header.replacingOccurrences(of: "\u{FEFF}", with: "").split(separator: ",", omittingEmptySubsequences: false).count
        func row(_ name: String, _ quantity: Int, _ price: Int, _ grade: Int, _ comment: String) -> String {
            // id, hash, product_code, jan, name, quantity, unit_price, sale_price, grade, shelf, tags, condition, staff_memo, buyer_comment, weight
            var cells = ["", "", "", "", name, String(quantity), String(price), "", String(grade), "A-01", "", "", "", comment, ""]
            cells += Array(repeating: "", count: max(0, columns - cells.count))
            return cells.joined(separator: ",")
        }
        let csv = [String(header), row("Nikon Z6 ボディ", 1, 62_000, 2, "シャッター回数少なめで高評価です"),
                   row("PS5 DualSense コントローラー", 2, 2_500, 4, "スティックに軽い傾きがあります")].joined(separator: "\r\n") + "\r\n"
        try csv.write(toFile: sheet, atomically: true, encoding: .utf8)
        try Binaries.kaitori(site, ["items", "import", code, sheet])
        try Binaries.kaitori(site, ["case", "assess", code])
        var view = try show(site, code)
        #expect(view.status == "assessed")
        #expect(view.total == 67_000)
        let reviewURL = try #require(view.links.review)
        let reviewToken = String(try #require(reviewURL.split(separator: "/").last))
        #expect(FileManager.default.fileExists(atPath: "\(site)/public/review/\(reviewToken)/index.html"))

        // 3. The customer sells part: declines the controllers. The browser's total is not sent at all.
        let controllers = try #require(view.items.first { $0.name.hasPrefix("PS5") })
        let decided = try Binaries.cgi(site, path: "/review/\(reviewToken)", contentType: "application/x-www-form-urlencoded",
                                       body: Forms.urlencoded([("decision", "part"), ("decline", String(controllers.id))]))
        #expect(decided.status == 303)
        let kycPath = try #require(decided.headers["location"])
        #expect(kycPath.contains("/kyc/"))
        let kycToken = String(try #require(kycPath.split(separator: "/").last))
        view = try show(site, code)
        #expect(view.accepted_total == 62_000)
        let again = try Binaries.cgi(site, path: "/review/\(reviewToken)", contentType: "application/x-www-form-urlencoded",
                                     body: Forms.urlencoded([("decision", "all")]))
        #expect(again.status == 409)

        // 4. ID images and a drawn signature, multipart, through the handler.
        let boundary = "----kaitori\(UUID().uuidString)"
        let signature = "data:image/png;base64," + Forms.png.base64EncodedString()
        let body = Forms.multipart([("id_type", "drivers_license"), ("name", "佐藤 花子"), ("address", "東京都文京区白山1-2-3"),
                                    ("birth_date", "1990-07-15"), ("signature", signature), ("signature_name", ""), ("agree", "on")],
                                   files: [("id_front", "front.png", "image/png", Forms.png), ("id_back", "back.png", "image/png", Forms.png)],
                                   boundary: boundary)
        let kyc = try Binaries.cgi(site, path: "/kyc/\(kycToken)", contentType: "multipart/form-data; boundary=\(boundary)", body: body)
        #expect(kyc.status == 303)
        view = try show(site, code)
        #expect(view.status == "approved")
        let uploads = try FileManager.default.contentsOfDirectory(atPath: "\(site)/var/uploads")
        #expect(uploads.count == 3) // front, back, signature
        for name in uploads {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: "\(site)/var/uploads/\(name)")[.posixPermissions] as? Int)
            #expect(mode & 0o077 == 0)
        }

        // 5. Staff: verify, purchase, return the declined controllers, pay.
        let usage = try Binaries.run("kaitori", ["case", "no-such-action", code, "--site", site])
        #expect(usage.status == 2)
        let early = try Binaries.run("kaitori", ["pay", code, "--site", site])
        #expect(early.status == 1)
        #expect(early.stderr.contains(code))
        try Binaries.kaitori(site, ["id", "verify", code, "--address-check", "本人限定受取郵便 1234-5678-9012"])
        try Binaries.kaitori(site, ["case", "purchase", code])
        try Binaries.kaitori(site, ["case", "return", code, "--carrier", "ヤマト運輸", "--tracking", "4411-2233-5566"])
        try Binaries.kaitori(site, ["pay", code])
        view = try show(site, code)
        #expect(view.status == "paid")
        #expect(view.items.first { $0.id == controllers.id }?.return_tracking == "441122335566")
        #expect(view.history.map(\.to) == ["received", "confirmed", "arrived", "assessing", "assessed", "approved", "purchased", "paid"])
        #expect(view.history.first?.by == "customer")
        #expect(view.history[5].by == "customer")
        #expect(view.history.last?.by == "staff:鈴木")

        // 6. The ledger has the purchased camera with what 古物営業法 asks for, and not the returned controllers.
        let ledger = FileManager.default.temporaryDirectory.appendingPathComponent("ledger-\(code).csv").path
        try Binaries.kaitori(site, ["ledger", "export", ledger])
        let ledgerText = try String(contentsOfFile: ledger, encoding: .utf8)
        #expect(ledgerText.contains("Nikon Z6 ボディ"))
        #expect(!ledgerText.contains("DualSense"))
        #expect(ledgerText.contains("佐藤 花子"))
        #expect(ledgerText.contains("会社員"))
        #expect(ledgerText.contains("文京区白山1-2-3"))
        #expect(ledgerText.contains("1234-5678-9012"))

        // 7. Messages were queued for each customer-facing step.
        let outbox = try Binaries.kaitori(site, ["outbox", "list", "--json"]).text
        for event in ["application_received", "arrived", "assessed", "approved", "purchased", "returned", "paid"] {
            #expect(outbox.contains("\"\(event)\""), "no \(event) message queued")
        }
    }
}
