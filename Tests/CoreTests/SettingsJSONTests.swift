import Foundation
import KaitoriCore
import Testing

@Suite struct SettingsJSONTests {
    @Test func readsExactlyWhatJSONEncoderWrites() throws {
        for sorted in [false, true] {
            let encoder = JSONEncoder()
            encoder.outputFormatting = sorted ? [.sortedKeys, .withoutEscapingSlashes] : []
            var settings = Fixtures.settings
            settings.compliance.privateKeyPath = ""  // never published (SettingsFileTests)
            let data = try encoder.encode(settings)
            #expect(try Settings(json: JSONReader(JSONValue.parse([UInt8](data)))) == settings)
            settings.bankTransfer = nil
            let withoutBank = try encoder.encode(settings)
            #expect(try Settings(json: JSONReader(JSONValue.parse([UInt8](withoutBank)))) == settings)
        }
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
