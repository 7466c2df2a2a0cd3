import KaitoriCore
import SitePages

/// Renders every page that only the handler or a per-case write would otherwise render, with a
/// sample case in a throwaway in-memory store. A template mistake that shows on one of them only
/// (a missing partial, a list written as text) then stops the build, instead of surfacing later as
/// a failed customer request.
enum TemplatePreview {
    /// - Throws: `SiteError` naming the template, line and column of the first problem.
    static func check(_ renderer: SiteRenderer, now: Int64) throws {
        let settings = renderer.settings
        _ = try renderer.applied(code: "ABCD-2345")
        for status in [400, 404, 410, 503] {
            _ = try renderer.errorPage(status: status, title: "見本", message: "見本のメッセージです。", backURL: status == 404 ? nil : "/apply/")
        }
        _ = try renderer.applyForm(values: sampleValues(settings), errors: everyFieldError())

        let store: CaseStore
        let record: Case
        do {
            store = try CaseStore(path: ":memory:", clock: FixedClock(now))
            record = try sampleCase(store, settings: settings, renderer: renderer)
        } catch let error as SiteError {
            throw error
        } catch {
            throw SiteError(file: "(template check)", message: "could not set up the sample case: \(error)")
        }
        _ = try renderer.reviewPage(record, kycToken: nil, now: now)
        _ = try renderer.reviewPage(record, kycToken: nil, now: now,
                                    draft: ReviewDraft(decision: .part, declined: [record.items[0].id], messages: ["見本のメッセージです。"]))
        _ = try renderer.reviewConfirm(record, decision: .part, declined: [record.items[0].id])
        _ = try renderer.reviewConfirm(record, decision: .cancel, declined: [])
        _ = try CasePages.pages(for: record, store: store, renderer: renderer, now: now)
        let token = record.reviewToken ?? ""
        let answered: Case
        let kycToken: String
        do {
            let declined = record.items.count > 1 ? [record.items[1].id] : []
            let (decided, outcome) = try store.decide(token: token, decision: declined.isEmpty ? .all : .part,
                                                      declined: declined, settings: settings)
            guard case .continueToID(let next) = outcome else {
                throw SiteError(file: "(template check)", message: "the sample case did not continue to the ID step")
            }
            answered = decided
            kycToken = next
        } catch let error as SiteError {
            throw error
        } catch {
            throw SiteError(file: "(template check)", message: "could not answer the sample case: \(error)")
        }
        _ = try renderer.reviewPage(answered, kycToken: kycToken, now: now)
        _ = try CasePages.pages(for: answered, store: store, renderer: renderer, now: now)
        for check in try store.idChecks(caseID: answered.id) {
            _ = try renderer.kycPage(answered, check: check)
        }
        do {
            let submitted = try store.submitID(token: kycToken, IDSubmission(idType: settings.idTypes.first?.id ?? "", name: "見本 太郎",
                                                                               address: "見本", birthDate: "1985-04-12", files: [],
                                                                               signatureName: "見本 太郎"), settings: settings)
            for check in try store.idChecks(caseID: submitted.id) {
                _ = try renderer.kycPage(submitted, check: check)
            }
            _ = try renderer.reviewPage(submitted, kycToken: nil, now: now)
            _ = try CasePages.pages(for: submitted, store: store, renderer: renderer, now: now)
        } catch let error as SiteError {
            throw error
        } catch {
            throw SiteError(file: "(template check)", message: "could not submit the sample ID: \(error)")
        }
    }

    /// An assessed case with two priced items, made through the store's own steps.
    private static func sampleCase(_ store: CaseStore, settings: Settings, renderer: SiteRenderer) throws -> Case {
        let application = Application(
            customer: Customer(name: "見本 太郎", kana: "ミホン タロウ", birthDate: "1985-04-12", occupation: "会社員",
                               postalCode: "100-0001", prefecture: "東京都", address: "千代田区千代田1-1"),
            payout: Payout(method: settings.payoutMethods.first?.id ?? ""),
            items: [DeclaredItem(category: settings.form.categories.first?.id ?? "", description: "見本", quantity: 2)])
        let staff = Actor.staff("template check")
        var record = try store.create(application, settings: settings, notify: false).0
        // The pages of a new case: its confirmation, applied page and status page, with a kit,
        // with a pickup, and with neither.
        var bank = application
        bank.payout = Payout(method: Payout.bankTransfer, bankCode: "0005", branchCode: "123", accountType: 1,
                             accountNumber: "1234567", accountHolder: "ミホン タロウ")
        bank.kit = settings.form.kitOffered
        bank.notes = "見本の備考です。\n2行目です。"
        _ = try renderer.applyConfirm(bank, values: sampleValues(settings))
        _ = try renderer.applied(code: record.code, record: record)
        _ = try CasePages.pages(for: record, store: store, renderer: renderer, now: store.clock.now())
        var kit = record
        kit.kit = true
        _ = try renderer.applied(code: record.code, record: kit)
        var pickup = record
        pickup.pickupDate = CivilDate(unixTime: store.clock.now()).adding(days: 2).iso
        pickup.pickupSlot = settings.form.pickupSlots.first?.id ?? ""
        _ = try renderer.applied(code: record.code, record: pickup)
        if record.status == .received { record = try store.confirm(code: record.code, by: staff, settings: settings) }
        record = try store.arrive(code: record.code, by: staff, settings: settings)
        record = try store.startAssessment(code: record.code, by: staff)
        for (name, price, comment) in [("見本の商品A", 12_000, "目立つ傷はありません。"), ("見本の商品B", 800, "")] {
            _ = try store.addItem(code: record.code, ItemDraft([.name: name, .quantity: "1", .unitPrice: String(price),
                                                                .grade: "3", .buyerComment: comment]), by: staff)
        }
        return try store.assess(code: record.code, by: staff, settings: settings)
    }

    private static func sampleValues(_ settings: Settings) -> FormValues {
        FormValues([("name", "見本 太郎"), ("item_category", settings.form.categories.first?.id ?? ""),
                    ("item_description", "見本"), ("item_quantity", "1"), ("item_category", ""),
                    ("item_description", ""), ("item_quantity", "x"), ("agree", "on")])
    }

    /// A message on every field of the form and on an item row, so every error branch renders.
    private static func everyFieldError() -> FieldErrors {
        let fields = ["name", "kana", "birth_date", "occupation", "postal_code", "prefecture", "address", "building",
                      "phone", "email", "contact", "payout", "bank_code", "branch_code", "account_type", "account_number",
                      "account_holder", "boxes", "kit", "pickup_date", "pickup_slot", "notes", "agree", "unknown"]
        return FieldErrors(fields.map { FieldError($0, "見本のメッセージです。") } + [
            FieldError("item_quantity", CustomerText.itemQuantity(2)),
            FieldError("item_description", CustomerText.noItems),
        ])
    }
}
