/// How `{{name}}` tags write their value. `{{{name}}}` and `{{& name}}` never escape.
public enum Escaping: Sendable, Equatable {
    /// For HTML pages: `& < > " '` become character references.
    case html
    /// For plain-text output such as email and SMS bodies, where `&amp;` would reach the customer.
    case none
}
