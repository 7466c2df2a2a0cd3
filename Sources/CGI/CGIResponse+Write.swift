#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension CGIResponse {
    /// Writes the serialized response, all of it, to `fd` (standard output by default).
    ///
    /// A pipe takes a large page in several writes, and a signal can interrupt any of them; both
    /// are resumed where they stopped.
    ///
    /// - Throws: `CGIError.io` when a write fails (the server closed the pipe, for one).
    public func write(to fd: Int32 = 1) throws {
        let bytes = serialize()
        try bytes.withUnsafeBytes { raw in
            var offset = 0
            while offset < raw.count {
                let written = writeDescriptor(fd, raw.baseAddress! + offset, raw.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    throw CGIError.io("writing the response to file descriptor \(fd): \(systemErrorText(errno))")
                }
                guard written > 0 else {
                    throw CGIError.io("writing the response to file descriptor \(fd): no progress")
                }
                offset += written
            }
        }
    }
}

// A free function, because inside the type `write` names its own method.
private func writeDescriptor(_ fd: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(fd, bytes, count)
}
