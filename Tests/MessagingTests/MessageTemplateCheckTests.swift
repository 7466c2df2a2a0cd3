import KaitoriCore
@testable import SettingsFile
import Testing

@Suite struct MessageTemplateCheckTests {
    /// shop.yml with `old` replaced, its settings, and the 1-based line where `marker` now is.
    func edited(_ old: String, _ new: String, marker: String) throws -> (Settings, String, Int) {
        let yaml = TestShop.shopYAML
        #expect(yaml.contains(old))
        let text = yaml.replacingOccurrences(of: old, with: new)
        let (settings, problems) = SettingsFile.parse(text)
        let line = try #require(text.components(separatedBy: "\n").firstIndex { $0.contains(marker) }) + 1
        return (try #require(settings, "\(problems)"), text, line)
    }

    @Test func theSampleShopsTemplatesAllRender() {
        #expect(MessageTemplateCheck.problems(for: TestShop.settings, yaml: TestShop.shopYAML) == [])
    }

    @Test func aBrokenBodyIsReportedAtItsLineInShopYML() throws {
        let (settings, text, line) = try edited("      お待たせいたしました。査定が完了しました。\n",
                                                "      お待たせいたしました。{{#links.review}}査定が完了しました。\n",
                                                marker: "{{#links.review}}査定が完了")
        let problems = MessageTemplateCheck.problems(for: settings, yaml: text)
        #expect(problems.count == 1)
        let p = try #require(problems.first)
        #expect(p.key == "messages.assessed.email_body")
        #expect(p.line == line)
        #expect(p.severity == .error)
        #expect(p.message.hasPrefix("template error: line 3, column"))
        #expect(p.message.contains("links.review"))
    }

    @Test func aBrokenSubjectIsReportedAtItsLine() throws {
        let old = "    email_subject: 【{{shop.name}}】お品物が到着しました（受付番号 {{case.code}}）\n"
        let (settings, text, line) = try edited(old, old.replacingOccurrences(of: "{{case.code}}", with: "{{case.code}"),
                                                marker: "お品物が到着しました（受付番号")
        let problems = MessageTemplateCheck.problems(for: settings, yaml: text)
        #expect(problems.map(\.key) == ["messages.arrived.email_subject"])
        #expect(problems.first?.line == line)
    }

    @Test func anSMSOver670CharactersIsFlagged() throws {
        let old = "      【{{shop.name}}】お品物が到着しました。査定完了まで2〜3営業日ほどお待ちください。受付番号：{{case.code}} 状況：{{status_url}}\n"
        let long = "      【{{shop.name}}】" + String(repeating: "お品物が到着しました。", count: 60) + "{{case.code}}\n"
        let (settings, text, line) = try edited(old, long, marker: String(repeating: "お品物が到着しました。", count: 60))
        let problems = MessageTemplateCheck.problems(for: settings, yaml: text)
        let p = try #require(problems.first)
        #expect(problems.count == 1)
        #expect(p.key == "messages.arrived.sms")
        #expect(p.severity == .warning)
        #expect(p.line == line)
        #expect(p.message.hasPrefix("\("【まる福 宅配買取センター】".count + 660 + 9) characters with the sample case, over 670"))
    }

    @Test func returnedTemplateSeesTheReturnValues() throws {
        let old = "      【{{shop.name}}】お品物をご返送しました。{{return.carrier}} お問い合わせ番号：{{return.tracking}} 状況：{{status_url}}\n"
        let long = "      " + String(repeating: "あ", count: 640) + "{{return.carrier}}{{return.tracking}}\n"
        let (settings, text, _) = try edited(old, long, marker: String(repeating: "あ", count: 640))
        // 640 + ヤマト運輸 (5) + 4321-8765-0987 (14) = 659: within the limit only because
        // nothing else was added, and over it if the sample lacked the values.
        #expect(MessageTemplateCheck.problems(for: settings, yaml: text).isEmpty)
        #expect(MessageTemplateCheck.smsLength(String(repeating: "あ", count: 640) + "ヤマト運輸4321-8765-0987\n") == 659)
    }

    @Test func sampleCaseHasLinksAndTotals() throws {
        let (record, kyc) = try MessageTemplateCheck.sampleCase(TestShop.settings)
        #expect(record.reviewToken != nil)
        #expect(record.total == 116_000 && record.acceptedTotal == 18_000)
        #expect(kyc.hasPrefix(TestShop.settings.site.baseURL + "/kyc/"))
    }
}
