/// Who may use the staff console, and what each may do (domain.md, "Staff console").
///
/// `owner` runs the shop's money and people (staff accounts, the bank file, payments, the ledger
/// and retention); `staff` work cases. An owner may do everything a staff member may.
public enum StaffRole: String, Sendable, CaseIterable, Codable {
    case owner, staff

    /// Whether this role may use a route that needs `required`.
    public func allows(_ required: StaffRole) -> Bool {
        self == .owner || required == .staff
    }

    /// The role as the console shows it.
    public var label: String {
        switch self {
        case .owner: "オーナー"
        case .staff: "スタッフ"
        }
    }
}

/// The logged-in person a console request acts for.
public struct StaffUser: Equatable, Sendable {
    public let id: Int64
    public let name: String
    public let role: StaffRole

    public init(id: Int64, name: String, role: StaffRole) {
        self.id = id; self.name = name; self.role = role
    }
}

/// A staff account as `kaitori staff list` shows it (never its password hash or TOTP seed).
public struct StaffAccount: Equatable, Sendable {
    public let id: Int64
    public let name: String
    public let role: StaffRole
    public let createdAt: Int64
    public let disabledAt: Int64?
    public let hasTOTP: Bool
    public let lastLoginAt: Int64?
    /// Sessions not yet ended (some may have timed out without a request to notice it).
    public let openSessions: Int

    public var isDisabled: Bool { disabledAt != nil }
    public var user: StaffUser { StaffUser(id: id, name: name, role: role) }
}

/// The rules for names and passwords, checked once here for the CLI and the console alike.
public enum StaffAccountRules {
    public static let minimumPasswordLength = 10
    /// Far above any real password; bounds the work one login can cause.
    public static let maximumPasswordBytes = 1024
    public static let maximumNameLength = 32

    /// - Throws: `StoreError.invalid` saying what is wrong with the name.
    public static func checkName(_ name: String) throws {
        guard !name.isEmpty else { throw StoreError.invalid("a staff name must not be empty") }
        guard name.count <= maximumNameLength else {
            throw StoreError.invalid("the staff name \"\(name)\" is longer than \(maximumNameLength) characters")
        }
        let forbidden = name.unicodeScalars.contains { scalar in
            scalar.properties.isWhitespace || scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
                || scalar == "/" || scalar == "\\" || scalar == "\"" || scalar == "'" || scalar == "<" || scalar == ">"
        }
        guard !forbidden else {
            throw StoreError.invalid("the staff name \"\(name)\" may not contain spaces, control characters or / \\ \" ' < >")
        }
    }

    /// - Throws: `StoreError.invalid` saying what is wrong with the password (never echoing it).
    public static func checkPassword(_ password: String) throws {
        guard !password.isEmpty else { throw StoreError.invalid("the password is empty") }
        guard password.count >= minimumPasswordLength else {
            throw StoreError.invalid("the password is too short: use at least \(minimumPasswordLength) characters")
        }
        guard password.utf8.count <= maximumPasswordBytes else {
            throw StoreError.invalid("the password is longer than \(maximumPasswordBytes) bytes")
        }
    }
}
