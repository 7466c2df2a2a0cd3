import Foundation
import KaitoriCore
import Testing

@Suite struct Base64Tests {
    @Test(arguments: ["", "f", "fo", "foo", "foob", "fooba", "foobar", "査定結果のご確認"])
    func matchesFoundationBothWays(_ text: String) {
        let bytes = Array(text.utf8)
        let encoded = Base64.encode(bytes)
        #expect(encoded == Data(bytes).base64EncodedString())
        #expect(Base64.decode(Array(encoded.utf8)) == bytes)
    }

    @Test(arguments: ["Zg=", "Z", "Zm9v!", "Zg==Zg==", "Zm9=v"])
    func refusesWhatNoEncoderWrites(_ text: String) {
        #expect(Base64.decode(Array(text.utf8)) == nil)
    }

    @Test func linesAreAtMostTheWidth() {
        let lines = Base64.lines(Array(repeating: UInt8(7), count: 200), width: 76)
        #expect(lines.dropLast().allSatisfy { $0.count == 76 })
        #expect(lines.joined() == Base64.encode(Array(repeating: UInt8(7), count: 200)))
    }
}
