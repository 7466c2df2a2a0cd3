/// The one rule for text a customer sends (application, ID form, any field the handler reads):
/// one line of printable text, or for the fields in `multilineFields` several lines. Refused:
/// C0 and C1 control characters (ESC retitles a staff terminal; CR and LF forge lines in a
/// terminal or a log), NUL, DEL, bidirectional overrides and isolates (they reorder what staff
/// read), line and paragraph separators in one-line fields, noncharacters, and U+FFFD, which is
/// what the form decoder makes of invalid UTF-8 such as a lone surrogate.
public enum CustomerInput {
    /// Fields that may hold line breaks (LF, or CR LF). A list, not a set: every field of every
    /// post is looked up here, and one string comparison costs less than hashing the name.
    public static let multilineFields: [String] = ["notes"]

    /// Whether `scalar` may appear in customer text.
    @inline(__always)
    public static func isAllowed(_ scalar: Unicode.Scalar, multiline: Bool) -> Bool {
        let v = scalar.value
        if v < 0x20 { return multiline && (v == 0x0A || v == 0x0D) }
        if v < 0x7F { return true }
        if v <= 0x9F { return false }                    // DEL and C1
        switch v {
        case 0x200E, 0x200F, 0x202A...0x202E, 0x2066...0x2069, 0x061C: return false   // bidi marks, overrides, isolates
        case 0x2028, 0x2029: return false                                               // line and paragraph separators
        case 0xFFFD, 0xFFFE, 0xFFFF, 0xFDD0...0xFDEF: return false
        default: return true
        }
    }

    /// Whether every character of `text` is allowed.
    public static func isAcceptable(_ text: String, multiline: Bool) -> Bool {
        // Fast path for the common case: printable ASCII (the whole post is usually short).
        for byte in text.utf8 where byte < 0x20 || byte >= 0x7F {
            return text.unicodeScalars.allSatisfy { isAllowed($0, multiline: multiline) }
        }
        return true
    }

    /// Every field of a post that breaks the rule, once per field name, in form order, with a
    /// Japanese message naming the field.
    /// - Parameter labels: the form's field names → labels; `fieldLabels` when nil (made only when
    ///   a field is refused).
    public static func problems(_ pairs: [(name: String, value: String)], labels: [String: String]? = nil) -> [FieldError] {
        var seen: Set<String> = []
        var errors: [FieldError] = []
        // `seen` is empty unless a field was refused: not hashed for every field of a good post.
        for (name, value) in pairs where seen.isEmpty || !seen.contains(name) {
            if !isAcceptable(value, multiline: multilineFields.contains(name)) || !isAcceptable(name, multiline: false) {
                seen.insert(name)
                errors.append(FieldError(name, CustomerText.invalidCharacters((labels ?? fieldLabels)[name])))
            }
        }
        return errors
    }

    /// `errors` with the character problems of `pairs` added: a field refused for its characters
    /// gets only that message (the other checks saw text that will not be kept anyway).
    public static func screened(_ errors: [FieldError], _ pairs: [(name: String, value: String)]) -> [FieldError] {
        let refused = problems(pairs)
        guard !refused.isEmpty else { return errors }
        let names = Set(refused.map(\.field))
        return refused + errors.filter { !names.contains($0.field) }
    }

    /// The labels customers see for the fields of the application, ID and review forms.
    public static let fieldLabels: [String: String] = [
        "name": "お名前", "kana": "フリガナ", "birth_date": "生年月日", "occupation": "ご職業",
        "postal_code": "郵便番号", "prefecture": "都道府県", "address": "ご住所", "building": "建物名・部屋番号",
        "phone": "電話番号", "email": "メールアドレス", "contact": "ご連絡方法", "payout": "お支払い方法",
        "bank_code": "金融機関コード", "branch_code": "支店コード", "account_type": "口座種別",
        "account_number": "口座番号", "account_holder": "口座名義（カナ）", "item_category": "カテゴリ",
        "item_description": "品名・型番", "item_quantity": "数量", "boxes": "箱数", "pickup_date": "集荷希望日",
        "pickup_slot": "集荷希望時間帯", "notes": "備考", "signature_name": "署名（お名前）", "id_type": "本人確認書類の種類",
        "decision": "ご回答", "decline": "お売りにならない品物", "step": "送信内容",
    ]
}

/// Text from the store (customer fields, notes, reasons) made safe to print on a staff terminal
/// or into a log: control characters, DEL, C1, bidirectional controls and line separators are
/// shown as `\u{…}` instead of acting. Every CLI line and every handler log line goes through it,
/// whatever the input rule let in before it existed (defence in depth).
public enum TerminalText {
    /// - Parameter keepLineBreaks: LF (and tab) kept as they are, for output the program itself
    ///   lays out over several lines; stored values are escaped with the default.
    public static func escape(_ text: String, keepLineBreaks: Bool = false) -> String {
        var clean = true
        for byte in text.utf8 where byte < 0x20 || byte >= 0x7F { clean = false; break }
        if clean { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if keepLineBreaks, s == "\n" || s == "\t" { out.append(s); continue }
            if CustomerInput.isAllowed(s, multiline: false) || s == "\u{FFFD}" { out.append(s); continue }
            out.append(contentsOf: "\\u{\(String(s.value, radix: 16, uppercase: true))}".unicodeScalars)
        }
        return String(out)
    }
}
