import Foundation
import KaitoriCore

/// A throwaway copy of the sample shop (shop.yml, site-templates, content), built once with
/// `kaitori build` and copied for each test, so every test starts from a built site and an empty
/// store.
final class TestShop {
    private static let built: Result<String, any Error> = Result {
        try Products.require()
        let dir = try temporaryFolder("kaitori-handler-built")
        builtFolder = dir
        atexit { if let folder = TestShop.builtFolder { try? FileManager.default.removeItem(atPath: folder) } }
        for name in ["shop.yml", "site-templates", "content"] {
            try FileManager.default.copyItem(atPath: Products.repoRoot + "/" + name, toPath: dir + "/" + name)
        }
        let (status, output) = try runTool(Products.cli, ["build", "--site", dir])
        guard status == 0 else { throw CGIRun.Failure("kaitori build failed (\(status)):\n\(output)") }
        return dir
    }

    /// Removed when the test process exits.
    nonisolated(unsafe) private static var builtFolder: String?

    let dir: String
    let settings: Settings

    init() throws {
        let source = try Self.built.get()
        dir = try Self.temporaryFolder("kaitori-handler")
        try FileManager.default.removeItem(atPath: dir)
        try FileManager.default.copyItem(atPath: source, toPath: dir)
        // Read the way the handler reads it (its copy has no delivery settings).
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: dir + "/var/site.json")))
        settings = try Settings(json: JSONReader(parsing: bytes)["settings"])
    }

    deinit { try? FileManager.default.removeItem(atPath: dir) }

    var database: String { dir + "/var/kaitori.sqlite3" }
    var uploadsFolder: String { dir + "/var/uploads" }

    /// Runs the handler for this shop.
    func request(_ method: String, _ path: String, body: [UInt8] = [], contentType: String? = nil,
                 contentLength: Int? = nil, environment: [String: String?] = [:]) throws -> CGIRun {
        try CGIRun.run(site: dir, method: method, path: path, body: body, contentType: contentType,
                       contentLength: contentLength, environment: environment)
    }

    func post(_ path: String, _ form: Form, environment: [String: String?] = [:]) throws -> CGIRun {
        try request("POST", path, body: form.body, contentType: form.contentType, environment: environment)
    }

    /// Rows in a table; 0 when the store was never created.
    func count(_ table: String) throws -> Int {
        guard FileManager.default.fileExists(atPath: database) else { return 0 }
        let db = try Database(path: database)
        return Int(try db.query("SELECT COUNT(*) AS n FROM \(table)").first?.int("n") ?? -1)
    }

    /// Every table a customer post can write to, so "nothing stored" is checked everywhere at once.
    func rowCounts() throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in ["cases", "customers", "declared_items", "history", "outbox", "events", "id_checks", "stored_files"] {
            counts[table] = try count(table)
        }
        return counts
    }

    func store(clock: any Clock = SystemClock()) throws -> CaseStore {
        try CaseStore(path: database, clock: clock)
    }

    func uploadedFiles() -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: uploadsFolder)) ?? []).sorted()
    }

    func exists(_ publicPath: String) -> Bool {
        FileManager.default.fileExists(atPath: dir + "/public" + publicPath)
    }

    /// A case applied for through the handler, then confirmed, arrived and assessed by staff with
    /// two items (10,000円 ×1 and 3,000円 ×2).
    func assessedCase() throws -> Case {
        let response = try post("/apply", .application())
        guard response.status == 303, let location = response.header("Location") else {
            throw CGIRun.Failure("apply answered \(response.status): \(response.log)")
        }
        let code = String(location.split(separator: "/").last ?? "")
        let store = try store()
        let staff = Actor.staff("tester")
        _ = try store.confirm(code: code, by: staff, settings: settings)
        _ = try store.arrive(code: code, by: staff, settings: settings)
        let record = try store.startAssessment(code: code, by: staff)
        try store.db.query("INSERT INTO items (case_id, position, name, quantity, unit_price, grade) VALUES (?,1,'Nintendo Switch 本体',1,10000,2)", [.int(record.id)])
        try store.db.query("INSERT INTO items (case_id, position, name, quantity, unit_price, grade) VALUES (?,2,'Joy-Con (L)/(R)',2,3000,3)", [.int(record.id)])
        return try store.assess(code: code, by: staff, settings: settings)
    }

    /// An assessed case answered "sell all", with its open ID request's token.
    func caseAwaitingID() throws -> (Case, kycToken: String) {
        let record = try assessedCase()
        let (_, outcome) = try store().decide(token: record.reviewToken ?? "", decision: .all, declined: [], settings: settings)
        guard case .continueToID(let token) = outcome else { throw CGIRun.Failure("no ID request opened") }
        return (try store().load(code: record.code), token)
    }

    static func temporaryFolder(_ prefix: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url.path
    }

    /// Runs a tool to completion; returns its exit status and its stdout and stderr together.
    static func runTool(_ path: String, _ arguments: [String]) throws -> (Int32, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
