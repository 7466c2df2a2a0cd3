import Foundation
import KaitoriCore
import Testing

@Suite struct SettingsJSONTests {
    @Test func readsExactlyWhatJSONEncoderWrites() throws {
        for sorted in [false, true] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = sorted ? [.sortedKeys, .withoutEscapingSlashes] : []
            var settings = Fixtures.settings
            let data = try encoder.encode(HandlerSettings(settings))
            #expect(try Settings(json: JSONReader(JSONValue.parse([UInt8](data)))) == settings.forHandler)
            settings.bankTransfer = nil
            let withoutBank = try encoder.encode(HandlerSettings(settings))
            #expect(try Settings(json: JSONReader(JSONValue.parse([UInt8](withoutBank)))) == settings.forHandler)
        }
    }

    @Test func theHandlersCopyCarriesNoDeliverySettings() throws {
        var settings = Fixtures.settings
        settings.delivery.emailMethod = .smtp
        settings.delivery.smtp = .init(host: "smtp.secret-host.example", port: 587, starttls: true, username: "mail-user", passwordEnv: "SECRET_ENV_NAME")
        settings.delivery.smsHTTPURL = "https://sms-gateway.example/send"
        settings.delivery.smsHTTPAuthFile = "/etc/kaitori/sms-auth"
        settings.delivery.shopNotifyEmail = "notify@example.jp"
        let text = String(decoding: try JSONEncoder().encode(HandlerSettings(settings)), as: UTF8.self)
        for secret in ["delivery", "smtp", "secret-host", "mail-user", "SECRET_ENV_NAME", "sms-gateway", "sms-auth", "sendmail"] {
            #expect(!text.contains(secret), "\(secret) is in the handler's settings")
        }
        #expect(text.contains("notify@example.jp"))
    }

    @Test func parsesEscapesUnicodeAndNumbers() throws {
        let text = #"{"a":"x\"y\\z\/\n\t\u00e9\u3042\ud83d\ude00","b":[1,-2.5,3e2,true,false,null],"c":{}}"#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(value == .object([
            "a": .string("x\"y\\z/\n\té\u{3042}😀"),
            "b": .array([.number(1), .number(-2.5), .number(300), .bool(true), .bool(false), .null]),
            "c": .object([:]),
        ]))
    }

    @Test(arguments: [#"{"a":1"#, #"{"a" 1}"#, #"["x",]"#, #""\ud800""#, #"{"a":"\q"}"#, "tru", #"{"a":1} x"#, "\"a\u{1}\""])
    func refusesMalformedDocuments(_ text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array(text.utf8)) }
    }

    @Test func mappingErrorsNameThePath() throws {
        let value = try JSONValue.parse(Array(#"{"shop":{"name":3}}"#.utf8))
        #expect(throws: JSONValue.MappingError(path: "$.shop.name", message: "expected a string")) {
            try JSONReader(value)["shop"]["name"].string()
        }
    }
}
