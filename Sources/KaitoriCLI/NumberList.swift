import ArgumentParser

/// Lists of numbers as options take them: `--pick 1,3`, `--items 12,13`.
enum NumberList {
    /// Parses `1,3,5` (spaces allowed).
    /// - Throws: `ValidationError` naming the option and the part that is not a positive number.
    static func parse(_ text: String, option: String) throws -> [Int64] {
        let parts = text.split(separator: ",").map { String($0).filter { $0 != " " } }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { throw ValidationError("\(option): give numbers separated by commas, e.g. 1,3") }
        return try parts.map { part in
            guard let n = Int64(part), n > 0 else { throw ValidationError("\(option): \"\(part)\" is not a positive number") }
            return n
        }
    }
}
