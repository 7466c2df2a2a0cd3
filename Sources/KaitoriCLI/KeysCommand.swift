import ArgumentParser
import Foundation
import KaitoriCore

extension Kaitori {
    struct KeysCommand: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "keys",
            abstract: "The key pair that seals ID images and signatures at rest (the handler only gets the public key).",
            discussion: """
            The private key lives at keys.private_key in shop.yml, outside the shop folder, mode 0600. Without it the \
            stored ID images cannot be opened: keep a backup of it somewhere safe and separate from the shop's backups.
            """,
            subcommands: [Init.self, Rotate.self, SealExisting.self])
    }
}

/// The private key file named by the settings, resolved against the shop folder.
enum KeysOptions {
    static func privateKeyPath(_ options: SiteOptions, _ settings: Settings) throws -> String {
        let path = settings.compliance.privateKeyPath
        guard !path.isEmpty else { throw CLIError("shop.yml has no keys.private_key: set where the private key lives (outside the shop folder)") }
        return KeyFiles.resolve(path, site: options.siteDirectory)
    }

    /// The ring when the shop has a key; nil when it has none yet (files are then plain).
    static func ring(_ options: SiteOptions) throws -> KeyRing? {
        let settings = try options.settings()
        return try wrapping { try KeyFiles.shopRing(settings: settings, site: options.siteDirectory) }
    }
}

extension Kaitori.KeysCommand {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create the key pair (private key at keys.private_key, public key in var/keys/public.key) and seal every stored file not sealed yet.")
        @OptionGroup var options: SiteOptions

        func run() throws {
            try refusing {
                let path = try KeysOptions.privateKeyPath(options, try options.settings())
                let (key, sealed) = try wrapping { try options.store().initKeys(privateKeyPath: path) }
                print("private key \(path) (mode 0600); public key \(KeyFiles.publicKeyPath(site: options.siteDirectory)) (key \(key.id)); \(sealed) existing file(s) sealed")
            }
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace the key pair: every file is re-sealed under the new key before the old key is dropped. Safe to run again after an interruption.")
        @OptionGroup var options: SiteOptions

        func run() throws {
            try refusing {
                let path = try KeysOptions.privateKeyPath(options, try options.settings())
                let (key, count) = try wrapping { try options.store().rotateKeys(privateKeyPath: path) }
                print("new key \(key.id); \(count) file(s) re-sealed; the old key was removed from \(path)")
            }
        }
    }

    struct SealExisting: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "seal-existing",
            abstract: "Seal files stored before the shop had a key (also run by `keys init`).")
        @OptionGroup var options: SiteOptions

        func run() throws {
            try refusing {
                guard let ring = try KeysOptions.ring(options) else { throw CLIError("no private key yet; run `kaitori keys init`") }
                let count = try options.store().resealStoredFiles(keys: ring)
                print("\(count) file(s) sealed")
            }
        }
    }
}

/// Key problems as the CLI's refusals.
func wrapping<T>(_ body: () throws -> T) throws -> T {
    do { return try body() } catch let problem as SealedFile.Problem { throw CLIError(problem.description) }
    catch let failure as FileIO.Failure { throw CLIError(failure.description) }
}
