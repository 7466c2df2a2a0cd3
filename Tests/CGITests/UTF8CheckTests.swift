@testable import CGI
import Testing

/// The form decoder's own UTF-8 check must agree with the standard library's on every input.
@Suite struct UTF8CheckTests {
    private func agrees(_ bytes: [UInt8]) -> Bool {
        let ours = decodeUTF8(bytes)
        let standard = String(validating: bytes, as: UTF8.self)
        return ours == standard
    }

    @Test func everySequenceOfUpToThreeBytesIsJudgedAsTheStandardLibraryDoes() {
        var disagreements: [[UInt8]] = []
        for a in 0...255 {
            if !agrees([UInt8(a)]) { disagreements.append([UInt8(a)]) }
            for b in 0...255 {
                if !agrees([UInt8(a), UInt8(b)]) { disagreements.append([UInt8(a), UInt8(b)]) }
            }
        }
        // Three bytes: every lead byte with every second byte, the third from a set that covers
        // each boundary of the continuation range.
        for a in 0xC0...0xFF {
            for b in 0...255 {
                for c: UInt8 in [0x00, 0x41, 0x7F, 0x80, 0x9F, 0xA0, 0xBF, 0xC0, 0xE3, 0xFF] {
                    let bytes = [UInt8(a), UInt8(b), c]
                    if !agrees(bytes) { disagreements.append(bytes) }
                }
            }
        }
        #expect(disagreements.isEmpty, "first: \(disagreements.prefix(5))")
    }

    @Test func fourByteSequencesAtEveryBoundaryAreJudgedAsTheStandardLibraryDoes() {
        let edges: [UInt8] = [0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF]
        var disagreements: [[UInt8]] = []
        for a: UInt8 in [0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xF7, 0xF8] {
            for b in edges { for c in edges { for d in edges {
                let bytes = [a, b, c, d, 0x41]
                if !agrees(bytes) { disagreements.append(bytes) }
            } } }
        }
        #expect(disagreements.isEmpty, "first: \(disagreements.prefix(5))")
    }

    @Test func randomTextWithJapaneseAndDamageIsJudgedAsTheStandardLibraryDoes() {
        var generator = SystemRandomNumberGenerator()
        let pieces: [[UInt8]] = [Array("山田 太郎".utf8), Array("ｶﾅ".utf8), Array("𠮷野家".utf8), Array("abc".utf8), [0xE3, 0x81], [0xF0, 0x9F], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xFF]]
        var refused = 0
        for _ in 0..<5_000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 0...6, using: &generator) { bytes += pieces.randomElement(using: &generator)! }
            #expect(agrees(bytes), "\(bytes)")
            if decodeUTF8(bytes) == nil { refused += 1 }
        }
        // Both kinds of input really occurred.
        #expect(refused > 0 && refused < 5_000)
    }

    @Test func aSliceAndAnArrayDecodeAlike() {
        let bytes = Array("買取申込 ①".utf8)
        #expect(decodeUTF8(bytes[3...]) == String(decoding: bytes[3...], as: UTF8.self))
        #expect(decodeUTF8(bytes.lazy.map { $0 }) == "買取申込 ①")
        #expect(decodeUTF8([UInt8]()) == "")
    }
}
