/// Rewrites customer input (full-width katakana, hiragana, full-width or lowercase latin) into the
/// half-width bank kana that transfer files carry.
public enum ZenginKana {
    /// Which characters a field takes besides kana, A–Z, 0–9 and space.
    public enum Kind: Sendable {
        /// Requester and payee names: `( ) - .`
        case name
        /// Bank and branch names: `-` only.
        case bankName
        /// EDI information: `( ) - . \ ｢ ｣ /` and ｦ.
        case edi
    }

    /// Converts `text` to bank kana for one field.
    ///
    /// Small kana become large (キャノン → ｷﾔﾉﾝ), voiced kana become two characters (ガ → ｶﾞ),
    /// long-vowel marks and dashes become `-`, latin becomes uppercase ASCII, runs of spaces become
    /// one space and the ends are trimmed. The result is never shortened to fit.
    ///
    /// - Parameters:
    ///   - text: what the customer or staff typed.
    ///   - field: the field's name, used in errors.
    ///   - maxLength: the field's width in bytes (ｶﾞ counts 2).
    ///   - kind: which symbols the field accepts.
    ///   - abbreviateLegalEntities: rewrite 株式会社, 有限会社, 医療法人 … (and their readings) as the
    ///     bank abbreviations: `ｶ)` at the start, `(ｶ` at the end, `(ｶ)` in the middle.
    /// - Returns: the half-width text; every character is one byte in the file.
    /// - Throws: `ZenginError.characterNotAllowed` naming the first character that has no bank kana
    ///   (kanji, emoji, a comma…), or `ZenginError.tooLong`.
    public static func convert(
        _ text: String,
        field: String,
        maxLength: Int,
        kind: Kind = .name,
        abbreviateLegalEntities: Bool = false
    ) throws -> String {
        var units = collapsingSpaces(units(of: text, kind: kind))
        if abbreviateLegalEntities {
            units = LegalEntityAbbreviation.apply(to: units)
        }
        var result = String.UnicodeScalarView()
        for unit in units {
            guard let byte = ZenginCharacterSet.byte(for: unit.scalar), ZenginCharacterSet.allows(byte, in: kind)
            else {
                throw ZenginError.characterNotAllowed(field: field, character: String(unit.source))
            }
            result.append(unit.scalar)
        }
        guard result.count <= maxLength else {
            throw ZenginError.tooLong(field: field, length: result.count, maxLength: maxLength)
        }
        return String(result)
    }

    /// Maps what can be mapped and keeps the rest as it is, so that abbreviations can still find
    /// kanji words and the final check can name what is left.
    static func units(of text: String, kind: Kind) -> [KanaUnit] {
        var units: [KanaUnit] = []
        for character in text {
            // A name's ・ separates words; banks write it as a space. (Compared as scalars: a
            // Character comparison is a canonical-equivalence check, slow for non-ASCII text.)
            let single = character.unicodeScalars.count == 1 ? character.unicodeScalars.first?.value : nil
            if character.isWhitespace || single == 0x30FB || single == 0xFF65 {
                units.append(KanaUnit(scalar: KanaUnit.space, source: character))
                continue
            }
            for scalar in character.unicodeScalars {
                for mapped in KanaTable.map(scalar, kind: kind) ?? MappedKana(scalar) {
                    units.append(KanaUnit(scalar: mapped, source: character))
                }
            }
        }
        return units
    }

    private static func collapsingSpaces(_ units: [KanaUnit]) -> [KanaUnit] {
        var result: [KanaUnit] = []
        for unit in units where !(unit.isSpace && (result.last?.isSpace ?? true)) {
            result.append(unit)
        }
        if result.last?.isSpace == true {
            result.removeLast()
        }
        return result
    }
}
