#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One upload file being written: created under a random name, owner-only, never over an
/// existing file.
struct UploadWriter {
    let path: String
    private var fd: Int32

    /// Creates an empty file in `directory`.
    ///
    /// The name is 128 random bits in hex, so it says nothing about the client's name and cannot
    /// be guessed; `O_EXCL` and `O_NOFOLLOW` make sure it is a new file and not a planted link.
    ///
    /// - Throws: `CGIError.io` naming the directory when the file cannot be created.
    static func create(in directory: String) throws -> UploadWriter {
        let folder = directory.hasSuffix("/") ? String(directory.dropLast()) : directory
        var generator = SystemRandomNumberGenerator()
        // A collision of 128 random bits means a broken random source; a few tries guard
        // against nothing more than that, and fail loudly.
        for _ in 0..<4 {
            let name = hex(generator.next() as UInt64) + hex(generator.next() as UInt64)
            let path = folder + "/" + name
            let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o600)
            if fd >= 0 {
                // The umask can only clear bits; set the mode explicitly so it is exactly 0600.
                guard fchmod(fd, 0o600) == 0 else {
                    let code = errno
                    closeDescriptor(fd)
                    unlink(path)
                    throw CGIError.io("setting the mode of upload \(path): \(systemErrorText(code))")
                }
                return UploadWriter(path: path, fd: fd)
            }
            let code = errno
            if code == EINTR || code == EEXIST { continue }
            throw CGIError.io("creating an upload file in \(folder): \(systemErrorText(code))")
        }
        throw CGIError.io("creating an upload file in \(folder): no unused random name")
    }

    /// Appends bytes, all of them.
    ///
    /// - Throws: `CGIError.io` naming the file (a full disk, for one).
    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard var next = bytes.baseAddress else { return }
        var left = bytes.count
        while left > 0 {
            let written = writeDescriptor(fd, next, left)
            if written < 0 {
                if errno == EINTR { continue }
                throw CGIError.io("writing upload \(path): \(systemErrorText(errno))")
            }
            next += written
            left -= written
        }
    }

    /// Flushes the file to disk and closes it.
    ///
    /// The handler records the path in the case store right after this; syncing first means a
    /// crash cannot leave a recorded identity document empty.
    ///
    /// - Throws: `CGIError.io` naming the file.
    mutating func close() throws {
        guard fd >= 0 else { return }
        let descriptor = fd
        fd = -1
        if fsync(descriptor) != 0 {
            let code = errno
            closeDescriptor(descriptor)
            throw CGIError.io("syncing upload \(path): \(systemErrorText(code))")
        }
        if closeDescriptor(descriptor) != 0 {
            throw CGIError.io("closing upload \(path): \(systemErrorText(errno))")
        }
    }

    /// Closes without reporting, for a file that is about to be deleted anyway.
    mutating func abandon() {
        guard fd >= 0 else { return }
        closeDescriptor(fd)
        fd = -1
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

// Free functions, because inside the type `write` and `close` name its own methods.
private func writeDescriptor(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}

@discardableResult
private func closeDescriptor(_ fd: Int32) -> Int32 {
    close(fd)
}
