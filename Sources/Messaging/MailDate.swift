import KaitoriCore

/// The RFC 5322 `Date` header value, in Japan time: `Sat, 21 Nov 2026 07:40:00 +0900`.
enum MailDate {
    private static let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(_ unixTime: Int64) -> String {
        let date = CivilDate(unixTime: unixTime)
        let local = unixTime + CivilDate.jstOffset
        let seconds = Int(((local % 86400) + 86400) % 86400)
        // 1970-01-01 was a Thursday.
        let weekday = Int(((date.daysSinceEpoch + 4) % 7 + 7) % 7)
        return "\(weekdays[weekday]), \(date.day) \(months[date.month - 1]) \(date.year) "
            + "\(two(seconds / 3600)):\(two(seconds / 60 % 60)):\(two(seconds % 60)) +0900"
    }

    private static func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
}
