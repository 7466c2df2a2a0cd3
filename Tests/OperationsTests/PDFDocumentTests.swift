import Documents
import Foundation
import KaitoriCore
import Testing

/// The estimate and the contract printed to PDF by headless Chromium, read back with poppler's
/// `pdftotext` (Debian chromium, fonts-noto-cjk, poppler-utils: scripts/install-deps.sh --test).
@Suite(.serialized) struct PDFDocumentTests {
    /// The fixture shop has the sample's seal (site-templates/documents/seal.png).
    func shopWithSeal() throws -> Shop { try Shop() }

    /// The text of each page (pdftotext separates pages with form feeds).
    func pages(_ pdf: [UInt8], layout: Bool = true) throws -> [String] {
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/pdftotext"), "pdftotext missing: run scripts/install-deps.sh --test")
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-pdf-test-\(UUID().uuidString).pdf")
        try Data(pdf).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = (layout ? ["-layout"] : []) + [file.path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        var pages = String(decoding: data, as: UTF8.self).components(separatedBy: "\u{0C}")
        if pages.last?.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty == true { pages.removeLast() }
        return pages
    }

    /// Images in the PDF, as poppler's `pdfimages -list` counts them.
    static func imageCount(_ pdf: [UInt8]) -> Int {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-pdf-images-\(UUID().uuidString).pdf")
        guard (try? Data(pdf).write(to: file)) != nil else { return 0 }
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdfimages")
        process.arguments = ["-list", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return 0 }
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return max(0, text.split(separator: "\n").count - 2)
    }

    @Test func estimateAndContractCarryTheCustomerTheItemsAndTheTotalAsText() throws {
        let shop = try shopWithSeal()
        let approved = try shop.approvedCase()   // the Switch sold (10,000円), the Joy-Con declined
        let estimatePDF = try CaseDocumentFile.pdf(.estimate, code: approved.code, store: shop.store, settings: shop.settings, site: shop.site)
        #expect(estimatePDF.starts(with: Array("%PDF-".utf8)))
        let estimate = try pages(estimatePDF).joined(separator: "\n")
        #expect(estimate.contains("見積書"))
        #expect(estimate.contains("山田 太郎"))
        #expect(estimate.contains("Nintendo Switch 本体") && estimate.contains("Joy-Con (L)/(R)"))
        #expect(estimate.contains("16,000円"))
        #expect(estimate.contains("第431010012345号"))

        let contractPDF = try CaseDocumentFile.pdf(.contract, code: approved.code, store: shop.store, settings: shop.settings, site: shop.site)
        let contractPages = try pages(contractPDF)
        let contract = contractPages.joined(separator: "\n")
        #expect(contract.contains("売買契約書"))
        #expect(contract.contains("山田 太郎"))
        #expect(contract.contains("Nintendo Switch 本体"))
        #expect(contract.contains("10,000円"))
        #expect(contract.contains("不成約"))
        // Page numbers "N / total" at the foot of every page.
        for (index, page) in contractPages.enumerated() {
            let number = page.range(of: "\(index + 1)\\s*/\\s*\(contractPages.count)", options: .regularExpression)
            #expect(number != nil, "page \(index + 1) has no page number")
        }
        // The seal is an image by the shop's name, and the PDF carries it as an image.
        #expect(Self.imageCount(contractPDF) >= 1)
        var noSeal = shop.settings
        noSeal.documents.sealImage = ""
        let plain = try CaseDocumentFile.html(.contract, code: approved.code, store: shop.store, settings: noSeal, site: shop.site)
        let sealed = try CaseDocumentFile.html(.contract, code: approved.code, store: shop.store, settings: shop.settings, site: shop.site)
        #expect(!plain.contains("class=\"seal\"") && sealed.contains("<img class=\"seal\" src=\"data:image/png;base64,"))
    }

    @Test func aFortyItemContractRepeatsTheHeaderAndNeverSplitsARow() throws {
        let shop = try shopWithSeal()
        let arrived = try shop.arrivedCase()
        for n in 1...40 {
            let number = n < 10 ? "0\(n)" : "\(n)"
            _ = try shop.store.addItem(code: arrived.code, ItemDraft([
                .name: "検品用の長い商品名をもつテスト商品 第\(number)番", .quantity: "\(n % 3 + 1)", .unitPrice: "\(1000 + n)", .grade: "\(n % 6 + 1)",
                .productCode: "PC-\(number)", .buyerComment: "付属品あり",
            ]), by: Shop.staff)
        }
        let assessed = try shop.store.assess(code: arrived.code, by: Shop.staff, settings: shop.settings)
        let (_, outcome) = try shop.store.decide(token: assessed.reviewToken!, decision: .all, declined: [], settings: shop.settings)
        guard case .continueToID(let kyc) = outcome else { Issue.record("expected the ID step"); return }
        let submission = IDSubmission(idType: "passport", name: "山田 太郎", address: "埼玉県さいたま市浦和区高砂1-2-3",
                                      birthDate: "1985-04-12", files: [], signatureName: "山田 太郎")
        let approved = try shop.store.submitID(token: kyc, submission, settings: shop.settings)
        let pdf = try CaseDocumentFile.pdf(.contract, code: approved.code, store: shop.store, settings: shop.settings, site: shop.site)
        let pages = try pages(pdf)
        #expect(pages.count >= 2, "40 items should take more than one page")

        var itemPages: [Int: Int] = [:]
        for (index, page) in pages.enumerated() {
            let lines = page.components(separatedBy: "\n")
            guard lines.contains(where: { $0.contains("テスト商品") }) else { continue }
            // The table header is repeated, whole, on every page with rows.
            let header = lines.first { $0.contains("品名") }
            #expect(header != nil, "page \(index + 1) has item rows but no table header")
            if let header {
                #expect(header.contains("グレード") && header.contains("数量") && header.contains("単価") && header.contains("小計"),
                        "page \(index + 1): header \(header)")
            }
            for (at, line) in lines.enumerated() {
                guard let range = line.range(of: "第[0-9]{2}番", options: .regularExpression),
                      let n = Int(line[range].dropFirst().dropLast()) else { continue }
                itemPages[n] = index
                // The grade label is whole on the row's first line (the name wraps, the grade does not).
                let grade = ["新品", "中古A", "中古B", "中古C", "中古D", "未使用"][n % 6]
                let first = lines[max(0, at - 1)...at].joined(separator: "\n")
                #expect(first.contains(grade), "row \(n) lost its grade \(grade): \(first)")
            }
        }
        #expect(itemPages.keys.sorted() == Array(1...40), "every item is on some page")
        // A row is never split: each item's second line (its product code) is on the item's page.
        for (n, index) in itemPages {
            let number = n < 10 ? "0\(n)" : "\(n)"
            #expect(pages[index].contains("PC-\(number)"), "row \(n) is split across pages")
        }
        let all = pages.joined(separator: "\n")
        let total = (1...40).reduce(0) { $0 + ($1 % 3 + 1) * (1000 + $1) }
        #expect(all.contains(Yen.grouped(total) + "円"))
        for (index, page) in pages.enumerated() {
            #expect(page.range(of: "\(index + 1)\\s*/\\s*\(pages.count)", options: .regularExpression) != nil, "page \(index + 1) has no page number")
        }
    }
}
