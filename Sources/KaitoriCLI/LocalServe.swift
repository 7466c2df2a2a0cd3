#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// While `kaitori serve` runs, the shop is reached at `http://127.0.0.1:PORT`, not at the production
/// `site.base_url` of shop.yml. Serve records that address in `var/serve` (its pid and the address);
/// every command that builds pages or queues messages for this shop (`kaitori build`, the staff
/// steps) uses it instead of `base_url` while that process is alive, so every link it prints, writes
/// or queues works on this machine. The file is removed when serve stops; a file left by a killed
/// serve is ignored (its pid is gone).
enum LocalServe {
    static func markerPath(site: String) -> String { site + "/var/serve" }

    /// The local address of a running `kaitori serve` for this shop, if any.
    static func activeBaseURL(site: String) -> String? {
        guard let text = try? String(contentsOfFile: markerPath(site: site), encoding: .utf8) else { return nil }
        let lines = text.split(separator: "\n").map(String.init)
        guard lines.count >= 2, let pid = pid_t(lines[0]), pid > 0 else { return nil }
        guard pid == getpid() || kill(pid, 0) == 0 || errno == EPERM else { return nil }
        return lines[1]
    }

    /// Records this process as the running serve, and removes the record on Ctrl-C or `kill`.
    static func record(site: String, baseURL: String) throws {
        let path = markerPath(site: site)
        let text = "\(getpid())\n\(baseURL)\n"
        guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw CLIError("cannot write \(path): \(String(cString: strerror(errno)))")
        }
        markerCString = strdup(path)
        for stop in [SIGINT, SIGTERM, SIGHUP] {
            signal(stop) { signal in
                if let path = LocalServe.markerCString { unlink(path) }
                _exit(128 + signal)
            }
        }
    }

    nonisolated(unsafe) static var markerCString: UnsafeMutablePointer<CChar>?
}
