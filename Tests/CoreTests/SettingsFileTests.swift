import Foundation
import KaitoriCore
import SettingsFile
import Testing

@Suite struct SettingsFileTests {
    @Test func sampleShopHasNoErrors() throws {
        let (settings, problems) = SettingsFile.load(site: Fixtures.repoRoot)
        #expect(problems.filter { $0.severity == .error } == [])
        let s = try #require(settings)
        #expect(s.review.validDays == 21)
        #expect(s.form.minimumAge == 18)
        #expect(s.category("camera")?.label == "カメラ・レンズ")
        #expect(s.uploads.maxFileBytes == 10 << 20)
        #expect(s.bankTransfer?.requesterCode == "1234567890")
    }

    @Test func threeMistakesGiveThreeLinesWithLineNumbers() throws {
        var text = try String(contentsOfFile: Fixtures.repoRoot + "/shop.yml", encoding: .utf8)
        text = text.replacingOccurrences(of: "  minimum_age: 18", with: "  minimum_age: eighteen")
        text = text.replacingOccurrences(of: "review:\n  valid_days: 21", with: "review:\n  valid_dayz: 21")
        text = text.replacingOccurrences(of: "  bank_code: \"0009\"", with: "  bank_code: \"09\"")
        let (settings, problems) = SettingsFile.parse(text)
        let errors = problems.filter { $0.severity == .error }
        #expect(settings == nil)
        #expect(errors.count == 3)
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        func line(of needle: String) -> Int { (lines.firstIndex { $0.contains(needle) } ?? -1) + 1 }
        #expect(errors.map(\.description).sorted() == [
            "shop.yml:\(line(of: "minimum_age: eighteen")): form.minimum_age: must be a whole number",
            "shop.yml:\(line(of: "valid_dayz")): review.valid_dayz: unknown key",
            "shop.yml:\(line(of: "bank_code: \"09\"")): bank_transfer.bank_code: must be exactly 4 digits (got 09)",
        ].sorted())
    }

    @Test func unknownTopLevelKeyAndMissingRequiredKeyAreErrors() {
        let (_, problems) = SettingsFile.parse("shopp:\n  name: x\n")
        #expect(problems.contains { $0.key == "shopp" && $0.message == "unknown key" && $0.line == 1 })
        #expect(problems.contains { $0.key == "shop" && $0.message == "missing (required)" })
    }

    @Test func yamlSyntaxErrorNamesTheLine() {
        let (settings, problems) = SettingsFile.parse("shop:\n  name: [unclosed\n")
        #expect(settings == nil)
        #expect(problems.count == 1)
        #expect(problems.first?.key == "(syntax)")
        #expect((problems.first?.line ?? 0) >= 2)
    }

    @Test func settingsRoundTripThroughJSON() throws {
        let data = try JSONEncoder().encode(Fixtures.settings)
        // Everything but the private key's path, which is never published to var/site.json.
        var expected = Fixtures.settings
        #expect(!expected.compliance.privateKeyPath.isEmpty)
        expected.compliance.privateKeyPath = ""
        #expect(try JSONDecoder().decode(Settings.self, from: data) == expected)
        #expect(!String(decoding: data, as: UTF8.self).contains("kaitori-keys"))
    }
}
