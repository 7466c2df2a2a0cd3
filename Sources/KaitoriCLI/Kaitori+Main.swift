import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif

extension Kaitori {
    /// Parses and runs, with the exit statuses of interfaces.md: 0 done, 1 refused or failed,
    /// 2 usage error (swift-argument-parser's own default for usage errors is 64).
    public static func runMain(_ arguments: [String]? = nil) -> Never {
        do {
            var command = try parseAsRoot(arguments)
            try command.run()
            Glibc.exit(0)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if !message.isEmpty {
                if code == .success { print(message) } else { printError(message) }
            }
            if code == .success { Glibc.exit(0) }
            Glibc.exit(code == .validationFailure ? 2 : code.rawValue)
        }
    }
}
