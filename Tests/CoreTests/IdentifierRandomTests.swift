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

    /// Case codes are made over bytes; for the same random numbers they are the codes the former
    /// `Character` version made (kept here as the reference).
    @Test func caseCodesAreTheFormerVersionsForTheSameNumbers() {
        func reference<G: RandomNumberGenerator>(using rng: inout G) -> String {
            let alphabet = Array("23456789ABCDEFGHJKMNPQRSTUVWXYZ")
            var chars: [Character] = []
            for i in 0..<8 {
                if i == 4 { chars.append("-") }
                chars.append(alphabet[Int(rng.next(upperBound: UInt64(alphabet.count)))])
            }
            return String(chars)
        }
        for seed in 0..<2_000 as Range<UInt64> {
            var a = SplitMix(state: seed), b = SplitMix(state: seed)
            #expect(Identifiers.caseCode(using: &a) == reference(using: &b))
        }
    }
}

/// A seeded generator (SplitMix64), so that two code makers can be given the same numbers.
private struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
