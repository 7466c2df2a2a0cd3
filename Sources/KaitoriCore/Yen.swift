/// Money is whole yen (`Int`) everywhere; this formats it as customers read it.
public enum Yen {
    /// `12345` → `12,345`
    public static func grouped(_ amount: Int) -> String {
        let digits = String(abs(amount))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (amount < 0 ? "-" : "") + out
    }

    /// `12345` → `12,345円`
    public static func format(_ amount: Int) -> String { grouped(amount) + "円" }
}
