#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An export written piece by piece, in memory that does not grow with it, and published only when
/// complete: to a file beside the target (owner-only) that `commit` syncs and renames over it, or,
/// for stdout (`-`), to a spool file in `spoolFolder` (the shop's var/, never /tmp: it holds
/// personal data) that `commit` copies out. An export refused half-way (`commit` never called)
/// leaves no file and writes nothing to stdout. The CLI's exports (`zengin export`, the ledger,
/// stock and case list as CSV or .xlsx) write through it.
public final class StreamingOutput {
    /// The target: a path, or `-` for stdout.
    public let target: String
    private let file: SpoolFile
    private let stdout: Int32

    /// - Parameter stdout: where `-` goes (standard output; tests pass a file).
    public init(path: String, spoolFolder: String, stdout: Int32 = STDOUT_FILENO) throws {
        target = path
        self.stdout = stdout
        if path == "-" {
            // Named until the first write (empty until then), or for `start` until the end.
            file = try SpoolFile(creating: spoolFolder + "/.export-spool-\(getpid())", label: "a spool file in \(spoolFolder)")
        } else {
            file = try SpoolFile(creating: path + ".tmp-\(getpid())", label: path)
        }
    }

    public func write(_ bytes: [UInt8]) throws {
        if target == "-" { file.removeName() }
        try file.write(bytes)
    }

    /// For a writer that opens the file itself by name and writes through its own handle
    /// (ZIPFoundation's `Archive`): starts the file with `bytes` and returns its path. Comes
    /// before any `write`. A stdout spool then keeps its name until `commit` or release.
    public func start(with bytes: [UInt8]) throws -> String {
        guard let path = file.path else { preconditionFailure("StreamingOutput.start comes before any write") }
        try file.write(bytes)
        try file.flush()
        return path
    }

    /// Syncs the file and renames it over the target, or copies it to stdout.
    public func commit() throws {
        if target == "-" {
            try file.flush()
            try file.copy(to: stdout, targetLabel: "stdout")
        } else {
            try file.sync()
            try file.rename(to: target)
        }
    }
}
