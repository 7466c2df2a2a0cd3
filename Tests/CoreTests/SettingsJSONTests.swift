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
            // As the handler reads it: the templates left unread until asked for, each the same.
            let lazy = try Settings(json: JSONReader(parsing: [UInt8](data)))
            #expect(lazy == settings.forHandler)
            let events = try settings.messages.all().keys
            #expect(events.count > 5)
            for event in events { #expect(try lazy.messages.template(for: event) == settings.messages[event]) }
            #expect(try lazy.messages.template(for: "no_such_event") == nil)
            settings.bankTransfer = nil
            let withoutBank = try encoder.encode(HandlerSettings(settings))
            #expect(try Settings(json: JSONReader(parsing: [UInt8](withoutBank))) == settings.forHandler)
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

    /// Strings are scanned eight bytes at a time: a quote, an escape or a control character is
    /// found at every offset, and multi-byte characters never pass for one.
    @Test func stringsReadTheSameWhereverTheirSpecialBytesFall() throws {
        for length in 0..<20 {
            let plain = String(repeating: "あa", count: length / 2) + (length % 2 == 1 ? "¢" : "")
            for (text, expected) in [("\"\(plain)\"", plain), ("\"\(plain)\\n\(plain)\"", plain + "\n" + plain),
                                     ("\"\(plain)\\\"\"", plain + "\"")] {
                #expect(try JSONValue.parse(Array(text.utf8)) == .string(expected), "\(text)")
                #expect(try JSONReader(parsing: Array("{\"a\":{\"b\":\(text)}}".utf8))["a"]["b"].string() == expected)
            }
            #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array("\"\(plain)\u{1F}x\"".utf8)) }
            #expect(throws: JSONValue.ParseError.self) {
                try JSONReader(parsing: Array("{\"a\":{\"b\":\"\(plain)\u{1F}x\"}}".utf8))
            }
            #expect(throws: JSONValue.ParseError.self) { try JSONValue.parse(Array("\"\(plain)".utf8)) }
        }
    }

    /// A fault anywhere refuses the whole document, also inside values no one reads.
    @Test(arguments: [#"{"a":{"b":1}"#, #"{"a":{"b" 1}}"#, #"{"a":{"b":["x",]}}"#, #"{"a":{"b":"\ud800"}}"#,
                      #"{"a":{"b":"\udc00"}}"#, #"{"a":{"b":"\q"}}"#, #"{"a":{"b":tru}}"#, #"{"a":{"b":1} x}"#,
                      "{\"a\":{\"b\":\"x\u{1}\"}}", #"{"a":{"b":{"c":1,}}}"#, #"{"a":01}"#, #"{"a":1.}"#,
                      #"{"a":-}"#, #"{"a":1e}"#, #"{"a":+1}"#, #"{"a":.5}"#])
    func refusesMalformedDocumentsWhereverTheFaultIs(_ text: String) {
        #expect(throws: JSONValue.ParseError.self) { try JSONReader(parsing: Array(text.utf8)) }
    }

    /// Keys are found by their bytes, escaped keys and repeated keys included; a missing member is
    /// null and errors name the path through arrays and missing keys.
    @Test func readersFindMembersAndNameTheirPaths() throws {
        let text = #"{"a":{"b":[1,{"c":"\u3042\n","c\u0064":2.5e1}],"d":{}},"e":true,"e":false,"n":-12,"big":12345678901234567890}"#
        let root = try JSONReader(parsing: Array(text.utf8))
        #expect(try root["a"]["b"].array { $0.value } == [.number(1), .object(["c": .string("\u{3042}\n"), "cd": .number(25)])])
        #expect(try root["a"]["b"].array { $0.isObject ? try $0["cd"].value : .null }[1] == .number(25))
        #expect(try root["e"].bool() == false)
        #expect(try root["n"].int() == -12)
        #expect(try root["a"]["d"].members().isEmpty)
        #expect(try root["a"].count == 2 && root["a"]["b"].count == 2 && root["a"]["d"].count == 0 && root["n"].count == 0)
        #expect(try root["missing"].isNull && !root["missing"].exists && root["e"].exists)
        #expect(throws: JSONValue.MappingError.self) { try root["big"].int() }
        #expect(throws: JSONValue.MappingError(path: "$.a.b[1].c", message: "expected a whole number")) {
            try root["a"]["b"].array { $0.isObject ? try $0["c"].int() : 0 }
        }
        #expect(throws: JSONValue.MappingError(path: "$.a.x", message: "expected a string")) { try root["a"]["x"].string() }
        #expect(throws: JSONValue.MappingError(path: "$.a.x", message: "expected an object")) { try root["a"]["x"]["y"].string() }
        #expect(try JSONValue.parse(Array(text.utf8)) == root.value)
    }

    @Test func anUnreadTemplateOfTheWrongShapeIsReportedWithItsPath() throws {
        let text = #"{"messages":{"good":{"emailSubject":"件名","emailBody":"本文","sms":""},"bad":{"emailSubject":1,"emailBody":"","sms":""}}}"#
        let templates = try MessageTemplates(json: JSONReader(parsing: Array(text.utf8))["messages"])
        #expect(!templates.isEmpty)
        #expect(try MessageTemplates(json: JSONReader(parsing: Array(#"{"messages":{}}"#.utf8))["messages"]).isEmpty)
        #expect(try templates.template(for: "good") == Settings.MessageTemplate(emailSubject: "件名", emailBody: "本文"))
        #expect(throws: JSONValue.MappingError(path: "$.messages.bad.emailSubject", message: "expected a string")) {
            try templates.template(for: "bad")
        }
        #expect(templates["bad"] == nil)
        #expect(throws: JSONValue.MappingError.self) { try templates.all() }
    }

    @Test func mappingErrorsNameThePath() throws {
        let root = try JSONReader(parsing: Array(#"{"shop":{"name":3}}"#.utf8))
        #expect(throws: JSONValue.MappingError(path: "$.shop.name", message: "expected a string")) {
            try root["shop"]["name"].string()
        }
    }
}
