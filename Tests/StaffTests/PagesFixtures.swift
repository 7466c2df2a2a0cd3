import Foundation
import KaitoriCore
import SettingsFile

/// A console shop with an owner and a staff account signed in, and cases brought to the status a
/// page test needs through the same store operations the console and the CLI call.
final class PagesShop {
    static let owner = "店長"
    static let clerk = "田中"
    static let password = "a long enough passphrase 7"

    let shop: StaffShop
    let settings: Settings
    let store: CaseStore
    let ownerSession: String
    let clerkSession: String
    let ownerToken: String
    let clerkToken: String
    let staff = Actor.staff("準備")

    init() throws {
        shop = try StaffShop()
        settings = try SettingsFile.require(site: shop.dir)
        try shop.addAccount(PagesShop.owner, role: .owner, password: PagesShop.password)
        try shop.addAccount(PagesShop.clerk, role: .staff, password: PagesShop.password)
        store = try CaseStore.open(site: shop.dir, pages: nil)
        ownerSession = try shop.session(PagesShop.owner, PagesShop.password)
        clerkSession = try shop.session(PagesShop.clerk, PagesShop.password)
        ownerToken = try shop.csrfToken(session: ownerSession)
        clerkToken = try shop.csrfToken(session: clerkSession)
    }

    /// A GET as the owner (or the clerk), with a query string.
    func get(_ path: String, query: String = "", as clerk: Bool = false) throws -> StaffReply {
        try shop.request("GET", path, cookies: [StaffShop.sessionCookie: clerk ? clerkSession : ownerSession],
                         environment: ["QUERY_STRING": query])
    }

    /// A POST with the session's CSRF token, as the page's form sends it.
    func post(_ path: String, _ form: [(String, String)] = [], as clerk: Bool = false) throws -> StaffReply {
        try shop.request("POST", path, cookies: [StaffShop.sessionCookie: clerk ? clerkSession : ownerSession],
                         form: [("csrf_token", clerk ? clerkToken : ownerToken)] + form)
    }

    func application(name: String = "山田 太郎", kana: String = "ヤマダ タロウ", phone: String = "09012345678") -> Application {
        Application(
            customer: Customer(name: name, kana: kana, birthDate: "1985-04-12", occupation: "会社員", postalCode: "330-0063",
                               prefecture: "埼玉県", address: "さいたま市浦和区高砂1-2-3", building: "", phone: phone,
                               email: "taro@example.jp", contact: .email),
            payout: Payout(method: "bank_transfer", bankCode: "0005", branchCode: "123", accountType: 1,
                           accountNumber: "1234567", accountHolder: "ヤマダ タロウ"),
            items: [DeclaredItem(category: "game", description: "Nintendo Switch 本体", quantity: 1)],
            submissionID: UUID().uuidString)
    }

    func receivedCase(name: String = "山田 太郎", kana: String = "ヤマダ タロウ", phone: String = "09012345678") throws -> Case {
        try store.create(application(name: name, kana: kana, phone: phone), settings: settings).0
    }

    func confirmedCase(name: String = "山田 太郎", kana: String = "ヤマダ タロウ", phone: String = "09012345678") throws -> Case {
        try store.confirm(code: try receivedCase(name: name, kana: kana, phone: phone).code, by: staff, settings: settings)
    }

    /// Sold in full, ID image uploaded and signed by name: approved, ID not yet verified.
    func approvedCase(name: String = "山田 太郎") throws -> Case {
        let code = try confirmedCase(name: name).code
        _ = try store.arrive(code: code, by: staff, settings: settings)
        _ = try store.addItem(code: code, ItemDraft([.name: "Nintendo Switch 本体", .quantity: "1", .unitPrice: "21000"]), by: staff)
        let assessed = try store.assess(code: code, by: staff, settings: settings)
        let (_, outcome) = try store.decide(token: assessed.reviewToken!, decision: .all, declined: [], settings: settings)
        guard case .continueToID(let kyc) = outcome else { throw StaffTestFailure("expected the ID step") }
        let uploads = shop.dir + "/var/uploads"
        try FileManager.default.createDirectory(atPath: uploads, withIntermediateDirectories: true)
        let path = uploads + "/\(code)-front.png"
        let png: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, UInt8.random(in: 0...255)]
        guard FileManager.default.createFile(atPath: path, contents: Data(png)) else { throw StaffTestFailure("cannot write \(path)") }
        let submission = IDSubmission(idType: "drivers_license", name: name, address: "埼玉県さいたま市浦和区高砂1-2-3",
                                      birthDate: "1985-04-12",
                                      files: [(kind: "id_front", path: path, contentType: "image/png", size: Int64(png.count))],
                                      signatureName: name)
        return try store.submitID(token: kyc, submission, settings: settings)
    }

    func purchasedCase() throws -> Case {
        let approved = try approvedCase()
        _ = try store.verifyID(code: approved.code, addressCheck: "本人限定受取郵便 1234-5678-9012", by: staff)
        return try store.purchase(code: approved.code, by: staff, settings: settings)
    }

    func status(_ code: String) throws -> CaseStatus { try store.load(code: code).status }
}

extension String {
    /// The text as the console's pages escape it.
    var htmlEscaped: String {
        replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
            .replacingOccurrences(of: "'", with: "&#39;")
    }
}

extension PagesShop {
    /// A multipart POST with one file, as a browser sends an upload form.
    func upload(_ path: String, field: String, filename: String, bytes: [UInt8], form: [(String, String)] = []) throws -> StaffReply {
        let boundary = "----PagesTests\(UUID().uuidString)"
        var body: [UInt8] = []
        for (name, value) in [("csrf_token", ownerToken)] + form {
            body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n".utf8)
        }
        body += Array("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(field)\"; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream\r\n\r\n".utf8)
        body += bytes + Array("\r\n--\(boundary)--\r\n".utf8)
        let environment = [
            "GATEWAY_INTERFACE": "CGI/1.1", "SERVER_PROTOCOL": "HTTP/1.1", "SERVER_NAME": "shop.example", "SERVER_PORT": "443",
            "REQUEST_METHOD": "POST", "SCRIPT_NAME": "/staff", "PATH_INFO": path, "QUERY_STRING": "", "REMOTE_ADDR": "203.0.113.9",
            "HTTP_HOST": "shop.example", "KAITORI_SITE": shop.dir, "PATH": "/usr/bin:/bin",
            "CONTENT_TYPE": "multipart/form-data; boundary=\(boundary)", "CONTENT_LENGTH": String(body.count),
            "HTTP_COOKIE": "\(StaffShop.sessionCookie)=\(ownerSession)",
        ]
        let result = try StaffShop.launch(StaffShop.binDirectory + "/kaitori-staff", arguments: [], environment: environment, stdin: body)
        return try StaffReply(result.stdout, log: String(decoding: result.stderr, as: UTF8.self))
    }
}
