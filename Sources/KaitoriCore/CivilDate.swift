/// A calendar date in Japan (JST, UTC+9, no daylight saving), without Foundation's calendars:
/// the handler only needs dates for ages, link expiry and display.
public struct CivilDate: Comparable, Hashable, Sendable, CustomStringConvertible {
    public var year: Int
    public var month: Int
    public var day: Int

    public static let jstOffset: Int64 = 9 * 3600

    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year) else { return nil }
        self.year = year; self.month = month; self.day = day
    }

    /// Parses `YYYY-MM-DD` strictly.
    public init?(iso text: String) {
        guard let (y, m, d) = CivilDate.isoNumbers(text) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Year, month and day of text that is exactly `dddd-dd-dd` in ASCII digits, whether or not
    /// such a day exists; nil otherwise. Read from its ten bytes: a date input sends this on every
    /// application post, and `JapaneseDate.parse` takes it here before its general way.
    static func isoNumbers(_ text: String) -> (Int, Int, Int)? {
        var text = text
        return text.withUTF8 { b -> (Int, Int, Int)? in
            guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-") else { return nil }
            func number(_ range: Range<Int>) -> Int? {
                var n = 0
                for i in range {
                    guard b[i] >= UInt8(ascii: "0"), b[i] <= UInt8(ascii: "9") else { return nil }
                    n = n * 10 + Int(b[i] - UInt8(ascii: "0"))
                }
                return n
            }
            guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10) else { return nil }
            return (year, month, day)
        }
    }

    /// The JST date of a unix time.
    public init(unixTime: Int64) {
        let days = (unixTime + CivilDate.jstOffset) / 86400 - ((unixTime + CivilDate.jstOffset) % 86400 < 0 ? 1 : 0)
        self = CivilDate(daysSinceEpoch: days)
    }

    // Howard Hinnant's civil-from-days algorithm.
    public init(daysSinceEpoch: Int64) {
        let z = daysSinceEpoch + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        year = Int(yoe + era * 400 + (m <= 2 ? 1 : 0)); month = Int(m); day = Int(d)
    }

    public var daysSinceEpoch: Int64 {
        let y = Int64(month <= 2 ? year - 1 : year)
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = Int64(month > 2 ? month - 3 : month + 9)
        let doy = (153 * mp + 2) / 5 + Int64(day) - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Full years from this (birth) date to `date`; a 29 February birthday counts on 1 March.
    public func age(on date: CivilDate) -> Int {
        var years = date.year - year
        if (date.month, date.day) < (month, day) { years -= 1 }
        return years
    }

    public func adding(days: Int) -> CivilDate { CivilDate(daysSinceEpoch: daysSinceEpoch + Int64(days)) }

    public var iso: String { "\(year)-\(pad(month))-\(pad(day))" }
    /// 2026年11月21日
    public var japanese: String { "\(year)年\(month)月\(day)日" }
    public var description: String { iso }

    public static func < (a: CivilDate, b: CivilDate) -> Bool { (a.year, a.month, a.day) < (b.year, b.month, b.day) }
}

func pad(_ n: Int, _ width: Int = 2) -> String {
    let s = String(n)
    return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
}

/// Timestamps as the CLI's JSON shows them: ISO 8601 in JST (`2026-11-21T07:40:00+09:00`).
public enum Timestamp {
    public static func iso(_ unixTime: Int64) -> String {
        let local = unixTime + CivilDate.jstOffset
        let secs = ((local % 86400) + 86400) % 86400
        let date = CivilDate(unixTime: unixTime)
        return "\(date.iso)T\(pad(Int(secs / 3600))):\(pad(Int(secs / 60 % 60))):\(pad(Int(secs % 60)))+09:00"
    }

    /// `2026/11/21 07:40` for staff screens and documents.
    public static func display(_ unixTime: Int64) -> String {
        let local = unixTime + CivilDate.jstOffset
        let secs = ((local % 86400) + 86400) % 86400
        let d = CivilDate(unixTime: unixTime)
        return "\(d.year)/\(pad(d.month))/\(pad(d.day)) \(pad(Int(secs / 3600))):\(pad(Int(secs / 60 % 60)))"
    }
}
