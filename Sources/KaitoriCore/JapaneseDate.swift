/// Dates as Japanese forms take them (domain.md, "Customer experience"): 西暦 (`1985-04-01`,
/// `19850401`, `1985/4/1`, `1985年4月1日`) or 和暦 (`昭和60年4月1日`, `S60.4.1`, `R2.1.1`, `平成元年1月8日`),
/// full-width digits included. Written by hand: Foundation's Japanese calendar is not available to
/// the handler, and the rules are few.
///
/// Era rule: a 和暦 date must lie inside its era. `平成32年` (which some people still write for 2020)
/// and `平成31年5月1日` (the first day of 令和) are refused with a message naming the right era,
/// because a birth date on an ID or a contract is written in the era it fell in, and a mismatch is
/// more often a typo in the year than a habit.
public enum JapaneseDate {
    /// One era: its names and its first and last day (the last era has none).
    public struct Era: Sendable {
        public let name: String
        public let letter: String
        public let first: CivilDate
        public let last: CivilDate?

        /// Gregorian year of the era's year `n` (元年 = 1).
        func gregorian(_ n: Int) -> Int { first.year + n - 1 }
    }

    /// Meiji is taken from 1873, when Japan adopted the Gregorian calendar; earlier Meiji dates
    /// follow the lunar calendar and cannot be converted by arithmetic.
    public static let eras: [Era] = [
        Era(name: "明治", letter: "M", first: CivilDate(year: 1868, month: 1, day: 25)!, last: CivilDate(year: 1912, month: 7, day: 29)!),
        Era(name: "大正", letter: "T", first: CivilDate(year: 1912, month: 7, day: 30)!, last: CivilDate(year: 1926, month: 12, day: 24)!),
        Era(name: "昭和", letter: "S", first: CivilDate(year: 1926, month: 12, day: 25)!, last: CivilDate(year: 1989, month: 1, day: 7)!),
        Era(name: "平成", letter: "H", first: CivilDate(year: 1989, month: 1, day: 8)!, last: CivilDate(year: 2019, month: 4, day: 30)!),
        Era(name: "令和", letter: "R", first: CivilDate(year: 2019, month: 5, day: 1)!, last: nil),
    ]
    static let gregorianFrom = CivilDate(year: 1873, month: 1, day: 1)!

    /// Why a text is not a date, as a Japanese sentence naming the field.
    public struct Problem: Error, Equatable, Sendable {
        public let message: String
    }

    /// Parses what a customer typed into a date field.
    /// - Parameter label: the field's name in the messages (`生年月日`).
    public static func parse(_ text: String, label: String) -> Result<CivilDate, Problem> {
        // `1985-04-12`, what a date input sends on every application post: read from its ten
        // bytes. The way below reads it the same, through `Substring`s and `Character`s, at ten
        // times the cost (34 K instructions).
        if let (year, month, day) = CivilDate.isoNumbers(text) { return gregorian(year, month, day, label: label) }
        var s = Substring(removingSpaces(TextNormalizer.halfWidth(text)))
        if s.isEmpty { return .failure(Problem(message: CustomerText.required(label))) }
        // Made only when the date is refused (every application post parses a birth date).
        var format: Problem { Problem(message: CustomerText.dateFormat(label)) }

        var era: Era?
        // A date that starts with a digit (`1985-04-12`, what date inputs send) names no era.
        let startsWithDigit = s.utf8.first.map { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) } ?? false
        for candidate in eras where !startsWithDigit {
            for prefix in [candidate.name, String(candidate.name.prefix(1)), candidate.letter, candidate.letter.lowercased()]
            where s.hasPrefix(prefix) {
                era = candidate
                s = s.dropFirst(prefix.count)
                break
            }
            if era != nil { break }
        }

        var parts: [Substring]
        if era == nil, s.count == 8, s.allSatisfy(\.isASCIIDigit) {
            parts = [s.prefix(4), s.dropFirst(4).prefix(2), s.suffix(2)]
        } else {
            if s.hasSuffix("日") { s = s.dropLast() }
            parts = s.split(omittingEmptySubsequences: false) { "-/.年月".contains($0) }
            // `1985年4月`, `平成元年`: the unit after the last number leaves an empty part.
            if parts.count > 1, parts.last?.isEmpty == true, s.hasSuffix("年") || s.hasSuffix("月") { parts.removeLast() }
        }
        guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty && $0.count <= 4 }),
              let month = Int(parts[1]), let day = Int(parts[2]),
              parts[1].allSatisfy(\.isASCIIDigit), parts[2].allSatisfy(\.isASCIIDigit) else {
            // `平成元年` alone, `1985年4月`: a year without the day.
            if parts.count < 3, let first = parts.first, !first.isEmpty,
               first == "元" || (first.allSatisfy(\.isASCIIDigit) && (era != nil ? first.count <= 2 : first.count == 4)) {
                return .failure(Problem(message: CustomerText.dateIncomplete(label)))
            }
            return .failure(format)
        }

        let year: Int
        if let era {
            let n: Int
            if parts[0] == "元" { n = 1 }
            else if parts[0].count <= 2, parts[0].allSatisfy(\.isASCIIDigit), let v = Int(parts[0]), v >= 1 { n = v }
            else { return .failure(format) }
            year = era.gregorian(n)
            guard let date = CivilDate(year: year, month: month, day: day) else {
                return .failure(Problem(message: CustomerText.dateImpossible(label, "\(era.name)\(n == 1 ? "元" : String(n))年\(month)月\(day)日")))
            }
            if date < era.first || date < gregorianFrom || (era.last.map { date > $0 } ?? false) {
                return .failure(Problem(message: CustomerText.dateOutsideEra(label, era: era.name, range: range(era),
                                                                           actual: display(date))))
            }
            return .success(date)
        }
        guard parts[0].count == 4, parts[0].allSatisfy(\.isASCIIDigit), let y = Int(parts[0]) else { return .failure(format) }
        return gregorian(y, month, day, label: label)
    }

    /// A date written without an era, once its numbers are read.
    private static func gregorian(_ year: Int, _ month: Int, _ day: Int, label: String) -> Result<CivilDate, Problem> {
        guard let date = CivilDate(year: year, month: month, day: day) else {
            return .failure(Problem(message: CustomerText.dateImpossible(label, "\(year)年\(month)月\(day)日")))
        }
        return .success(date)
    }

    /// The era a date falls in, with its year (`昭和`, 60); nil before Meiji's Gregorian years.
    public static func era(of date: CivilDate) -> (era: Era, year: Int)? {
        guard date >= gregorianFrom else { return nil }
        for era in eras.reversed() where date >= era.first {
            return (era, date.year - era.first.year + 1)
        }
        return nil
    }

    /// `1985年4月1日 (昭和60年)`, `1989年1月8日 (平成元年)`: how the customer's date is shown back.
    public static func display(_ date: CivilDate) -> String {
        guard let (era, n) = era(of: date) else { return date.japanese }
        return "\(date.japanese) (\(era.name)\(n == 1 ? "元" : String(n))年)"
    }

    /// `昭和64年1月7日`: the date written wholly in its era.
    public static func eraDate(_ date: CivilDate) -> String {
        guard let (era, n) = era(of: date) else { return date.japanese }
        return "\(era.name)\(n == 1 ? "元" : String(n))年\(date.month)月\(date.day)日"
    }

    private static func range(_ era: Era) -> String {
        let from = max(era.first, gregorianFrom)
        guard let last = era.last else { return "\(eraDate(from))から" }
        return "\(eraDate(from))〜\(eraDate(last))"
    }

    private static func removingSpaces(_ text: String) -> String {
        String(text.unicodeScalars.filter { !TextNormalizer.isSpace($0) })
    }
}
