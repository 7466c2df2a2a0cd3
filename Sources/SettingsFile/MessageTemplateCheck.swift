import Foundation
import KaitoriCore
import Mustache
import Yams

/// `kaitori check`'s look at the message templates: each one is rendered against a sample case,
/// so a template that would fail when its event happens is reported now, with its line in
/// shop.yml, and an SMS that would be split into many segments is flagged.
public enum MessageTemplateCheck {
    /// Ten 67-character segments of a concatenated Japanese (UCS-2) SMS; many carriers cut or
    /// refuse longer texts.
    public static let smsLimit = 670

    /// Checks the templates of `settings`, taking lines from `DIR/shop.yml`.
    public static func problems(for settings: Settings, site: String) -> [SettingsProblem] {
        let path = site + "/" + SettingsFile.fileName
        let text = FileManager.default.contents(atPath: path).flatMap { String(data: $0, encoding: .utf8) } ?? ""
        return problems(for: settings, yaml: text)
    }

    /// Checks the templates of `settings`; `text` is the shop.yml they were read from.
    public static func problems(for settings: Settings, yaml text: String, file: String = SettingsFile.fileName) -> [SettingsProblem] {
        let messagesNode = (try? Yams.compose(yaml: text))?.mapping?["messages"]
        let sample: (record: Case, kycLink: String)
        do {
            sample = try sampleCase(settings)
        } catch {
            return [SettingsProblem(file: file, line: messagesNode?.mark?.line ?? 1, key: "messages",
                                    message: "cannot build the sample case to check the templates: \(error)")]
        }
        let templates: [String: Settings.MessageTemplate]
        do {
            templates = try settings.messages.all()
        } catch {
            return [SettingsProblem(file: file, line: messagesNode?.mark?.line ?? 1, key: "messages", message: "cannot be read: \(error)")]
        }
        var problems: [SettingsProblem] = []
        for (event, template) in templates.sorted(by: { $0.key < $1.key }) {
            let extra: [String: MustacheValue] = event == MessageEvent.returned.rawValue ? sampleReturn : [:]
            let context = MessageContext.make(settings: settings, record: sample.record, kycLink: .string(sample.kycLink), extra: extra)
            let fields = [("email_subject", template.emailSubject), ("email_body", template.emailBody), ("sms", template.sms)]
            for (field, source) in fields where !source.isEmpty {
                let key = "messages.\(event).\(field)"
                let node = messagesNode?.mapping?[event]?.mapping?[field]
                do {
                    let rendered = try MessageContext.render(source, name: key, context)
                    let length = smsLength(rendered)
                    if field == "sms", length > smsLimit {
                        problems.append(SettingsProblem(
                            file: file, line: line(of: node, templateLine: 1), key: key,
                            message: "\(length) characters with the sample case, over \(smsLimit): carriers split it into many messages or cut it",
                            severity: .warning))
                    }
                } catch let error as TemplateError {
                    let place = error.line > 0 ? "line \(error.line), column \(error.column) of the template: " : ""
                    problems.append(SettingsProblem(file: file, line: line(of: node, templateLine: error.line), key: key,
                                                    message: "template error: \(place)\(error.message)"))
                } catch {
                    problems.append(SettingsProblem(file: file, line: line(of: node, templateLine: 1), key: key,
                                                    message: "template error: \(error)"))
                }
            }
        }
        return problems
    }

    /// Characters as an SMS counts them (UTF-16 units in UCS-2), without the trailing line break
    /// the transports drop.
    static func smsLength(_ text: String) -> Int {
        var trimmed = Substring(text)
        while let last = trimmed.last, last.isWhitespace { trimmed.removeLast() }
        return trimmed.utf16.count
    }

    /// The shop.yml line of a template's line. A literal block (`|`) keeps lines one to one,
    /// starting on the line after the indicator; other styles fold lines, so the value's first
    /// line is the best answer.
    static func line(of node: Node?, templateLine: Int) -> Int {
        guard let node, let mark = node.mark else { return 1 }
        switch node.scalar?.style {
        case .literal?: return mark.line + max(templateLine, 1)
        case .folded?: return mark.line + 1
        default: return mark.line
        }
    }

    static let sampleReturn: [String: MustacheValue] = [
        "return": .object(["carrier": .string("ヤマト運輸"), "tracking": .string("4321-8765-0987"),
                           "items": .list([.string("Nintendo Switch 本体"), .string("Canon EOS R6 ボディ")])]),
    ]

    /// A case as it looks when its review link goes out: customer, two assessed items, review
    /// and ID links. `Case` has no public initializer (only the store makes cases), so the sample
    /// is made by a store in an in-memory database.
    static func sampleCase(_ settings: Settings) throws -> (record: Case, kycLink: String) {
        let now: Int64 = 1_790_000_000
        let store = try CaseStore(path: ":memory:", clock: FixedClock(now))
        var quiet = settings
        quiet.autoConfirm = false
        quiet.messages = [:]
        let customer = Customer(name: "山田 太郎", kana: "ヤマダ タロウ", birthDate: "1985-04-12", occupation: "会社員",
                                postalCode: "330-0063", prefecture: "埼玉県", address: "さいたま市浦和区高砂1-2-3",
                                building: "高砂マンション101", phone: "090-1234-5678", email: "taro.yamada@example.jp", contact: .email)
        let payout = Payout(method: settings.payoutMethods.first?.id ?? Payout.bankTransfer, bankCode: "0005", branchCode: "123",
                            accountType: 1, accountNumber: "1234567", accountHolder: "ﾔﾏﾀﾞ ﾀﾛｳ")
        let category = settings.form.categories.first?.id ?? ""
        let application = Application(customer: customer, payout: payout,
                                      items: [DeclaredItem(category: category, description: "Nintendo Switch 本体", quantity: 1),
                                              DeclaredItem(category: category, description: "Canon EOS R6 ボディ", quantity: 1)],
                                      boxes: 1, kit: settings.form.kitOffered,
                                      pickupDate: settings.form.pickupOffered ? CivilDate(unixTime: now).adding(days: 2).iso : "",
                                      pickupSlot: settings.form.pickupSlots.first?.id ?? "")
        var (record, _) = try store.create(application, settings: quiet, initialStatus: .assessed, notify: false)
        record.items = [
            Item(id: 1, position: 1, name: "Nintendo Switch 本体", quantity: 1, unitPrice: 18_000, grade: 2),
            Item(id: 2, position: 2, name: "Canon EOS R6 ボディ", quantity: 1, unitPrice: 98_000, grade: 3, declined: true),
        ]
        record.reviewToken = Identifiers.token()
        record.assessedAt = now
        record.reviewExpiresAt = now + Int64(settings.review.validDays) * 86_400
        return (record, settings.absoluteURL("/kyc/\(Identifiers.token())/"))
    }
}
