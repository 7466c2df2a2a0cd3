import ArgumentParser
import Foundation
import KaitoriCore
import SettingsFile
import SitePages

/// The options every command shares: which shop folder, and who is acting.
struct SiteOptions: ParsableArguments {
    @Option(name: .long, help: "The shop folder (default: $KAITORI_SITE, else the current directory).")
    var site: String?

    @Option(name: [.customLong("by"), .customLong("staff")],
            help: "Who does this, recorded in the case history (default: $KAITORI_STAFF, else your login name).")
    var staff: String?

    var siteDirectory: String {
        let env = ProcessInfo.processInfo.environment
        let dir = site ?? env["KAITORI_SITE"] ?? FileManager.default.currentDirectoryPath
        return URL(fileURLWithPath: dir).standardizedFileURL.path
    }

    var actor: Actor {
        let env = ProcessInfo.processInfo.environment
        return .staff(staff ?? env["KAITORI_STAFF"] ?? Self.loginName() ?? env["USER"] ?? "staff")
    }

    /// The shop's settings; while `kaitori serve` runs for this shop, with its local address as
    /// `site.base_url` (LocalServe), so links in queued messages work on this machine.
    func settings() throws -> Settings {
        do {
            var settings = try SettingsFile.require(site: siteDirectory)
            if let local = LocalServe.activeBaseURL(site: siteDirectory) { settings.site.baseURL = local }
            return settings
        } catch let error as SettingsError {
            throw CLIError("shop.yml has problems (run `kaitori check`):\n\(error)")
        }
    }

    func store() throws -> CaseStore {
        let site = siteDirectory
        // The store shop.yml names (SQLite under var/, or PostgreSQL).
        return try CaseStore.open(site: site, store: try settings().store, pages: SitePagePublisher(site: site, warn: { printError("warning: " + $0) }))
    }

    /// The name of the user running the command (getlogin, else the password entry of the uid).
    static func loginName() -> String? {
        if let name = getlogin() { return String(cString: name) }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return nil
    }
}

/// A refusal or failure: printed on stderr, exit status 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}

extension ParsableCommand {
    /// Runs `body`, turning domain errors into a message on stderr and exit status 1.
    func refusing(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as CLIError {
            printError(error.description)
            throw ExitCode(1)
        } catch let error as StoreError {
            printError(error.description)
            throw ExitCode(1)
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
    }
}

func printError(_ message: String) {
    FileHandle.standardError.write(Data(("kaitori: " + TerminalText.escape(message, keepLineBreaks: true) + "\n").utf8))
}

/// Writes one JSON document on stdout (and nothing else, as scripts rely on).
func printJSON<T: Encodable>(_ value: T) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    FileHandle.standardOutput.write(data)
    FileHandle.standardOutput.write(Data("\n".utf8))
}
