// libFuzzer target for the customer-text rule (CustomerInput) and the terminal escaper
// (TerminalText). Built together with their KaitoriCore sources by build.sh, hence no import.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    // Form values reach the rule as Strings decoded from bytes (invalid UTF-8 repaired to U+FFFD).
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    for multiline in [false, true] {
        let accepted = CustomerInput.isAcceptable(text, multiline: multiline)
        // The rule, restated scalar by scalar: what it accepts holds no C0 (but LF/CR in notes),
        // no DEL or C1, no bidi control, no line separator, no U+FFFD.
        let forbidden = text.unicodeScalars.contains { s in
            let v = s.value
            return (v < 0x20 && !(multiline && (v == 0x0A || v == 0x0D))) || (0x7F...0x9F).contains(v)
                || (0x202A...0x202E).contains(v) || (0x2066...0x2069).contains(v) || v == 0x200E || v == 0x200F || v == 0x061C
                || v == 0x2028 || v == 0x2029 || v == 0xFFFD || v == 0xFFFE || v == 0xFFFF || (0xFDD0...0xFDEF).contains(v)
        }
        precondition(accepted == !forbidden, "rule disagrees with its statement (multiline \(multiline)): \(Array(text.unicodeScalars.map(\.value)))")
        let problems = CustomerInput.problems([(name: multiline ? "notes" : "name", value: text)])
        precondition(problems.isEmpty == accepted, "problems() disagrees with isAcceptable()")
        if let problem = problems.first {
            precondition(problem.message.hasSuffix("に使用できない文字が含まれています。"), "message: \(problem.message)")
        }
    }
    // Escaped text is always one line that the rule accepts, and escaping never loses an
    // acceptable text.
    let escaped = TerminalText.escape(text)
    precondition(CustomerInput.isAcceptable(escaped.replacingAll(0xFFFD, "?"), multiline: false), "escape left a control: \(escaped.unicodeScalars.map(\.value))")
    if CustomerInput.isAcceptable(text, multiline: false) { precondition(escaped == text, "escape changed acceptable text") }
    let kept = TerminalText.escape(text, keepLineBreaks: true)
    precondition(!kept.unicodeScalars.contains { $0.value < 0x20 && $0 != "\n" && $0 != "\t" }, "escape kept a control")
    return 0
}

extension String {
    func replacingAll(_ a: UInt32, _ b: Unicode.Scalar) -> String {
        var out = String.UnicodeScalarView()
        for s in unicodeScalars { out.append(s.value == a ? b : s) }
        return String(out)
    }
}
