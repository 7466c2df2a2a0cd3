#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The few file operations the site needs, on POSIX calls: the handler links this module and must
/// not pay for Foundation's file manager on every request.
package enum FileSystem {
    package static func reason() -> String { String(cString: strerror(errno)) }

    package static func readBytes(_ path: String) throws -> [UInt8] {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw SiteError(file: path, message: "cannot read: \(reason())") }
        defer { close(fd) }
        // Read straight into the uninitialized storage of an array of the file's size, one byte
        // more to see the end: the handler reads var/site.json on every post, and a zeroed 64 KB
        // chunk copied over cost 0.1 M instructions and 16 page faults (zeroing the array first,
        // 15 K more). A file that grew meanwhile is read on to its end.
        var info = stat()
        let expected = fstat(fd, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG ? Int(info.st_size) : 0
        // Reads up to `count` bytes to `pointer`, again when a signal interrupts; 0 at the end.
        func readSome(into pointer: UnsafeMutableRawPointer, _ count: Int) throws -> Int {
            while true {
                let n = read(fd, pointer, count)
                if n >= 0 { return n }
                if errno != EINTR { throw SiteError(file: path, message: "cannot read: \(reason())") }
            }
        }
        var bytes = try [UInt8](unsafeUninitializedCapacity: expected + 1) { buffer, initialized in
            while initialized < buffer.count {
                let n = try readSome(into: buffer.baseAddress! + initialized, buffer.count - initialized)
                if n == 0 { break }
                initialized += n
            }
        }
        // Filled: the file grew after `fstat` (or is not a regular file); read on to its end.
        guard bytes.count == expected + 1 else { return bytes }
        var count = bytes.count
        while true {
            if count == bytes.count { bytes.append(contentsOf: repeatElement(0, count: bytes.count)) }
            let n = try bytes.withUnsafeMutableBytes { try readSome(into: $0.baseAddress! + count, $0.count - count) }
            if n == 0 { break }
            count += n
        }
        bytes.removeSubrange(count...)
        return bytes
    }

    /// The file as UTF-8 text; invalid UTF-8 is an error rather than silently replaced, since it
    /// would reach customers as garbage.
    package static func readText(_ path: String, name: String? = nil) throws -> String {
        let bytes = try readBytes(path)
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw SiteError(file: name ?? path, message: "is not valid UTF-8 text")
        }
        return text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text
    }

    package static func exists(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0
    }

    package static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }

    package static func isRegularFile(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }

    /// Names in `directory`, sorted so that builds are reproducible; `.` and `..` left out.
    package static func entries(_ directory: String) throws -> [String] {
        guard let dir = opendir(directory) else {
            throw SiteError(file: directory, message: "cannot list: \(reason())")
        }
        defer { closedir(dir) }
        var names: [String] = []
        while let entry = readdir(dir) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name != ".", name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    /// Creates `path` and any missing parents.
    package static func makeDirectories(_ path: String, mode: mode_t = 0o755) throws {
        // The folder itself first: a build creates thousands of token folders whose parents
        // exist, and walking every prefix from the root cost six failed mkdir calls each.
        if mkdir(path, mode) == 0 { return }
        if errno == ENOENT, let slash = path.lastIndex(of: "/"), slash > path.startIndex {
            try makeDirectories(String(path[..<slash]), mode: mode)
            if mkdir(path, mode) == 0 { return }
        }
        if errno != EEXIST { throw SiteError(file: path, message: "cannot create folder \(path): \(reason())") }
        guard isDirectory(path) else { throw SiteError(file: path, message: "exists but is not a folder") }
    }

    package static func writeFile(_ bytes: [UInt8], to path: String, mode: mode_t = 0o644) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode)
        guard fd >= 0 else { throw SiteError(file: path, message: "cannot write: \(reason())") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, $0.count - offset) }
            if n < 0 {
                if errno == EINTR { continue }
                let message = reason()
                close(fd)
                unlink(path)
                throw SiteError(file: path, message: "cannot write: \(message)")
            }
            offset += n
        }
        guard close(fd) == 0 else { throw SiteError(file: path, message: "cannot write: \(reason())") }
    }

    package static func writeFile(_ text: String, to path: String, mode: mode_t = 0o644) throws {
        try writeFile(Array(text.utf8), to: path, mode: mode)
    }

    /// Writes next to `path` and renames over it, so a reader (the web server) sees the old file or
    /// the new one, never half of one.
    package static func replaceFile(_ path: String, with bytes: [UInt8], mode: mode_t = 0o644) throws {
        var rng = SystemRandomNumberGenerator()
        let slash = path.lastIndex(of: "/").map { path.index(after: $0) } ?? path.startIndex
        let temporary = String(path[..<slash]) + ".\(path[slash...]).\(getpid()).\(rng.next() % 1_000_000).tmp"
        try writeFile(bytes, to: temporary, mode: mode)
        guard rename(temporary, path) == 0 else {
            let message = reason()
            unlink(temporary)
            throw SiteError(file: path, message: "cannot replace: \(message)")
        }
    }

    package static func replaceFile(_ path: String, with text: String, mode: mode_t = 0o644) throws {
        try replaceFile(path, with: Array(text.utf8), mode: mode)
    }

    /// Removes a file, or a folder with everything in it; symbolic links are removed, never followed.
    package static func removeTree(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            if errno == ENOENT { return }
            throw SiteError(file: path, message: "cannot remove: \(reason())")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            for name in try entries(path) { try removeTree(path + "/" + name) }
            guard rmdir(path) == 0 else { throw SiteError(file: path, message: "cannot remove: \(reason())") }
        } else {
            guard unlink(path) == 0 || errno == ENOENT else { throw SiteError(file: path, message: "cannot remove: \(reason())") }
        }
    }

    /// Copies a folder's files and subfolders into `destination`, skipping dot files (editor and
    /// version-control leftovers must not be published).
    package static func copyTree(_ source: String, to destination: String) throws -> Int {
        try makeDirectories(destination)
        var count = 0
        for name in try entries(source) where !name.hasPrefix(".") {
            let from = source + "/" + name, to = destination + "/" + name
            if isDirectory(from) {
                count += try copyTree(from, to: to)
            } else if isRegularFile(from) {
                try writeFile(readBytes(from), to: to)
                count += 1
            }
        }
        return count
    }
}
