import ArgumentParser
import Foundation
import KaitoriCore

extension Kaitori {
    struct StaffCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "staff",
            abstract: "Staff console accounts: add, list, disable, set a password, set up a second factor (TOTP).",
            discussion: """
            Passwords are read from standard input (--password-stdin), never from the command line, \
            and stored only as Argon2id hashes. Disabling an account or changing its password ends \
            all of its console sessions at once.
            """,
            subcommands: [Add.self, List.self, Disable.self, Enable.self, Password.self, TOTPCommand.self])
    }
}

extension Kaitori.StaffCommand {
    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a staff account.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The login name (also what the case history shows).") var name: String
        @Option(help: "owner (accounts, bank file, payments, ledger, retention) or staff (cases).") var role: StaffRole
        @Flag(help: "Read the password from the first line of standard input (required).") var passwordStdin = false

        func validate() throws {
            if !passwordStdin { throw ValidationError("give the password on standard input with --password-stdin") }
        }

        func run() throws {
            try refusing {
                let password = try readPassword()
                let account = try options.store().addStaffAccount(name: name, role: role, password: password)
                print("added \(account.role.rawValue) \(account.name)")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the staff accounts.")
        @OptionGroup var options: SiteOptions
        @Flag(help: "One JSON document on stdout.") var json = false

        func run() throws {
            try refusing {
                let accounts = try options.store().staffAccounts()
                if json { try printJSON(accounts.map(StaffAccountJSON.init)); return }
                if accounts.isEmpty { print("no staff accounts (add the first owner with `kaitori staff add NAME --role owner --password-stdin`)"); return }
                for a in accounts {
                    let state = a.isDisabled ? "disabled \(Timestamp.display(a.disabledAt!))" : "enabled"
                    let login = a.lastLoginAt.map { "last login \(Timestamp.display($0))" } ?? "never logged in"
                    print("\(a.name)  \(a.role.rawValue)  \(state)  \(a.hasTOTP ? "TOTP" : "no TOTP")  \(login)")
                }
            }
        }
    }

    struct Disable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable an account and end all its sessions at once.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The account's name.") var name: String

        func run() throws {
            try refusing {
                try options.store().disableStaffAccount(name: name)
                print("disabled \(name); its console sessions have ended")
            }
        }
    }

    struct Enable: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled account again.")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The account's name.") var name: String

        func run() throws {
            try refusing {
                try options.store().enableStaffAccount(name: name)
                print("enabled \(name)")
            }
        }
    }

    struct Password: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set an account's password (ends its sessions).")
        @OptionGroup var options: SiteOptions
        @Argument(help: "The account's name.") var name: String
        @Flag(help: "Read the new password from the first line of standard input (required).") var passwordStdin = false

        func validate() throws {
            if !passwordStdin { throw ValidationError("give the password on standard input with --password-stdin") }
        }

        func run() throws {
            try refusing {
                let password = try readPassword()
                try options.store().setStaffPassword(name: name, password: password)
                print("password of \(name) changed; its console sessions have ended")
            }
        }
    }

    struct TOTPCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "totp",
            abstract: "Give an account a second factor: prints the otpauth:// URI and the secret once.",
            discussion: """
            Add the URI (or the base32 secret) to an authenticator app; from then on the console \
            asks for its 6-digit code at login. Running it again replaces the secret (the old app \
            entry stops working). The secret is kept only in the case store (var/), never in shop.yml.
            """)
        @OptionGroup var options: SiteOptions
        @Argument(help: "The account's name.") var name: String
        @Flag(help: "Remove the second factor instead.") var off = false

        func run() throws {
            try refusing {
                let store = try options.store()
                if off {
                    try store.disableStaffTOTP(name: name)
                    print("second factor of \(name) removed")
                    return
                }
                let issuer = (try? options.settings().shop.name) ?? "Kaitori"
                let secret = try store.enableStaffTOTP(name: name)
                print(TOTP.uri(secret: secret, account: name, issuer: issuer))
                print("secret (base32): \(StaffCrypto.base32(secret))")
                print("Add it to an authenticator app now: it is not shown again.")
            }
        }
    }

    struct StaffAccountJSON: Encodable {
        let name: String
        let role: String
        let enabled: Bool
        let totp: Bool
        let created_at: String
        let disabled_at: String?
        let last_login_at: String?
        let open_sessions: Int

        init(_ a: StaffAccount) {
            name = a.name; role = a.role.rawValue; enabled = !a.isDisabled; totp = a.hasTOTP
            created_at = Timestamp.iso(a.createdAt); disabled_at = a.disabledAt.map(Timestamp.iso)
            last_login_at = a.lastLoginAt.map(Timestamp.iso); open_sessions = a.openSessions
        }
    }
}

extension StaffRole: ExpressibleByArgument {}

/// The first line of standard input, without its line end. The rules (length, not empty) are the
/// core's (`StaffAccountRules`).
private func readPassword() throws -> String {
    guard let line = readLine(strippingNewline: true) else {
        throw CLIError("no password on standard input")
    }
    return line.hasSuffix("\r") ? String(line.dropLast()) : line
}
