import KaitoriCore

// Everything the CLI prints goes through `TerminalText.escape`: stored customer text may hold an
// ESC sequence or a carriage return (written before the input rule, or by another tool), which
// must show as text instead of retitling the terminal or overwriting a line. This `print`
// shadows the standard one for the whole module, so no command can forget it.

/// Prints like `Swift.print`, with control characters escaped (line breaks the program lays out
/// itself are kept).
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    let text = items.map { "\($0)" }.joined(separator: separator)
    Swift.print(TerminalText.escape(text, keepLineBreaks: true), terminator: terminator)
}

extension Array where Element == String {
    /// Lines the program built, each holding stored values: a line break inside a value is
    /// escaped too, so a value can never add a line that looks like one of ours.
    var terminalText: String { map { TerminalText.escape($0) }.joined(separator: "\n") }
}
