@testable import KaitoriCore
import Testing

/// Codes and tokens come from `KernelRandom`, which fetches the kernel's random bytes 256 at a
/// time: every word is fresh (none repeats across refills, none is left zero), and tokens and codes
/// keep their shape and do not repeat.
@Suite struct IdentifierRandomTests {
    @Test func wordsAreFreshAcrossRefills() {
        var random = KernelRandom()
        let words = (0..<1000).map { _ in random.next() }
        #expect(Set(words).count == words.count)
        #expect(!words.contains(0))
        // Each bit is set in about half the words (a buffer handed out unfilled would fail this).
        for bit in 0..<64 {
            let ones = words.filter { $0 >> UInt64(bit) & 1 == 1 }.count
            #expect((350...650).contains(ones), "bit \(bit): \(ones) of 1000")
        }
    }

    @Test func tokensAndCodesKeepTheirShapeAndDoNotRepeat() {
        let tokens = (0..<500).map { _ in Identifiers.token() }
        #expect(Set(tokens).count == tokens.count)
        #expect(tokens.allSatisfy { Identifiers.isToken(Substring($0)) })
        let codes = (0..<500).map { _ in Identifiers.caseCode() }
        #expect(Set(codes).count == codes.count)
        #expect(codes.allSatisfy { $0.count == 9 && Array($0)[4] == "-" })
    }
}
