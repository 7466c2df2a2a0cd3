@testable import Messaging
import Testing

@Suite struct MailAddressTests {
    @Test func parsesTheForms() throws {
        let bare = try MailAddress(parsing: "taro@example.jp", field: "To")
        #expect(bare.displayName == "" && bare.address == "taro@example.jp")
        #expect(try MailAddress(parsing: " <taro@example.jp> ", field: "To").address == "taro@example.jp")
        let named = try MailAddress(parsing: "まる福 <kaitori@example.jp>", field: "From")
        #expect(named.displayName == "まる福")
        #expect(named.domain == "example.jp")
        #expect(try MailAddress(parsing: "\"A \\\"B\\\"\" <a@b.jp>", field: "From").displayName == "A \"B\"")
    }

    @Test(arguments: [
        ("", "empty"),
        ("taro.example.jp", "no @"),
        ("@example.jp", "nothing before the @"),
        ("taro@", "no domain after the @"),
        ("taro yamada@example.jp", "the part before the @ has a character that needs quoting"),
        ("taro..y@example.jp", "the part before the @ has a character that needs quoting"),
        ("taro@exa_mple.jp", "the domain is not a host name"),
        ("たろう@example.jp", "non-ASCII addresses need SMTPUTF8, which is not supported"),
        ("taro@example.jp\r\nBcc: x@y.jp", "the part before the @ has a character that needs quoting"),
    ])
    func refusesWhatCannotBeSent(input: String, reason: String) {
        #expect(throws: DeliveryError.invalidAddress(field: "To", value: input, reason: reason)) {
            try MailAddress(parsing: input, field: "To")
        }
    }

    @Test func onlyABadRecipientIsPermanent() {
        #expect(DeliveryError.invalidAddress(field: "To", value: "x", reason: "no @").isPermanent)
        #expect(!DeliveryError.invalidAddress(field: "From", value: "x", reason: "no @").isPermanent)
    }
}
