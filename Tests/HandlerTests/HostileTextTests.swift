import Foundation
import KaitoriCore
import Testing

/// Customer text with control characters, NUL and bidi overrides, through the real handler (the
/// web server is the victim of a forged log line) and the real `kaitori` CLI (a staff terminal).
@Suite struct HostileTextTests {
    static let refused: [(field: String, value: String, label: String)] = [
        ("name", "山田\u{1B}]0;pwned\u{07}太郎", "お名前"),
        ("address", "渋谷区\u{0}神宮前", "ご住所"),
        ("occupation", "会社員\r\n2026-12-02 確認済み", "ご職業"),
        ("building", "\u{202E}303号室", "建物名・部屋番号"),
        ("kana", "ヤマダ\u{85}タロウ", "フリガナ"),
        ("item_description", "カメラ\u{2028}レンズ", "品名・型番"),
    ]

    @Test(arguments: 0..<refused.count)
    func aControlCharacterIs422NamingTheFieldAndNothingIsStored(_ index: Int) throws {
        let (field, value, label) = Self.refused[index]
        let shop = try TestShop()
        let response = try shop.post("/apply", .application([field: value]))
        #expect(response.status == 422, "\(response.log)")
        #expect(response.body.contains("\(label)に使用できない文字が含まれています"), "\(field)")
        #expect(try shop.rowCounts().values.allSatisfy { $0 == 0 })
    }

    @Test func notesMayHaveLineBreaksButNoOtherControls() throws {
        let shop = try TestShop()
        let ok = try shop.post("/apply", .application(["notes": "1行目\r\n2行目\n3行目"]))
        #expect(ok.status == 303, "\(ok.log)")
        let bad = try shop.post("/apply", .application(["notes": "1行目\u{1B}[2J"]))
        #expect(bad.status == 422 && bad.body.contains("備考に使用できない文字が含まれています"))
    }

    @Test func anIDFormAddressWithALineBreakIs422() throws {
        let shop = try TestShop()
        let (_, token) = try shop.caseAwaitingID()
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(["address": "埼玉県さいたま市\r\n  確認      staff  2026-12-02  方法 対面"]),
                                                                 files: Form.idFiles()))
        #expect(response.status == 422, "\(response.log)")
        #expect(response.body.contains("ご住所に使用できない文字が含まれています"))
        #expect(try shop.count("stored_files") == 0)
    }

    /// The review answer goes through the same character rule: a newline in `decision` is a 422
    /// naming the field, the value never reaches the log, and nothing is recorded.
    @Test(arguments: [("decision", "all\nkaitori-cgi: forged"), ("decision", "cancel\u{1B}[2J"), ("step", "confirm\r\nx"),
                      ("decline", "1\u{0}")])
    func aReviewPostWithAControlCharacterIs422NamingTheField(_ field: String, _ value: String) throws {
        let shop = try TestShop()
        let record = try shop.assessedCase()
        let token = try #require(record.reviewToken)
        let pairs = field == "decision" ? [(field, value)] : [("decision", "all"), (field, value)]
        let response = try shop.post("/review/\(token)", .urlencoded(pairs))
        #expect(response.status == 422, "\(response.log)")
        let label = CustomerInput.fieldLabels[field] ?? ""
        #expect(response.body.contains("\(label)に使用できない文字が含まれています"), "\(field)")
        #expect(!response.log.contains("forged") && !response.log.contains("\u{1B}"), "\(response.log)")
        #expect(response.log.contains("characters refused in \(field)"), "\(response.log)")
        #expect(try shop.store().load(code: record.code).decision == nil, "nothing recorded")
    }

    @Test func aNewlineInThePathCannotForgeALogLine() throws {
        let shop = try TestShop()
        let response = try shop.request("GET", "/applied/X\nkaitori-cgi: forged\u{1B}[31m")
        #expect(response.status == 404)
        let lines = response.log.split(separator: "\n", omittingEmptySubsequences: true)
        #expect(!lines.contains { $0.hasPrefix("kaitori-cgi: forged") }, "\(response.log)")
        #expect(!response.log.contains("\u{1B}"))
    }

    @Test func storedControlsAreEscapedOnTheStaffTerminal() throws {
        // Text stored before the rule (or by another tool) still cannot act on a terminal.
        let shop = try TestShop()
        let response = try shop.post("/apply", .application())
        let code = try #require(appliedCode(response))
        try shop.store().db.query("UPDATE customers SET name = ?, address = ?",
                                  [.text("山田\u{1B}]0;pwned\u{07}太郎"), .text("渋谷区\r\n確認      staff")])
        for arguments in [["case", "list"], ["case", "show", code]] {
            let (status, output) = try TestShop.runTool(Products.cli, arguments + ["--site", shop.dir])
            #expect(status == 0, "\(output)")
            #expect(!output.contains("\u{1B}") && !output.contains("\u{07}") && !output.contains("\r"), "\(arguments)")
            #expect(output.contains("山田\\u{1B}]0;pwned\\u{7}太郎"), "\(output)")
            #expect(!output.split(separator: "\n").contains { $0.hasPrefix("確認") }, "\(output)")
        }
    }

    @Test(arguments: ["a..b@example.com", "a<b>@x.jp", "a@b", ".a@example.jp", "a b@example.jp", "山田@example.jp"])
    func anAddressTheMailerWouldRefuseIsRefusedAtTheForm(_ address: String) throws {
        let shop = try TestShop()
        let response = try shop.post("/apply", .application(["email": address]))
        #expect(response.status == 422)
        #expect(response.body.contains(CustomerText.email))
        #expect(try shop.count("cases") == 0)
    }

    @Test func itemRowsThatDoNotLineUpAre422() throws {
        let shop = try TestShop()
        var fields = Form.applicationFields()
        fields.append(("item_category", "game"))   // three categories, two descriptions and quantities
        let response = try shop.post("/apply", .urlencoded(fields))
        #expect(response.status == 422, "\(response.log)")
        #expect(response.body.contains(CustomerText.itemRowsMismatch))
        #expect(try shop.count("cases") == 0)
    }

    @Test func aNULIsStoredWholeNeverCutOff() throws {
        let db = try Database(path: try TestShop.temporaryFolder("nul") + "/t.sqlite3")
        try db.query("CREATE TABLE t (v TEXT)")
        try db.query("INSERT INTO t (v) VALUES (?)", [.text("渋谷区\u{0}神宮前")])
        #expect(try db.query("SELECT v, length(CAST(v AS BLOB)) AS n FROM t").first.map { ($0.string("v"), $0.int("n")) }! == ("渋谷区\u{0}神宮前", 19))
    }
}

/// `var/uploads` must be a real directory of mode 0700: anything else is 503 and logged, and no
/// file is written through it.
@Suite struct UploadFolderTests {
    @Test func aSymlinkedUploadsFolderIs503AndNothingIsWrittenThroughIt() throws {
        let shop = try TestShop()
        let (_, token) = try shop.caseAwaitingID()
        let target = shop.dir + "/public/stolen"
        try FileManager.default.createDirectory(atPath: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        try? FileManager.default.removeItem(atPath: shop.uploadsFolder)
        try FileManager.default.createSymbolicLink(atPath: shop.uploadsFolder, withDestinationPath: target)
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(), files: Form.idFiles()))
        #expect(response.status == 503, "\(response.log)")
        #expect(response.log.contains("symbolic link"), "\(response.log)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: target).isEmpty)
        #expect(try shop.count("stored_files") == 0)
    }

    @Test func aWiderModeIs503() throws {
        let shop = try TestShop()
        let (_, token) = try shop.caseAwaitingID()
        try FileManager.default.createDirectory(atPath: shop.uploadsFolder, withIntermediateDirectories: true)
        chmod(shop.uploadsFolder, 0o755)
        let response = try shop.post("/kyc/\(token)", .multipart(Form.kycFields(), files: Form.idFiles()))
        #expect(response.status == 503, "\(response.log)")
        #expect(response.log.contains("mode 755"), "\(response.log)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: shop.uploadsFolder).isEmpty)
    }
}
