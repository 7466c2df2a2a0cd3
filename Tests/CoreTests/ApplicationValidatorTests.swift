import KaitoriCore
import Testing

@Suite struct ApplicationValidatorTests {
    let validator = ApplicationValidator(settings: Fixtures.settings, today: CivilDate(year: 2026, month: 11, day: 21)!)

    @Test func normalizesFullWidthDigitsHyphensAndKana() throws {
        let app = try validator.validate(Fixtures.form()).get()
        #expect(app.customer.kana == "ヤマダ　タロウ")
        #expect(app.customer.birthDate == "1985-04-12")
        #expect(app.customer.postalCode == "330-0063")
        #expect(app.customer.phone == "09012345678")
        #expect(app.payout.accountHolder == "ヤマダ　タロウ")
        #expect(app.items == [DeclaredItem(category: "game", description: "Nintendo Switch 本体", quantity: 1),
                              DeclaredItem(category: "camera", description: "Canon EOS R6 ボディ", quantity: 2)])
    }

    @Test func refusesUnderAgeWithTheMinimumInTheMessage() {
        let result = validator.validate(Fixtures.form(["birth_date": "2008-11-22"]))
        guard case .failure(let errors) = result else { Issue.record("17-year-old accepted"); return }
        #expect(errors.messages(for: "birth_date") == [CustomerText.underAge(18)])
        // Turning 18 today is old enough.
        #expect((try? validator.validate(Fixtures.form(["birth_date": "2008-11-21"])).get()) != nil)
    }

    @Test func reportsEveryBadFieldAtOnce() {
        let form = Fixtures.form(["kana": "Yamada", "postal_code": "33-0063", "phone": "12345", "email": "taro@",
                                  "bank_code": "05", "account_number": "12345678", "agree": "", "prefecture": "東京"])
        guard case .failure(let errors) = validator.validate(form) else { Issue.record("accepted"); return }
        #expect(Set(errors.errors.map(\.field)) == ["kana", "postal_code", "phone", "email", "bank_code", "account_number", "agree", "prefecture"])
    }

    @Test func bankFieldsOnlyForBankTransfer() throws {
        let app = try validator.validate(Fixtures.form(["payout": "store_credit", "bank_code": "", "branch_code": "", "account_number": "", "account_holder": ""])).get()
        #expect(app.payout.method == "store_credit" && app.payout.bankCode.isEmpty)
    }

    /// The account holder must fit the transfer file: bank kana in at most 30 bytes (ガ is ｶﾞ, two),
    /// with no character banks lack; the message names the field. Hiragana is normalized first.
    @Test func accountHolderMustFitTheZenginField() throws {
        func holderErrors(_ holder: String) -> [String] {
            guard case .failure(let e) = validator.validate(Fixtures.form(["account_holder": holder])) else { return [] }
            return e.messages(for: "account_holder")
        }
        #expect(holderErrors("やまだ　たろう").isEmpty)
        #expect(holderErrors(String(repeating: "カ", count: 30)).isEmpty)
        let long = holderErrors(String(repeating: "ガ", count: 16))
        #expect(long.count == 1 && long[0].hasPrefix("口座名義（カナ）") && long[0].contains("30") && long[0].contains("32"))
        let odd = holderErrors("ヷタナベ")
        #expect(odd.count == 1 && odd[0].contains("「ヷ」") && odd[0].hasPrefix("口座名義（カナ）"))
        #expect(holderErrors("山田") == [CustomerText.holderKanaOnly])
        // Staff correcting a payout (console, `kaitori case payout`) go through the same rule.
        var problems: [FieldError] = []
        _ = validator.validatePayout(FormValues([("payout", "bank_transfer"), ("bank_code", "0005"), ("branch_code", "123"),
                                                 ("account_type", "1"), ("account_number", "1234567"),
                                                 ("account_holder", String(repeating: "ガ", count: 16))]), &problems)
        #expect(problems.map(\.field) == ["account_holder"])
    }

    @Test func blankSpareRowsAreIgnoredButAnEmptyListIsNot() {
        var form = Fixtures.form()
        form.pairs.append(("item_category", "")); form.pairs.append(("item_description", "")); form.pairs.append(("item_quantity", "1"))
        #expect((try? validator.validate(form).get())?.items.count == 2)
        let empty = FormValues(Fixtures.form().pairs.filter { !$0.name.hasPrefix("item_") }.map { ($0.name, $0.value) })
        guard case .failure(let errors) = validator.validate(empty) else { Issue.record("no items accepted"); return }
        #expect(errors.messages(for: "item_description") == [CustomerText.noItems])
    }

    @Test func smsNeedsAMobileNumberAndEmailContactNeedsAnAddress() {
        guard case .failure(let e1) = validator.validate(Fixtures.form(["contact": "sms", "phone": "048-555-0123"])) else { Issue.record(); return }
        #expect(e1.messages(for: "phone") == [CustomerText.phoneForSMS])
        guard case .failure(let e2) = validator.validate(Fixtures.form(["email": ""])) else { Issue.record(); return }
        #expect(e2.messages(for: "email") == [CustomerText.emailForContact])
    }

    @Test func pickupDateMustBeInTheFutureWithAKnownSlot() {
        guard case .failure(let errors) = validator.validate(Fixtures.form(["pickup_date": "2026-11-21", "pickup_slot": "night"])) else { Issue.record(); return }
        #expect(errors.messages(for: "pickup_date") == [CustomerText.pickupDatePast])
        #expect(errors.messages(for: "pickup_slot") == [CustomerText.choose("集荷希望時間帯")])
        #expect((try? validator.validate(Fixtures.form(["pickup_date": "2026-11-23", "pickup_slot": "am"])).get())?.pickupSlot == "am")
    }

    @Test func civilDatesAndAges() {
        let leap = CivilDate(year: 2008, month: 2, day: 29)!
        #expect(leap.age(on: CivilDate(year: 2026, month: 2, day: 28)!) == 17)
        #expect(leap.age(on: CivilDate(year: 2026, month: 3, day: 1)!) == 18)
        #expect(CivilDate(iso: "2026-02-30") == nil)
        #expect(CivilDate(unixTime: 1_763_737_200).iso == "2025-11-22") // 2025-11-21T15:00Z is midnight in Tokyo
        #expect(CivilDate(daysSinceEpoch: CivilDate(year: 2026, month: 12, day: 31)!.daysSinceEpoch) == CivilDate(year: 2026, month: 12, day: 31))
        #expect(Timestamp.iso(1_763_737_200) == "2025-11-22T00:00:00+09:00")
    }
}
