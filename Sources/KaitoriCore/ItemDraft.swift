/// Item fields as staff typed them (command-line options or sheet cells), checked and normalized
/// into an `Item`. A field that is absent keeps the base item's value; an empty one clears it, or
/// means 0 for the prices (domain.md: "blank = 0").
public struct ItemDraft: Equatable, Sendable {
    public var values: [ItemField: String]

    public init(_ values: [ItemField: String] = [:]) { self.values = values }

    public subscript(field: ItemField) -> String? {
        get { values[field] }
        set { values[field] = newValue }
    }

    public var isEmpty: Bool { values.isEmpty }

    /// One refused field.
    public struct Problem: Error, Equatable, Sendable {
        public var field: ItemField
        public var message: String
    }

    public static let maxQuantity = 99_999
    /// Per unit; with `maxQuantity` a subtotal stays far inside `Int`.
    public static let maxPrice = 99_999_999
    static let oneLineLimits: [ItemField: Int] = [.productCode: 64, .jan: 13, .name: 200, .shelf: 50, .tags: 200, .weight: 12]
    static let textLimit = 2_000

    /// The base item with every given field applied, and every problem found (empty when valid).
    public func applied(to base: Item) -> (Item, [Problem]) {
        var item = base
        var problems: [Problem] = []
        for field in ItemField.allCases {
            guard let raw = values[field] else { continue }
            switch ItemDraft.check(field, raw) {
            case .success(let value): ItemDraft.set(field, value, on: &item)
            case .failure(let problem): problems.append(problem)
            }
        }
        let identified = !(item.name.isEmpty && item.productCode.isEmpty && item.jan.isEmpty)
        let identityProblem = problems.contains { [.name, .productCode, .jan].contains($0.field) }
        if !identified, !identityProblem {
            problems.append(Problem(field: .name, message: "give a name, a product code or a JAN (at least one)"))
        }
        return (item, problems)
    }

    private enum Value { case text(String), number(Int) }

    private static func set(_ field: ItemField, _ value: Value, on item: inout Item) {
        switch (field, value) {
        case (.productCode, .text(let v)): item.productCode = v
        case (.jan, .text(let v)): item.jan = v
        case (.name, .text(let v)): item.name = v
        case (.quantity, .number(let v)): item.quantity = v
        case (.unitPrice, .number(let v)): item.unitPrice = v
        case (.salePrice, .number(let v)): item.salePrice = v
        case (.grade, .number(let v)): item.grade = v
        case (.shelf, .text(let v)): item.shelf = v
        case (.tags, .text(let v)): item.tags = v
        case (.condition, .text(let v)): item.condition = v
        case (.staffMemo, .text(let v)): item.staffMemo = v
        case (.buyerComment, .text(let v)): item.buyerComment = v
        case (.weight, .text(let v)): item.weight = v
        case (.category, .text(let v)): item.category = v
        default: preconditionFailure("\(field) cannot hold \(value)")
        }
    }

    private static func check(_ field: ItemField, _ raw: String) -> Result<Value, Problem> {
        func fail(_ message: String) -> Result<Value, Problem> { .failure(Problem(field: field, message: message)) }
        let trimmed = TextNormalizer.trim(raw)
        switch field {
        case .quantity:
            guard !trimmed.isEmpty else { return fail("required: a whole number from 1 to \(Yen.grouped(maxQuantity))") }
            guard let n = wholeNumber(trimmed), (1...maxQuantity).contains(n) else {
                return fail("must be a whole number from 1 to \(Yen.grouped(maxQuantity)) (got \"\(trimmed)\")")
            }
            return .success(.number(n))
        case .unitPrice, .salePrice:
            guard !trimmed.isEmpty else { return .success(.number(0)) }
            guard let n = wholeNumber(trimmed), (0...maxPrice).contains(n) else {
                return fail("must be whole yen from 0 to \(Yen.grouped(maxPrice)) (got \"\(trimmed)\")")
            }
            return .success(.number(n))
        case .grade:
            let text = TextNormalizer.halfWidth(trimmed)
            if let n = Int(text), Item.grades[n] != nil { return .success(.number(n)) }
            if let (n, _) = Item.grades.first(where: { $0.value == text }) { return .success(.number(n)) }
            let choices = Item.grades.keys.sorted().map { "\($0) \(Item.grades[$0]!)" }.joined(separator: ", ")
            return fail(text.isEmpty ? "required: one of \(choices)" : "\"\(text)\" is not a grade; use one of \(choices)")
        case .jan:
            let text = TextNormalizer.halfWidth(trimmed)
            if text.isEmpty { return .success(.text("")) }
            if text.contains("E+") || text.contains("e+") {
                return fail("\"\(text)\" looks like a spreadsheet turned the code into a number; format the column as text and type the code again")
            }
            guard text.unicodeScalars.allSatisfy(isDigit), text.count == 8 || text.count == 13 else {
                return fail("must be 8 or 13 digits (got \"\(text)\")")
            }
            guard hasValidCheckDigit(text) else { return fail("\(text): the check digit (last digit) is wrong; check for a typo") }
            return .success(.text(text))
        case .productCode:
            let text = TextNormalizer.halfWidth(trimmed)
            let allowed = text.unicodeScalars.allSatisfy { isDigit($0) || isLetter($0) || "-_./".unicodeScalars.contains($0) }
            guard allowed else { return fail("use letters, digits and - _ . / only (got \"\(text)\")") }
            guard text.count <= oneLineLimits[field]! else { return fail("at most \(oneLineLimits[field]!) characters") }
            return .success(.text(text))
        case .weight:
            let text = TextNormalizer.halfWidth(trimmed)
            if text.isEmpty { return .success(.text("")) }
            let parts = text.split(separator: ".", omittingEmptySubsequences: false)
            let numeric = parts.count <= 2 && parts.allSatisfy { !$0.isEmpty && $0.unicodeScalars.allSatisfy(isDigit) }
            guard numeric, text.count <= oneLineLimits[field]! else { return fail("must be a number such as 1.5 (got \"\(text)\")") }
            return .success(.text(text))
        case .category:
            // The id as in form.categories; whether the shop lists it is checked where the settings are.
            let text = TextNormalizer.halfWidth(trimmed).lowercased()
            guard text.count <= 50, text.unicodeScalars.allSatisfy({ isDigit($0) || isLetter($0) || $0 == "_" || $0 == "-" }) else {
                return fail("a category id from shop.yml form.categories, a-z 0-9 _ - (got \"\(trimmed)\")")
            }
            return .success(.text(text))
        case .name, .shelf, .tags:
            guard !trimmed.unicodeScalars.contains(where: isControl) else { return fail("must be one line without tabs") }
            guard trimmed.count <= oneLineLimits[field]! else { return fail("at most \(oneLineLimits[field]!) characters (got \(trimmed.count))") }
            return .success(.text(trimmed))
        case .condition, .staffMemo, .buyerComment:
            let text = trimmed.replacing("\r\n", with: "\n").replacing("\r", with: "\n")
            guard !text.unicodeScalars.contains(where: { isControl($0) && $0 != "\n" }) else { return fail("must not contain control characters") }
            guard text.count <= textLimit else { return fail("at most \(Yen.grouped(textLimit)) characters (got \(text.count))") }
            return .success(.text(text))
        }
    }

    /// `1,200` and full-width digits are what people type; anything else is refused, not guessed.
    static func wholeNumber(_ text: String) -> Int? {
        let digits = TextNormalizer.halfWidth(text).filter { $0 != "," }
        guard !digits.isEmpty, digits.count <= 12, digits.unicodeScalars.allSatisfy(isDigit) else { return nil }
        return Int(digits)
    }

    /// GTIN (JAN/EAN) modulo-10: weights 3 and 1 alternate from the digit left of the check digit.
    static func hasValidCheckDigit(_ code: String) -> Bool {
        let digits = code.unicodeScalars.map { Int($0.value) - 48 }
        var sum = 0
        for (offset, digit) in digits.dropLast().reversed().enumerated() { sum += digit * (offset % 2 == 0 ? 3 : 1) }
        return (10 - sum % 10) % 10 == digits.last
    }

    private static func isDigit(_ s: Unicode.Scalar) -> Bool { ("0"..."9").contains(s) }
    private static func isLetter(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
    private static func isControl(_ s: Unicode.Scalar) -> Bool { s.value < 0x20 || s.value == 0x7F }
}
