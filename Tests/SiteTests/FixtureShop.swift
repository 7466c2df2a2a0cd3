import Foundation
import KaitoriCore
import SiteBuilder
import SitePages

/// A copy of `Tests/Fixtures/site` with the repository's own `site-templates/`, in a fresh
/// temporary folder, so every test builds the real templates without touching the others.
final class FixtureShop {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    /// 2026-11-21 10:00 JST.
    static let start: Int64 = 1_795_222_800

    let root: String

    init() throws {
        let fm = FileManager.default
        let folder = fm.temporaryDirectory.appendingPathComponent("kaitori-site-\(UUID().uuidString)")
        try fm.createDirectory(at: folder, withIntermediateDirectories: true)
        root = folder.path
        let fixture = FixtureShop.repository.appendingPathComponent("Tests/Fixtures/site").resolvingSymlinksInPath()
        for name in try fm.contentsOfDirectory(atPath: fixture.path) {
            try fm.copyItem(atPath: fixture.appendingPathComponent(name).path, toPath: folder.appendingPathComponent(name).path)
        }
        let templates = FixtureShop.repository.appendingPathComponent("site-templates").resolvingSymlinksInPath()
        try fm.copyItem(atPath: templates.path, toPath: folder.appendingPathComponent("site-templates").path)
    }

    deinit { try? FileManager.default.removeItem(atPath: root) }

    func path(_ relative: String) -> String { root + "/" + relative }

    @discardableResult
    func build(now: Int64 = FixtureShop.start) throws -> BuildReport {
        try SiteBuilder(site: root, now: now).build()
    }

    func read(_ relative: String) throws -> String {
        try String(contentsOfFile: path(relative), encoding: .utf8)
    }

    func write(_ relative: String, _ text: String) throws {
        let url = URL(fileURLWithPath: path(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }

    func exists(_ relative: String) -> Bool { FileManager.default.fileExists(atPath: path(relative)) }

    /// Every file under `relative` with its bytes and modification time, for before/after comparisons.
    func snapshot(_ relative: String = "public") throws -> [String: FileState] {
        let base = path(relative)
        var out: [String: FileState] = [:]
        guard let walker = FileManager.default.enumerator(atPath: base) else { return out }
        while let name = walker.nextObject() as? String {
            let full = base + "/" + name
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
            let attributes = try FileManager.default.attributesOfItem(atPath: full)
            out[name] = FileState(bytes: try Data(contentsOf: URL(fileURLWithPath: full)),
                                  modified: attributes[.modificationDate] as? Date ?? .distantPast,
                                  inode: (attributes[.systemFileNumber] as? Int) ?? 0)
        }
        return out
    }

    /// The settings as the build published them.
    func settings() throws -> Settings { try PublishedSite.load(site: root).settings }

    func store(now: Int64) throws -> CaseStore {
        try CaseStore(path: path("var/kaitori.sqlite3"), clock: FixedClock(now))
    }

    /// A case taken through the staff steps to assessed, with priced items added directly.
    func assessedCase(now: Int64, items: [(name: String, quantity: Int, price: Int, comment: String)] = FixtureShop.sampleItems) throws -> Case {
        let settings = try settings()
        let store = try store(now: now)
        let application = Application(
            customer: Customer(name: "山田 太郎", kana: "ヤマダ タロウ", birthDate: "1985-04-12", occupation: "会社員",
                               postalCode: "330-0063", prefecture: "埼玉県", address: "さいたま市浦和区高砂2-8-14",
                               phone: "09012345678", email: "taro@example.jp", contact: .email),
            payout: Payout(method: "bank_transfer", bankCode: "0009", branchCode: "123", accountType: 1,
                           accountNumber: "1234567", accountHolder: "ヤマダ タロウ"),
            items: [DeclaredItem(category: "game", description: "ゲーム機", quantity: 2)])
        let staff = Actor.staff("テスト")
        var record = try store.create(application, settings: settings).0
        record = try store.confirm(code: record.code, by: staff, settings: settings)
        record = try store.arrive(code: record.code, by: staff, settings: settings)
        record = try store.startAssessment(code: record.code, by: staff)
        for (position, item) in items.enumerated() {
            try store.db.query("INSERT INTO items (case_id, position, name, quantity, unit_price, grade, buyer_comment) VALUES (?,?,?,?,?,?,?)",
                               [.int(record.id), .int(Int64(position + 1)), .text(item.name), .int(Int64(item.quantity)),
                                .int(Int64(item.price)), .int(2), .text(item.comment)])
        }
        return try store.assess(code: record.code, by: staff, settings: settings)
    }

    static let sampleItems: [(name: String, quantity: Int, price: Int, comment: String)] = [
        ("Nintendo Switch 本体（有機ELモデル）", 1, 24_000, "付属品がすべてそろっています。"),
        ("ゼルダの伝説 ティアーズ オブ ザ キングダム", 2, 3_500, ""),
        ("Proコントローラー", 1, 4_200, "スティックにわずかな傾きがあります。"),
    ]
}

struct FileState: Equatable {
    var bytes: Data
    var modified: Date
    var inode: Int
}

/// The values of every `name="…"` attribute in `html`, in order.
func attributeValues(_ attribute: String, in html: String) -> [String] {
    var values: [String] = []
    var rest = html[...]
    let marker = " \(attribute)=\""
    while let start = rest.range(of: marker) {
        let after = rest[start.upperBound...]
        guard let end = after.firstIndex(of: "\"") else { break }
        values.append(String(after[..<end]))
        rest = after[end...]
    }
    return values
}

/// The part of `html` before `<template`, so rows that only script clones are not counted as form controls.
func withoutTemplates(_ html: String) -> String {
    guard let start = html.range(of: "<template"), let end = html.range(of: "</template>") else { return html }
    return String(html[..<start.lowerBound] + html[end.upperBound...])
}
