/// The documents' print styles on their own, for a viewer whose content policy forbids inline
/// styles (the staff console links them as a stylesheet instead).
extension CaseDocument {
    /// The text of the documents' `<style>` element (the same for both documents).
    public static var stylesheet: String {
        let source = DocumentTemplate.source
        guard let range = styleElementRange(in: source) else { return "" }
        return String(source[range]).replacing("<style>", with: "").replacing("</style>", with: "")
    }

    /// Where the `<style>…</style>` element is in a rendered document, if it has one.
    public static func styleElementRange(in html: String) -> Range<String.Index>? {
        guard let open = html.firstRange(of: "<style>"),
              let close = html[open.upperBound...].firstRange(of: "</style>") else { return nil }
        return open.lowerBound..<close.upperBound
    }
}
