/// One problem in `shop.yml`, printed by `kaitori check` as `shop.yml:LINE: key: problem`.
public struct SettingsProblem: Equatable, Sendable, CustomStringConvertible {
    public enum Severity: String, Sendable { case error, warning }

    public var file: String
    public var line: Int
    /// Dotted path of the key, e.g. `form.categories[2].id`.
    public var key: String
    public var message: String
    public var severity: Severity

    public init(file: String, line: Int, key: String, message: String, severity: Severity = .error) {
        self.file = file; self.line = line; self.key = key; self.message = message; self.severity = severity
    }

    public var description: String {
        "\(file):\(line): \(key): \(severity == .warning ? "warning: " : "")\(message)"
    }
}

/// Raised when settings cannot be used; carries every problem, not just the first.
public struct SettingsError: Error, Equatable, CustomStringConvertible {
    public var problems: [SettingsProblem]
    public var description: String { problems.map(\.description).joined(separator: "\n") }
}
