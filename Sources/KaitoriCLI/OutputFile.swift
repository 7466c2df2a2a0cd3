import ArgumentParser
import Foundation

/// Where an export goes: a file written atomically with owner-only permissions (exports and ID
/// copies hold customers' personal data), or stdout for `-`.
enum OutputFile {
    static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }

    static func write(_ data: Data, to path: String) throws {
        if path == "-" {
            FileHandle.standardOutput.write(data)
            return
        }
        // Written beside the target and renamed, so a half-written file never looks complete.
        let tmp = path + ".tmp-\(getpid())"
        guard FileManager.default.createFile(atPath: tmp, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        guard rename(tmp, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(tmp)
            throw CLIError("cannot write \(path): \(reason)")
        }
    }
}

/// The one output option of every export (`items export`, `ledger export`, `stock export`,
/// `zengin export`, `docs`, `case list`): `-o FILE`, `-` or nothing for stdout. The exports that had a
/// FILE argument keep it for older scripts; giving both is refused.
struct ExportOutput: ParsableArguments {
    @Option(name: [.short, .customLong("output")],
            help: ArgumentHelp("Write to FILE, owner-only (0600), replaced whole; - or nothing writes to stdout.", valueName: "FILE"))
    var output: String?

    /// Whether the file asked for is a workbook (`.xlsx`); otherwise the export writes its CSV.
    static func isWorkbook(_ path: String) -> Bool { path.lowercased().hasSuffix(".xlsx") }

    /// Where to write: `-o FILE`, else the positional FILE, else stdout (`-`).
    func path(positional: String? = nil) throws -> String {
        if let output, let positional, output != positional {
            throw ValidationError("give the output file once: FILE or -o FILE, not both")
        }
        return output ?? positional ?? "-"
    }
}
