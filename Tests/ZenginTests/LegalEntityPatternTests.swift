@testable import Zengin
import Testing

/// The legal-entity table is mapped scalar by scalar for speed (it is built on every application
/// post); it must give exactly what the character-by-character conversion gives.
@Suite struct LegalEntityPatternTests {
    @Test func scalarMappingEqualsTheFullConversionForEverySpelling() {
        for entity in LegalEntityAbbreviation.all {
            for spelling in entity.spellings {
                let scalars = spelling.unicodeScalars.flatMap { KanaTable.map($0, kind: .name) ?? [$0] }
                #expect(scalars == ZenginKana.units(of: spelling, kind: .name).map(\.scalar), "\(spelling)")
            }
        }
    }

    @Test func aMiddleDotOrAHalfWidthOneSeparatesWordsLikeASpace() throws {
        #expect(try ZenginKana.convert("ヤマダ・タロウ", field: "f", maxLength: 30) == "ﾔﾏﾀﾞ ﾀﾛｳ")
        #expect(try ZenginKana.convert("ヤマダ･タロウ", field: "f", maxLength: 30) == "ﾔﾏﾀﾞ ﾀﾛｳ")
        #expect(try ZenginKana.convert("カブシキガイシャ・ヤマダ", field: "f", maxLength: 30, abbreviateLegalEntities: true) == "ｶ)ﾔﾏﾀﾞ")
    }
}
