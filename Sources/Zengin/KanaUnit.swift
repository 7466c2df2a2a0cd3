/// One output character of a kana conversion, with the input character it came from so that a
/// refusal can name what the customer actually typed.
struct KanaUnit: Equatable {
    var scalar: Unicode.Scalar
    var source: Character

    static let space: Unicode.Scalar = " "

    var isSpace: Bool { scalar == Self.space }
}
