import Zengin

/// The payout account holder's rule (domain.md, "Payment"): full-width katakana as customers type
/// it, and, once converted to the bank kana of the Zengin 総合振込 file, characters the file can
/// carry in at most its 30-byte field (ｶﾞ counts 2). The application form, `kaitori case payout` and
/// the console's payout correction all reach it through `ApplicationValidator.validatePayout`, and
/// the transfer export converts with the same call, so a holder accepted here always fits the file.
public enum AccountHolder {
    /// The payee name field's width in the transfer file, in bytes.
    public static let maxBytes = 30

    /// The holder as the transfer file writes it (bank kana, legal entities abbreviated).
    /// - Throws: `ZenginError.characterNotAllowed` or `.tooLong`.
    public static func bankKana(_ holder: String) throws -> String {
        try ZenginKana.convert(holder, field: "account_holder", maxLength: maxBytes, abbreviateLegalEntities: true)
    }

    /// The customer's message for a normalized holder, or nil when it is acceptable.
    public static func problem(_ holder: String) -> String? {
        if holder.isEmpty { return CustomerText.required("口座名義（カナ）") }
        if !TextNormalizer.isKatakana(holder) { return CustomerText.holderKanaOnly }
        do {
            if try bankKana(holder).isEmpty { return CustomerText.required("口座名義（カナ）") }
            return nil
        } catch ZenginError.characterNotAllowed(_, let character) {
            return CustomerText.holderCharacter(character)
        } catch ZenginError.tooLong(_, let length, _) {
            return CustomerText.holderTooLong(length)
        } catch {
            return CustomerText.holderKanaOnly
        }
    }
}
