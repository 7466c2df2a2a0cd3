import KaitoriCore
import Testing

@Suite struct JapaneseDateTests {
    func date(_ text: String) -> String? {
        try? JapaneseDate.parse(text, label: "生年月日").get().iso
    }

    func problem(_ text: String) -> String? {
        if case .failure(let p) = JapaneseDate.parse(text, label: "生年月日") { return p.message }
        return nil
    }

    @Test(arguments: [
        ("1985-04-01", "1985-04-01"), ("19850401", "1985-04-01"), ("1985/4/1", "1985-04-01"),
        ("1985.4.1", "1985-04-01"), ("1985年4月1日", "1985-04-01"), ("１９８５－０４－０１", "1985-04-01"),
        ("１９８５年４月１日", "1985-04-01"), (" 1985 / 4 / 1 ", "1985-04-01"),
        ("昭和60年4月1日", "1985-04-01"), ("昭和６０年４月１日", "1985-04-01"), ("S60.4.1", "1985-04-01"),
        ("s60/04/01", "1985-04-01"), ("Ｓ６０．４．１", "1985-04-01"), ("昭60.4.1", "1985-04-01"),
        ("R2.1.1", "2020-01-01"), ("令和2年1月1日", "2020-01-01"), ("H1.1.8", "1989-01-08"),
        ("平成元年1月8日", "1989-01-08"), ("平成 元年 1月 8日", "1989-01-08"), ("令和元年5月1日", "2019-05-01"),
        ("T15.12.24", "1926-12-24"), ("昭和元年12月25日", "1926-12-25"), ("大正元年7月30日", "1912-07-30"),
        ("明治45年7月29日", "1912-07-29"), ("2000-02-29", "2000-02-29"),
    ])
    func accepts(_ input: String, _ iso: String) {
        #expect(date(input) == iso, "\(input)")
    }

    /// `dddd-dd-dd` is read straight from its bytes; with a space after it the same text goes the
    /// general way. Both must agree on every month and day, possible or not.
    @Test func aDateInputsTextReadsAsTheGeneralWayReadsIt() {
        var checked = 0
        for year in ["0000", "1868", "1900", "1989", "2000", "2024", "2026", "9999"] {
            for month in 0...13 {
                for day in [0, 1, 28, 29, 30, 31, 32, 99] {
                    let iso = year + "-" + (month < 10 ? "0\(month)" : "\(month)") + "-" + (day < 10 ? "0\(day)" : "\(day)")
                    #expect(JapaneseDate.parse(iso, label: "生年月日") == JapaneseDate.parse(iso + " ", label: "生年月日"), "\(iso)")
                    checked += 1
                }
            }
        }
        #expect(checked == 8 * 14 * 8)
        for near in ["1985-4-01", "1985-04-1", "1985/04/01", "1985-04-01x", "x985-04-01", "1985-0a-01", "19850-4-01"] {
            #expect(JapaneseDate.parse(near, label: "生年月日") == JapaneseDate.parse(near + " ", label: "生年月日"), "\(near)")
        }
    }

    /// `CivilDate(iso:)` takes exactly four, two and two ASCII digits between hyphens, and a day
    /// that exists (it shares its reading with the date input's).
    @Test func isoDatesAreReadStrictly() {
        #expect(CivilDate(iso: "2026-12-03") == CivilDate(year: 2026, month: 12, day: 3))
        for text in ["2026-+1-01", "2026-1-01", "2026-12-3", "+026-12-03", "2026/12/03", "2026-12-03 ", "２０２６-12-03",
                     "2026-02-30", "", "2026-12-031"] {
            #expect(CivilDate(iso: text) == nil, "\(text)")
        }
    }

    @Test func eraBoundariesAreExact() {
        #expect(date("昭和64年1月7日") == "1989-01-07")
        #expect(date("平成元年1月8日") == "1989-01-08")
        #expect(date("平成31年4月30日") == "2019-04-30")
        #expect(date("令和元年5月1日") == "2019-05-01")
        // The day after an era ended, or before it began, belongs to the other era.
        #expect(problem("昭和64年1月8日")?.contains("昭和の期間") == true)
        #expect(problem("平成元年1月7日")?.contains("平成の期間") == true)
        #expect(problem("平成31年5月1日")?.contains("平成の期間（平成元年1月8日〜平成31年4月30日）") == true)
        #expect(problem("令和元年4月30日")?.contains("令和の期間（令和元年5月1日から）") == true)
        #expect(problem("大正15年12月25日") != nil)
    }

    @Test func heisei32IsRefusedWithTheRightEraNamed() throws {
        let message = try #require(problem("平成32年1月1日"))
        #expect(message.hasPrefix("生年月日の"))
        #expect(message.contains("2020年1月1日 (令和2年)"))
        #expect(problem("H32.1.1") == message)
    }

    @Test(arguments: ["1985-02-29", "1985-13-01", "1985-04-31", "昭和60年2月30日", "S60.0.1", "2023-02-29"])
    func refusesImpossibleDatesNamingTheField(_ input: String) throws {
        let message = try #require(problem(input))
        #expect(message.hasPrefix("生年月日"), "\(input): \(message)")
    }

    @Test func impossibleDateMessageQuotesWhatWasTyped() {
        #expect(problem("昭和60年2月30日") == CustomerText.dateImpossible("生年月日", "昭和60年2月30日"))
        #expect(problem("1985/2/29") == CustomerText.dateImpossible("生年月日", "1985年2月29日"))
    }

    @Test func incompleteAndGarbageGetTheirOwnMessages() {
        #expect(problem("") == CustomerText.required("生年月日"))
        #expect(problem("平成元年") == CustomerText.dateIncomplete("生年月日"))
        #expect(problem("1985年4月") == CustomerText.dateIncomplete("生年月日"))
        for text in ["abc", "85-4-1", "1985-4-1-2", "S600.4.1", "昭和X年4月1日", "1985-04-01T00:00", "198504011"] {
            #expect(problem(text) == CustomerText.dateFormat("生年月日"), "\(text)")
        }
    }

    @Test func showsTheDateWithItsEra() {
        #expect(JapaneseDate.display(CivilDate(year: 1985, month: 4, day: 1)!) == "1985年4月1日 (昭和60年)")
        #expect(JapaneseDate.display(CivilDate(year: 1989, month: 1, day: 7)!) == "1989年1月7日 (昭和64年)")
        #expect(JapaneseDate.display(CivilDate(year: 1989, month: 1, day: 8)!) == "1989年1月8日 (平成元年)")
        #expect(JapaneseDate.display(CivilDate(year: 2019, month: 5, day: 1)!) == "2019年5月1日 (令和元年)")
        #expect(JapaneseDate.eraDate(CivilDate(year: 2019, month: 4, day: 30)!) == "平成31年4月30日")
    }

    @Test func validatorStoresTheISODateAndRefusesTheFuture() throws {
        let validator = ApplicationValidator(settings: Fixtures.settings, today: CivilDate(year: 2026, month: 11, day: 21)!)
        let app = try validator.validate(Fixtures.form(["birth_date": "昭和60年4月12日"])).get()
        #expect(app.customer.birthDate == "1985-04-12")
        guard case .failure(let errors) = validator.validate(Fixtures.form(["birth_date": "R9.1.1"])) else {
            Issue.record("future date accepted"); return
        }
        #expect(errors.messages(for: "birth_date") == [CustomerText.dateInFuture("生年月日")])
    }
}
