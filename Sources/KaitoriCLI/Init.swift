import ArgumentParser
import Foundation

extension Kaitori {
    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a new shop folder from the sample shop.",
            discussion: "Copies shop.yml, site-templates/ and content/ from the sample (KAITORI_SAMPLE, else the installed sample) and creates public/ and var/.")

        @Argument(help: "The new shop folder (must not exist or be empty).")
        var directory: String

        @Option(help: "The sample shop to copy (default: $KAITORI_SAMPLE, else the folder this kaitori was built in).")
        var sample: String?

        func run() throws {
            try refusing {
                let fm = FileManager.default
                let source = try sampleFolder()
                if fm.fileExists(atPath: directory), !((try? fm.contentsOfDirectory(atPath: directory))?.isEmpty ?? true) {
                    throw CLIError("\(directory) exists and is not empty")
                }
                try fm.createDirectory(atPath: directory, withIntermediateDirectories: true)
                for name in ["shop.yml", "site-templates", "content"] {
                    do {
                        try fm.copyItem(atPath: source + "/" + name, toPath: directory + "/" + name)
                    } catch {
                        throw CLIError("cannot copy \(source)/\(name) to \(directory)/\(name): \((error as NSError).localizedFailureReason ?? error.localizedDescription)")
                    }
                }
                try fm.createDirectory(atPath: directory + "/public", withIntermediateDirectories: true)
                try fm.createDirectory(atPath: directory + "/var", withIntermediateDirectories: true,
                                       attributes: [.posixPermissions: 0o700])
                print("Created \(directory). Next: edit \(directory)/shop.yml, then `kaitori check --site \(directory)` and `kaitori build --site \(directory)`.")
            }
        }

        private func sampleFolder() throws -> String {
            let candidates = [sample, ProcessInfo.processInfo.environment["KAITORI_SAMPLE"], SampleShop.sourceRoot].compactMap { $0 }
            for c in candidates where FileManager.default.fileExists(atPath: c + "/shop.yml")
                && FileManager.default.fileExists(atPath: c + "/site-templates") {
                return c
            }
            throw CLIError("no sample shop found (looked in \(candidates.joined(separator: ", "))); pass --sample DIR")
        }
    }
}

enum SampleShop {
    /// The repository root this binary was built from: it is the sample shop.
    static let sourceRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()
}
