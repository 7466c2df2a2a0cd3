import Foundation
@testable import Zengin
import Testing

/// The legal-entity table is mapped scalar by scalar for speed (it is built on every application
/// post); it must give exactly what the character-by-character conversion gives.
@Suite struct LegalEntityPatternTests {
    @Test func scalarMappingEqualsTheFullConversionForEverySpelling() {
        for entity in LegalEntityAbbreviation.all {
            for spelling in entity.spellings {
                let scalars = spelling.unicodeScalars.flatMap { Array(KanaTable.map($0, kind: .name) ?? MappedKana($0)) }
                #expect(scalars == ZenginKana.units(of: spelling, kind: .name).map(\.scalar), "\(spelling)")
            }
        }
    }

    @Test func theBuiltTableHoldsEverySpellingConvertedLongestFirst() throws {
        let expected = LegalEntityAbbreviation.all.flatMap { entity in
            entity.spellings.map { (units: ZenginKana.units(of: $0, kind: .name).map(\.scalar), abbreviation: entity.abbreviation) }
        }
        let table = LegalEntityAbbreviation.patterns
        #expect(table.count == expected.count)
        for pattern in expected {
            #expect(table.contains { $0.units == pattern.units && $0.abbreviation == pattern.abbreviation }, "\(pattern)")
        }
        #expect(zip(table, table.dropFirst()).allSatisfy { $0.units.count >= $1.units.count })
        // The longer spelling wins where one contains another.
        #expect(try ZenginKana.convert("イッパンシャダンホウジンヤマダ", field: "f", maxLength: 30, abbreviateLegalEntities: true) == "ｼﾔ)ﾔﾏﾀﾞ")
        #expect(try ZenginKana.convert("ヤマダイリョウホウジンシャダン", field: "f", maxLength: 30, abbreviateLegalEntities: true) == "ﾔﾏﾀﾞ(ｲ")
    }

    /// The heads are written out in the source (building them cost every post 90 K instructions).
    @Test func theWrittenHeadsAreTheHeadsOfTheTable() {
        let computed = LegalEntityAbbreviation.computedHeads()
        if LegalEntityAbbreviation.heads != computed {
            var text = "heads differ from the table; write them as:\n[\n"
            for start in stride(from: 0, to: computed.count, by: 12) {
                let row: [String] = computed[start..<min(start + 12, computed.count)].map { String(format: "0x%04X", $0) }
                text += "        " + row.joined(separator: ", ") + ",\n"
            }
            Issue.record(Comment(rawValue: text + "    ]"))
        }
    }

    /// The half-width letters that let a head start are exactly the heads' first letters.
    @Test func theHalfWidthFirstLettersAreThoseOfTheHeads() {
        for value in UInt32(0xFF60)..<0xFFA0 {
            let starts = LegalEntityAbbreviation.headList.contains { $0.first?.value == value }
            #expect((LegalEntityAbbreviation.halfWidthHeadFirsts >> (value - 0xFF60)) & 1 == (starts ? 1 : 0), "U+\(String(value, radix: 16))")
        }
        #expect(LegalEntityAbbreviation.halfWidthHeadFirsts != 0)
    }

    @Test func everySpellingStartsWithOneOfTheHeads() {
        for pattern in LegalEntityAbbreviation.patterns {
            #expect(LegalEntityAbbreviation.headList.contains(Array(pattern.units.prefix(3))), "\(pattern.units)")
        }
        // A person's name: no head, returned as it is.
        let person = ZenginKana.units(of: "ヤマダ タロウ", kind: .name)
        #expect(LegalEntityAbbreviation.apply(to: person) == person)
    }

    @Test func voicedKanaMapToTwoScalarsAndWoToO() {
        #expect(Array(KanaTable.map("ガ", kind: .name)!) == ["ｶ", "ﾞ"])
        #expect(Array(KanaTable.map("ぽ", kind: .name)!) == ["ﾎ", "ﾟ"])
        #expect(Array(KanaTable.map("ヲ", kind: .name)!) == ["ｵ"])
        #expect(Array(KanaTable.map("ヲ", kind: .edi)!) == ["ｦ"])
        #expect(Array(KanaTable.map("ｦ", kind: .name)!) == ["ｵ"])
        #expect(Array(KanaTable.map("ヴ", kind: .name)!) == ["ｳ", "ﾞ"])
        #expect(KanaTable.map("漢", kind: .name) == nil)
    }

    @Test func aMiddleDotOrAHalfWidthOneSeparatesWordsLikeASpace() throws {
        #expect(try ZenginKana.convert("ヤマダ・タロウ", field: "f", maxLength: 30) == "ﾔﾏﾀﾞ ﾀﾛｳ")
        #expect(try ZenginKana.convert("ヤマダ･タロウ", field: "f", maxLength: 30) == "ﾔﾏﾀﾞ ﾀﾛｳ")
        #expect(try ZenginKana.convert("カブシキガイシャ・ヤマダ", field: "f", maxLength: 30, abbreviateLegalEntities: true) == "ｶ)ﾔﾏﾀﾞ")
    }
}
