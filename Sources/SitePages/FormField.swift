import Mustache

/// One form control as templates see it: everything its label, hint, error message and
/// attributes need, so the `field` partial can render any of them the same accessible way.
struct FormField {
    /// A choice of a select or a radio group.
    struct Option {
        var value: String
        var label: String
        var hint: String = ""
        /// For ID types: whether the back side must be uploaded too (JS shows the back field).
        var back = false
    }

    var name: String
    /// Unique in the page; also what the error summary links to.
    var id: String
    var label: String
    var type = "text"
    var value = ""
    var autocomplete = ""
    var inputmode = ""
    var maxlength = 0
    var placeholder = ""
    var hint = ""
    var required = false
    /// Shown instead of 必須/任意 when whether it is needed depends on another answer.
    var requirement = ""
    /// No 必須/任意 badge: the control sits in a group whose legend already says it.
    var plainLabel = false
    var options: [Option] = []
    var datalist: [String] = []
    var accept = ""
    var messages: [String] = []

    var invalid: Bool { !messages.isEmpty }
    var hintID: String { id + "-hint" }
    var errorID: String { id + "-error" }
    /// The element an error summary link should move focus to: the first radio of a group.
    var anchor: String { type == "radio" && !options.isEmpty ? optionID(0) : id }

    func optionID(_ index: Int) -> String { "\(id)-\(index + 1)" }

    var describedBy: String {
        [hint.isEmpty ? nil : hintID, invalid ? errorID : nil].compactMap { $0 }.joined(separator: " ")
    }

    var context: MustacheValue {
        let options: [MustacheValue] = options.enumerated().map { index, option in
            [
                "value": .string(option.value),
                "label": .string(option.label),
                "hint": .string(option.hint),
                "back": .bool(option.back),
                "id": .string(optionID(index)),
                "selected": .bool(option.value == value),
                "checked": .bool(option.value == value),
            ]
        }
        return [
            "name": .string(name),
            "id": .string(id),
            "label": .string(label),
            "type": .string(type),
            "value": .string(value),
            "autocomplete": .string(autocomplete),
            "inputmode": .string(inputmode),
            "maxlength": maxlength > 0 ? .int(maxlength) : .null,
            "placeholder": .string(placeholder),
            "hint": .string(hint),
            "hint_id": .string(hintID),
            "required": .bool(required),
            "requirement": .string(requirement),
            "optional": .bool(!required && requirement.isEmpty && !plainLabel),
            "options": .list(options),
            "datalist": .list(datalist.map { .string($0) }),
            "datalist_id": datalist.isEmpty ? .null : .string(id + "-list"),
            "accept": .string(accept),
            "checked": .bool(value == "on" || value == "yes"),
            "invalid": .bool(invalid),
            "messages": .list(messages.map { .string($0) }),
            "error_id": .string(errorID),
            "describedby": .string(describedBy),
            "anchor": .string(anchor),
            "is_text": .bool(!["select", "radio", "textarea", "checkbox", "file", "hidden"].contains(type)),
            "is_select": .bool(type == "select"),
            "is_radio": .bool(type == "radio"),
            "is_textarea": .bool(type == "textarea"),
            "is_checkbox": .bool(type == "checkbox"),
            "is_file": .bool(type == "file"),
        ]
    }
}
