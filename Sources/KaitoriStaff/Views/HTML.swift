import KaitoriCore
import Mustache

/// HTML text for the console's pages, written by hand in Swift (the pages are the product's own
/// markup). Every value that comes from a case, a form or the settings goes through `h(_:)`,
/// which escapes exactly as a Mustache `{{name}}` does.
func h(_ text: String) -> String { MustacheValue.htmlEscaped(text) }

func h(_ number: Int) -> String { String(number) }

enum StaffHTML {
    /// `<input type="hidden" name="csrf_token">`: every form that posts carries it.
    static func csrf(_ token: String) -> String {
        "<input type=\"hidden\" name=\"csrf_token\" value=\"\(h(token))\">"
    }

    /// A form posting to `action` with one button; `fields` is extra markup inside the form.
    /// `confirm` asks before posting when script runs (console.js); without script it posts at once.
    static func button(_ label: String, action: String, csrf token: String, fields: String = "",
                       style: String = "", confirm: String? = nil) -> String {
        let confirmAttribute = confirm.map { " data-confirm=\"\(h($0))\"" } ?? ""
        return "<form method=\"post\" action=\"\(h(action))\" class=\"inline-form\"\(confirmAttribute)>\(csrf(token))\(fields)"
            + "<button type=\"submit\"\(style.isEmpty ? "" : " class=\"\(style)\"")>\(h(label))</button></form>"
    }

    /// A labelled input; `id` doubles as the label's target.
    static func field(_ label: String, name: String, id: String, value: String = "", type: String = "text",
                      required: Bool = false, hint: String? = nil, attributes: String = "") -> String {
        let hintID = hint.map { _ in id + "-hint" }
        var out = "<div class=\"field\"><label for=\"\(h(id))\">\(h(label))\(required ? "<span class=\"req\">（必須）</span>" : "")</label>"
        if let hint, let hintID { out += "<span class=\"hint\" id=\"\(hintID)\">\(h(hint))</span>" }
        out += "<input type=\"\(type)\" name=\"\(h(name))\" id=\"\(h(id))\" value=\"\(h(value))\""
        if required { out += " required" }
        if let hintID { out += " aria-describedby=\"\(hintID)\"" }
        if !attributes.isEmpty { out += " " + attributes }
        return out + "></div>"
    }

    static func textarea(_ label: String, name: String, id: String, value: String = "", rows: Int = 3,
                         required: Bool = false, hint: String? = nil) -> String {
        let hintID = id + "-hint"
        var out = "<div class=\"field\"><label for=\"\(h(id))\">\(h(label))\(required ? "<span class=\"req\">（必須）</span>" : "")</label>"
        if let hint { out += "<span class=\"hint\" id=\"\(hintID)\">\(h(hint))</span>" }
        out += "<textarea name=\"\(h(name))\" id=\"\(h(id))\" rows=\"\(rows)\"\(required ? " required" : "")"
            + "\(hint == nil ? "" : " aria-describedby=\"\(hintID)\"")>\(h(value))</textarea></div>"
        return out
    }

    static func select(_ label: String, name: String, id: String, options: [(value: String, label: String)],
                       selected: String, includeBlank: String? = nil) -> String {
        var out = "<div class=\"field\"><label for=\"\(h(id))\">\(h(label))</label><select name=\"\(h(name))\" id=\"\(h(id))\">"
        if let includeBlank { out += "<option value=\"\">\(h(includeBlank))</option>" }
        for option in options {
            out += "<option value=\"\(h(option.value))\"\(option.value == selected ? " selected" : "")>\(h(option.label))</option>"
        }
        return out + "</select></div>"
    }

    /// The status as a badge with its Japanese label.
    static func status(_ status: CaseStatus) -> String {
        "<span class=\"status status-\(status.rawValue)\">\(h(status.label))</span>"
    }

    /// The needs-action red dot: the colour is decoration, the words are for everyone.
    static func needsAction(_ reason: String?, days: Int) -> String {
        guard let reason else { return "" }
        return "<span class=\"dot\" aria-hidden=\"true\">●</span><span class=\"visually-hidden\">要対応：</span>"
            + "<span class=\"needs-reason\">\(h(NeedsAction.label(reason)))</span>"
    }

    /// `<dl>` rows.
    static func definitions(_ rows: [(String, String)]) -> String {
        "<dl class=\"facts\">" + rows.map { "<dt>\(h($0.0))</dt><dd>\($0.1)</dd>" }.joined() + "</dl>"
    }

    static func message(_ text: String, error: Bool) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { h(String($0)) }.joined(separator: "<br>")
        return error
            ? "<div class=\"notice notice-error\" role=\"alert\" id=\"refusal\"><p><strong>できませんでした：</strong>\(lines)</p></div>"
            : "<div class=\"notice notice-ok\" role=\"status\"><p>\(lines)</p></div>"
    }

    static func date(_ unixTime: Int64?) -> String { unixTime.map(Timestamp.display) ?? "—" }
}

/// The needs-action reasons the store gives (CaseStore.list), as the console shows them.
enum NeedsAction {
    static func label(_ reason: String) -> String {
        switch reason {
        case "ID submitted, not verified": "本人確認書類の確認待ち"
        case "confirm the application": "申込の確定待ち"
        case "assess the items": "査定待ち"
        case "verify ID and purchase": "本人確認・買取確定待ち"
        case "pay": "支払い待ち"
        case "return the declined items": "不成約品の返送待ち"
        default: reason
        }
    }
}

/// Query strings for the console's own links (paging, filters, flash messages).
enum QueryString {
    /// `a=1&b=%E5%B1%B1` from pairs, skipping empty values; RFC 3986 unreserved bytes stay as they are.
    static func encode(_ pairs: [(String, String)]) -> String {
        pairs.filter { !$0.1.isEmpty }.map { "\(escape($0.0))=\(escape($0.1))" }.joined(separator: "&")
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                out.unicodeScalars.append("%")
                out.unicodeScalars.append(hex[Int(byte >> 4)])
                out.unicodeScalars.append(hex[Int(byte & 15)])
            }
        }
        return out
    }

    /// `path?query`, or the path alone when nothing is left.
    static func link(_ path: String, _ pairs: [(String, String)]) -> String {
        let query = encode(pairs)
        return query.isEmpty ? path : path + "?" + query
    }
}

extension StoreError {
    /// The console's answer to a refused step: 409 for a rule or status that forbids it, 422 for
    /// input the store cannot take, 404 for an unknown case, 503 when the store is unavailable.
    var consoleStatus: Int {
        switch self {
        case .unavailable: 503
        case .invalid: 422
        case .notFound: 404
        default: 409
        }
    }
}
