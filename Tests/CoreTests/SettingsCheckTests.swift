import Foundation
import KaitoriCore
import SettingsFile
import Testing

/// What `kaitori check` promises in docs/settings.md, one rule at a time, on the sample shop.yml.
@Suite struct SettingsCheckTests {
    static let sample: String = (try? String(contentsOfFile: Fixtures.repoRoot + "/shop.yml", encoding: .utf8)) ?? ""

    func check(replacing old: String, with new: String) throws -> (Settings?, [SettingsProblem], line: Int) {
        try #require(Self.sample.contains(old), "the sample has no \(old)")
        let text = Self.sample.replacingOccurrences(of: old, with: new)
        let (settings, problems) = SettingsFile.parse(text)
        let first = new.split(separator: "\n").first.map(String.init) ?? new
        let line = (text.split(separator: "\n", omittingEmptySubsequences: false).firstIndex { $0.contains(first) } ?? -1) + 1
        return (settings, problems.filter { $0.severity == .error }, line)
    }

    @Test func sampleChecksWithoutAWarning() {
        let (settings, problems) = SettingsFile.parse(Self.sample)
        #expect(settings != nil)
        #expect(problems == [])
    }

    @Test(arguments: ["第431010012345号", "\"431010012345\"", "第４３１０１００１２３４５号"])
    func licenseNumberIsTwelveDigitsWithOrWithoutDaiGo(_ number: String) throws {
        let (settings, errors, _) = try check(replacing: "number: 第431010012345号", with: "number: \(number)")
        #expect(errors == [])
        #expect(settings != nil)
    }

    @Test(arguments: ["第43101001234号", "第4310100123456号", "第431010012345号（埼玉）", "\"43101001234X\"", "許可431010012345"])
    func otherLicenseNumbersAreRefused(_ number: String) throws {
        let (settings, errors, line) = try check(replacing: "number: 第431010012345号", with: "number: \(number)")
        #expect(settings == nil)
        #expect(errors.count == 1)
        #expect(errors.first?.key == "shop.license.number")
        #expect(errors.first?.line == line)
        #expect(errors.first?.message.contains("12-digit 古物商許可番号") == true)
    }

    @Test func postalCodeGetsItsHyphenAndAWrongLengthIsRefused() throws {
        let (fixed, none, _) = try check(replacing: "postal_code: \"330-0063\"", with: "postal_code: \"3300063\"")
        #expect(none == [])
        #expect(fixed?.shop.postalCode == "330-0063")
        let (wide, _, _) = try check(replacing: "postal_code: \"330-0063\"", with: "postal_code: ３３０－００６３")
        #expect(wide?.shop.postalCode == "330-0063")
        let (short, errors, line) = try check(replacing: "postal_code: \"330-0063\"", with: "postal_code: \"330-006\"")
        #expect(short == nil)
        #expect(errors.map(\.description) == ["shop.yml:\(line): shop.postal_code: must be a postal code NNN-NNNN (7 digits), got 330-006"])
    }

    @Test func aNumberWhereTextIsExpectedIsRefused() throws {
        let (settings, errors, line) = try check(replacing: "bank_code: \"0009\"", with: "bank_code: 0009")
        #expect(settings == nil)
        #expect(errors.map(\.description) == ["shop.yml:\(line): bank_transfer.bank_code: must be text, not a number: put it in quotes (bank_code: \"0009\")"])
        let (_, phone, phoneLine) = try check(replacing: "phone: \"048-555-0123\"", with: "phone: 0485550123")
        #expect(phone.map(\.line) == [phoneLine])
        #expect(phone.first?.key == "shop.phone")
    }

    @Test func aTabInTheIndentationIsNamedWithItsLine() throws {
        let (settings, errors, line) = try check(replacing: "  company: 株式会社まる福リユース", with: "\tcompany: 株式会社まる福リユース")
        #expect(settings == nil)
        #expect(errors.count == 1)
        #expect(errors.first?.key == "(syntax)")
        #expect(errors.first?.line == line)
        #expect(errors.first?.message.contains("indented with a tab") == true, "\(errors)")
    }

    @Test func aFullWidthColonIsNamedWithItsLine() throws {
        let (settings, errors, line) = try check(replacing: "  company: 株式会社まる福リユース", with: "  company：株式会社まる福リユース")
        #expect(settings == nil)
        #expect(errors.count == 1)
        #expect(errors.first?.line == line, "\(errors)")
        #expect(errors.first?.message.contains("full-width colon") == true, "\(errors)")
        // Alone under its parent, the line is no syntax error but a value where keys belong.
        let (_, problems) = SettingsFile.parse("review:\n  valid_days：21\n")
        #expect(problems.contains { $0.key == "review" && $0.line == 2 && $0.message.contains("full-width colon") }, "\(problems)")
    }

    @Test func aSyntaxErrorGivesTheReasonAndItsLine() {
        let (settings, problems) = SettingsFile.parse("shop:\n  name: まる福\n  hours: [10:00\nsite:\n")
        #expect(settings == nil)
        #expect(problems.count == 1)
        #expect(problems.first?.line ?? 0 >= 3)
        #expect(problems.first?.message.isEmpty == false)
        #expect(problems.first?.message.contains("invalid YAML") == false, "\(problems)")
    }
}
