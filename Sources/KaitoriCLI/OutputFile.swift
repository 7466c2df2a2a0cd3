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
