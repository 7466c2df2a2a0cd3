import Foundation
import KaitoriCore
import Testing

/// The console's pages through the built `kaitori-staff`, run as a web server runs it, signed in
/// through the login page. Rules are the core's (tested there); these check that each page calls
/// them, under the signed-in name, and answers as interfaces.md says.
@Suite(.serialized) struct PagesTests {
    @Test func purchaseBeforeTheIDIsVerifiedIsRefusedWithTheCLIsWords() throws {
        let p = try PagesShop()
        let approved = try p.approvedCase()
        let reply = try p.post("/cases/\(approved.code)/purchase")
        #expect(reply.status == 409)
        let cli = try p.shop.kaitori(["case", "purchase", approved.code])
        #expect(cli.status == 1)
        let message = cli.output.trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "kaitori: ", with: "")
        #expect(message.contains("no verified ID"))
        #expect(reply.body.contains(message.htmlEscaped), "the page does not show the CLI's message \(message)")
        #expect(reply.body.contains("id=\"refusal\""))
        #expect(try p.status(approved.code) == .approved)
    }

    @Test func aStepRedirectsBackToTheCaseAndIsRecordedUnderTheSignedInName() throws {
        let p = try PagesShop()
        let c = try p.receivedCase()
        let reply = try p.post("/cases/\(c.code)/confirm", as: true)
        #expect(reply.status == 303)
        #expect(reply.header("Location") == "/staff/cases/\(c.code)?done=confirm")
        #expect(try p.status(c.code) == .confirmed)
        #expect(try p.store.history(caseID: c.id).last?.by == .staff(PagesShop.clerk))
        let page = try p.get("/cases/\(c.code)", query: "done=confirm", as: true)
        #expect(page.status == 200 && page.body.contains("申込を確定しました"))
        #expect(page.body.contains("着荷済みとしてマーク"))
    }

    @Test func aClerkPostingToAnOwnerRouteIsForbiddenAndNothingChanges() throws {
        let p = try PagesShop()
        let purchased = try p.purchasedCase()
        #expect(try p.post("/cases/\(purchased.code)/pay", as: true).status == 403)
        #expect(try p.post("/payments/pay", [("codes", purchased.code)], as: true).status == 403)
        #expect(try p.post("/payments/zengin", [("date", "1225")], as: true).status == 403)
        #expect(try p.get("/payments", as: true).status == 403)
        #expect(try p.status(purchased.code) == .purchased)
        #expect(try p.store.payableBankTransfers().count == 1, "a payout batch was recorded")
        // The owner may.
        let paid = try p.post("/cases/\(purchased.code)/pay")
        #expect(paid.status == 303)
        #expect(try p.status(purchased.code) == .paid)
        #expect(try p.store.history(caseID: purchased.id).last?.by == .staff(PagesShop.owner))
    }

    @Test func anIDFileIsServedOnlyUnderItsOwnCase() throws {
        let p = try PagesShop()
        let mine = try p.approvedCase(name: "山田 太郎")
        let other = try p.approvedCase(name: "鈴木 花子")
        let file = try #require(try p.store.idChecks(caseID: mine.id).last?.files.first)
        let served = try p.get("/cases/\(mine.code)/files/\(file.id)")
        #expect(served.status == 200)
        #expect(served.header("Content-Type") == "image/png")
        #expect(served.header("Cache-Control") == "no-store")
        #expect(served.header("Content-Disposition")?.hasPrefix("inline") == true)
        #expect(try p.get("/cases/\(other.code)/files/\(file.id)").status == 404)
        #expect(try p.get("/cases/\(mine.code)/files/999999").status == 404)
        #expect(try p.get("/cases/\(mine.code)/files/x").status == 404)
        // The case page shows it inline in the ID tab.
        let page = try p.get("/cases/\(mine.code)")
        #expect(page.body.contains("<img src=\"/staff/cases/\(mine.code)/files/\(file.id)\""))
    }

    @Test func theListSearchesFiltersAndExportsCSVWithFormulasNeutralized() throws {
        let p = try PagesShop()
        let plain = try p.receivedCase(name: "佐藤 花子", kana: "サトウ ハナコ", phone: "09011112222")
        let formula = try p.confirmedCase(name: "=HYPERLINK(\"http://x\")", kana: "イコール", phone: "09033334444")
        let found = try p.get("/cases", query: "q=%E3%82%B5%E3%83%88%E3%82%A6")   // サトウ
        #expect(found.status == 200 && found.body.contains(plain.code) && !found.body.contains(formula.code))
        #expect(found.body.contains("要対応："), "the red dot has no words")
        let byStatus = try p.get("/cases", query: "status=confirmed")
        #expect(byStatus.body.contains(formula.code) && !byStatus.body.contains(plain.code))
        let waiting = try p.get("/cases", query: "waiting=applications")
        #expect(waiting.body.contains(plain.code) && !waiting.body.contains(formula.code))
        #expect(try p.get("/cases", query: "from=2024-13-40").status == 422)

        let csv = try p.get("/cases.csv", query: "status=confirmed")
        #expect(csv.status == 200 && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
        #expect(csv.header("Content-Disposition")?.hasPrefix("attachment") == true)
        #expect(csv.body.contains("\"'=HYPERLINK(\"\"http://x\"\")\""))
        #expect(!csv.body.contains(plain.code))
    }

    @Test func bulkArrivalMovesTheTickedCasesAndKeepsEveryMemo() throws {
        let p = try PagesShop()
        let ticked = try p.confirmedCase(name: "一括 太郎", kana: "イッカツ タロウ", phone: "09077770001")
        let unticked = try p.confirmedCase(name: "一括 花子", kana: "イッカツ ハナコ", phone: "09077770002")
        let page = try p.get("/arrival", query: "q=%E4%B8%80%E6%8B%AC")   // 一括
        #expect(page.body.contains("name=\"arrive\" value=\"\(ticked.code)\"") && page.body.contains(unticked.code))
        let reply = try p.post("/arrival", [("q", "一括"), ("arrive", ticked.code), ("memo-\(ticked.code)", "1箱目到着"),
                                            ("memo-\(unticked.code)", "2箱目未着")], as: true)
        #expect(reply.status == 303)
        #expect(try p.status(ticked.code) == .arrived)
        #expect(try p.status(unticked.code) == .confirmed)
        #expect(try p.store.memos(caseID: unticked.id).map(\.text) == ["2箱目未着"])
        #expect(try p.store.memos(caseID: ticked.id).map(\.text) == ["1箱目到着"])
    }

    @Test func itemsAreEnteredAndABadFieldIsRefusedWithItsReason() throws {
        let p = try PagesShop()
        let c = try p.confirmedCase()
        _ = try p.post("/cases/\(c.code)/arrive", [("tracking", "1234-5678-9012")])
        let bad = try p.post("/cases/\(c.code)/items-add", [("name", "Switch"), ("quantity", "0"), ("unit_price", "100")])
        #expect(bad.status == 422 && bad.body.contains("quantity: "))
        #expect(bad.body.contains("value=\"Switch\""), "the typed values were lost")
        #expect(try p.store.load(code: c.code).items.isEmpty)
        let added = try p.post("/cases/\(c.code)/items-add", [("name", "Switch"), ("quantity", "1"), ("unit_price", "21000")])
        #expect(added.status == 303)
        let record = try p.store.load(code: c.code)
        #expect(record.status == .assessing && record.items.map(\.unitPrice) == [21000] && record.trackingNumber == "123456789012")
        let sheet = try p.get("/cases/\(c.code)/items.csv")
        #expect(sheet.status == 200 && sheet.body.contains("Switch"))
    }

    @Test func assetsAreServedWithoutASessionAndPagesNeedOne() throws {
        let p = try PagesShop()
        let css = try p.shop.request("GET", "/assets/console.css")
        #expect(css.status == 200 && css.header("Content-Type")?.hasPrefix("text/css") == true)
        #expect(try p.shop.request("GET", "/assets/document.css").body.contains("@page"))
        #expect(try p.shop.request("GET", "/assets/nothing.js").status == 303)
        #expect(try p.shop.request("GET", "/cases").status == 303)
        let dashboard = try p.get("/")
        #expect(dashboard.status == 200 && dashboard.body.contains("新しい申込"))
        #expect(!dashboard.body.contains("<style") && !dashboard.body.contains("<script>"), "inline style or script")
        #expect(try p.get("/", as: true).body.contains("/staff/payments") == false, "a clerk is offered the payments page")
    }

    @Test func theFeedIsMarkedReadOnlyByAPost() throws {
        let p = try PagesShop()
        _ = try p.receivedCase()
        #expect(try p.get("/feed").body.contains("未読"))
        #expect(try p.store.unreadEventCount() == 1, "GET changed the read marks")
        let newest = try #require(try p.store.feed(includeSeen: true, markSeen: false).last)
        #expect(try p.post("/feed/read", [("up_to", String(newest.id))], as: true).status == 303)
        #expect(try p.store.unreadEventCount() == 0)
    }

    @Test func theContractPrintsWithTheDocumentsStylesheetNotAnInlineOne() throws {
        let p = try PagesShop()
        let purchased = try p.purchasedCase()
        let contract = try p.get("/cases/\(purchased.code)/contract")
        #expect(contract.status == 200 && contract.body.contains("売買契約書"))
        #expect(!contract.body.contains("<style") && contract.body.contains("/staff/assets/document.css"))
        let refused = try p.get("/cases/\(try p.receivedCase().code)/contract")
        #expect(refused.status == 409)
    }
}

/// The console's upload and download forms: the item sheet, the bank file and the completed file.
@Suite(.serialized) struct PagesFileTests {
    @Test func anItemSheetRoundTripsAndABadRowChangesNothing() throws {
        let p = try PagesShop()
        let c = try p.confirmedCase()
        _ = try p.store.arrive(code: c.code, by: p.staff, settings: p.settings)
        _ = try p.store.addItem(code: c.code, ItemDraft([.name: "Switch", .quantity: "1", .unitPrice: "20000"]), by: p.staff)
        let sheet = try p.get("/cases/\(c.code)/items.csv").body
        let edited = sheet.replacingOccurrences(of: ",20000,", with: ",21000,") + "\r\n,,,,文庫本,12,30,,3,,,,,,\r\n"
        let imported = try p.upload("/cases/\(c.code)/items-import", field: "sheet", filename: "items.csv", bytes: Array(edited.utf8))
        #expect(imported.status == 303, "\(imported.body.prefix(600))")
        #expect(try p.store.load(code: c.code).items.map(\.unitPrice) == [21000, 30])

        let stale = try p.upload("/cases/\(c.code)/items-import", field: "sheet", filename: "items.csv",
                                 bytes: Array(sheet.replacingOccurrences(of: ",20000,", with: ",1,").utf8))
        #expect(stale.status == 422 && stale.body.contains("row 2"), "\(stale.body.prefix(600))")
        #expect(try p.store.load(code: c.code).items.map(\.unitPrice) == [21000, 30])
    }

    /// A case whose holder cannot go into the file is listed on the payments page with its
    /// reason and left out of the download; the others are exported. The all-or-nothing box
    /// refuses instead.
    @Test func aBadCaseIsListedAndLeftOutOfTheBankFile() throws {
        let p = try PagesShop()
        let good = try p.purchasedCase()
        let bad = try p.purchasedCase()
        try p.store.db.query("UPDATE cases SET account_holder = ? WHERE id = ?", [.text(String(repeating: "ガ", count: 16)), .int(bad.id)])
        let page = try p.get("/payments")
        #expect(page.body.contains("id=\"zengin-excluded\"") && page.body.contains(bad.code) && page.body.contains("account_holder"),
                "\(page.body.prefix(1200))")
        let strict = try p.post("/payments/zengin", [("date", "1225"), ("all_or_nothing", "1")])
        #expect(strict.status == 409 && strict.body.contains(bad.code))
        #expect(try p.store.payableBankTransfers().count == 2)
        let file = try p.post("/payments/zengin", [("date", "1225")])
        #expect(file.status == 200 && file.header("Content-Disposition")?.hasPrefix("attachment") == true)
        #expect(try p.store.payableBankTransfers().map(\.code) == [bad.code], "only the good case was batched")
        _ = good
    }

    @Test func theBankFileDownloadsAndTheCompletedFileMarksItsCasesPaid() throws {
        let p = try PagesShop()
        let purchased = try p.purchasedCase()
        let bad = try p.post("/payments/zengin", [("date", "1301")])
        #expect(bad.status == 409 && bad.body.contains("MMDD"))
        let file = try p.post("/payments/zengin", [("date", "1225")])
        #expect(file.status == 200 && file.header("Content-Disposition")?.hasPrefix("attachment") == true)
        #expect(try p.store.payableBankTransfers().isEmpty, "the batch was not recorded")
        // The bank's completed file is the same records: it pays exactly that case.
        let bytes = try PayoutFileBytes.read(p, date: "1225")
        let paid = try p.upload("/payments/pay", field: "transfer_file", filename: "done.txt", bytes: bytes)
        #expect(paid.status == 303, "\(paid.body.prefix(600))")
        #expect(try p.status(purchased.code) == .paid)
        #expect(try p.store.history(caseID: purchased.id).last?.by == .staff(PagesShop.owner))
        let again = try p.upload("/payments/pay", field: "transfer_file", filename: "done.txt", bytes: bytes)
        #expect(again.status == 409 && again.body.contains("nothing was marked paid"))
    }
}

extension PagesTests {
    /// The download is written to a spool file in var/ and sent from it: the same bytes as
    /// `kaitori zengin export` writes for the same cases, the same headers as before (type,
    /// attachment with the batch's file name, no-store) with the length, and no spool left behind.
    @Test func theBankFileDownloadIsWhatZenginExportWrites() throws {
        let p = try PagesShop()
        let first = try p.purchasedCase(), second = try p.purchasedCase()
        func spools() throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: p.shop.dir + "/var").filter { $0.contains("spool") }
        }
        let (head, body) = try PayoutFileBytes.download(p, date: "1225")
        let batch = try #require(try p.store.db.query("SELECT MAX(id) AS id FROM payout_batches").first?.int("id"))
        #expect(head.contains("Status: 200 OK"), "\(head)")
        #expect(head.contains("Content-Type: application/octet-stream"))
        #expect(head.contains("Content-Disposition: attachment; filename=\"zengin-1225-batch\(batch).txt\"; filename*=UTF-8''zengin-1225-batch\(batch).txt"), "\(head)")
        #expect(head.contains("Cache-Control: no-store"))
        #expect(head.contains("Content-Length: \(body.count)"))
        #expect(try spools().isEmpty)

        let file = p.shop.dir + "/zengin.txt"
        let cli = try p.shop.kaitori(["zengin", "export", "--date", "1225", "--include-exported", "-o", file])
        #expect(cli.status == 0, "\(cli.output)")
        let written = [UInt8](try #require(FileManager.default.contents(atPath: file)))
        #expect(!body.isEmpty && body == written)
        #expect(try p.store.payableBankTransfers(includeExported: true).map(\.code) == [first.code, second.code])
        #expect(try spools().isEmpty)
    }
}

/// The bank file as the console downloads it (the body of the download, byte for byte).
enum PayoutFileBytes {
    static func read(_ p: PagesShop, date: String) throws -> [UInt8] {
        try download(p, date: date).body
    }

    /// The download's header lines (`Name: value`) and its body, byte for byte.
    static func download(_ p: PagesShop, date: String) throws -> (head: [String], body: [UInt8]) {
        let environment = [
            "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "REQUEST_METHOD": "POST", "SCRIPT_NAME": "/staff",
            "PATH_INFO": "/payments/zengin", "QUERY_STRING": "", "REMOTE_ADDR": "203.0.113.9", "HTTP_HOST": "shop.example",
            "SERVER_NAME": "shop.example", "SERVER_PORT": "443", "KAITORI_SITE": p.shop.dir, "PATH": "/usr/bin:/bin",
            "CONTENT_TYPE": "application/x-www-form-urlencoded",
            "HTTP_COOKIE": "\(StaffShop.sessionCookie)=\(p.ownerSession)",
        ]
        let body = Array(StaffShop.urlencoded([("csrf_token", p.ownerToken), ("date", date), ("include_exported", "1")]).utf8)
        var env = environment
        env["CONTENT_LENGTH"] = String(body.count)
        let out = try StaffShop.launch(StaffShop.binDirectory + "/kaitori-staff", arguments: [], environment: env, stdin: body).stdout
        guard let end = out.firstRange(of: Array("\r\n\r\n".utf8)) else { throw StaffTestFailure("no header block") }
        return (String(decoding: out[..<end.lowerBound], as: UTF8.self).components(separatedBy: "\r\n"), Array(out[end.upperBound...]))
    }
}

/// The remaining steps of the case page, each through its form.
@Suite(.serialized) struct PagesStepTests {
    @Test func withdrawReissueAndCancelFollowTheStatus() throws {
        let p = try PagesShop()
        let c = try p.confirmedCase()
        _ = try p.store.arrive(code: c.code, by: p.staff, settings: p.settings)
        #expect(try p.post("/cases/\(c.code)/start").status == 303)
        _ = try p.post("/cases/\(c.code)/items-add", [("name", "Switch"), ("quantity", "1"), ("unit_price", "100")])
        #expect(try p.post("/cases/\(c.code)/assess").status == 303)
        let firstToken = try p.store.load(code: c.code).reviewToken
        #expect(try p.post("/cases/\(c.code)/reissue").status == 303)
        #expect(try p.store.load(code: c.code).reviewToken != firstToken)
        #expect(try p.post("/cases/\(c.code)/unassess").status == 303)
        #expect(try p.status(c.code) == .assessing)
        let refused = try p.post("/cases/\(c.code)/cancel", [("note", "お客様の都合")])
        #expect(refused.status == 409 && refused.body.contains("cannot cancel"))
        #expect(try p.post("/cases/\(c.code)/memo", [("text", "")]).status == 422)
        #expect(try p.post("/cases/\(c.code)/memo", [("text", "電話で確認済み")]).status == 303)
        #expect(try p.store.memos(caseID: c.id).map(\.author) == [PagesShop.owner])
        #expect(try p.post("/cases/\(c.code)/fly").status == 404)
        #expect(try p.post("/cases/ZZZZ-ZZZZ/confirm").status == 404)
    }

    @Test func declinedItemsGoBackAndARenegotiationCaseStarts() throws {
        let p = try PagesShop()
        let c = try p.confirmedCase()
        _ = try p.store.arrive(code: c.code, by: p.staff, settings: p.settings)
        _ = try p.store.addItem(code: c.code, ItemDraft([.name: "Switch", .quantity: "1", .unitPrice: "21000"]), by: p.staff)
        _ = try p.store.addItem(code: c.code, ItemDraft([.name: "文庫本", .quantity: "12", .unitPrice: "30"]), by: p.staff)
        let assessed = try p.store.assess(code: c.code, by: p.staff, settings: p.settings)
        let (_, outcome) = try p.store.decide(token: assessed.reviewToken!, decision: .part, declined: [assessed.items[1].id],
                                              settings: p.settings)
        guard case .continueToID(let kyc) = outcome else { throw StaffTestFailure("expected the ID step") }
        _ = try p.store.submitID(token: kyc, IDSubmission(idType: "my_number", name: "山田 太郎", address: "埼玉県", birthDate: "1985-04-12",
                                                          files: [], signatureName: "山田 太郎"), settings: p.settings)
        #expect(try p.status(c.code) == .approved)
        let page = try p.get("/cases/\(c.code)")
        #expect(page.body.contains("返送済みとしてマーク") && page.body.contains("再交渉ケースを作成"))
        let declined = String(assessed.items[1].id)
        let noTracking = try p.post("/cases/\(c.code)/return", [("items_listed", "1"), ("item", declined), ("carrier", "ヤマト運輸"), ("tracking", "")])
        #expect(noTracking.status == 409 && noTracking.body.contains("tracking number"))
        #expect(try p.post("/cases/\(c.code)/return", [("items_listed", "1"), ("carrier", "ヤマト運輸"), ("tracking", "1111-2222-3333")]).status == 422)
        let returned = try p.post("/cases/\(c.code)/return", [("items_listed", "1"), ("item", String(assessed.items[1].id)),
                                                              ("carrier", "ヤマト運輸"), ("tracking", "1111-2222-3333")])
        #expect(returned.status == 303)
        #expect(try p.store.load(code: c.code).items[1].returnTracking == "111122223333")
        let renegotiated = try p.post("/cases/\(c.code)/renegotiate")
        #expect(renegotiated.status == 409 && renegotiated.body.contains("already returned"))
    }

    @Test func anIDIsRequestedRejectedAndItsAddressCheckIsRequired() throws {
        let p = try PagesShop()
        let approved = try p.approvedCase()
        let noAddress = try p.post("/cases/\(approved.code)/id-verify", [("method", "upload"), ("address_check", "")])
        #expect(noAddress.status == 409 && noAddress.body.contains("address check"))
        #expect(try p.post("/cases/\(approved.code)/id-reject", [("note", "")]).status == 409)
        #expect(try p.post("/cases/\(approved.code)/id-reject", [("note", "画像が不鮮明")]).status == 303)
        #expect(try p.store.idChecks(caseID: approved.id).last?.state == .rejected)
        #expect(try p.post("/cases/\(approved.code)/id-request").status == 303)
        #expect(try p.store.idChecks(caseID: approved.id).last?.state == .open)
        #expect(try p.get("/cases/\(approved.code)").body.contains("/kyc/"))
    }
}
