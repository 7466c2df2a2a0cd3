#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads from a file descriptor; `FileDescriptorSource(fd: 0)` is the CGI request body.
///
/// It reads whatever the descriptor holds until end of file: wrap it in `RequestBody` (see
/// `CGIRequest.body(from:limit:)`) so that no more than `CONTENT_LENGTH` bytes are consumed.
public struct FileDescriptorSource: ByteSource, Sendable {
    public let fd: Int32

    public init(fd: Int32 = 0) {
        self.fd = fd
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard let base = buffer.baseAddress, buffer.count > 0 else { return 0 }
        while true {
            let n = readDescriptor(fd, base, buffer.count)
            if n >= 0 { return n }
            // A signal landing mid-read is not a failure of the request.
            if errno == EINTR { continue }
            throw CGIError.io("reading file descriptor \(fd): \(systemErrorText(errno))")
        }
    }
}

// A free function, because inside the type `read` names the protocol method.
private func readDescriptor(_ fd: Int32, _ base: UnsafeMutableRawPointer, _ count: Int) -> Int {
    read(fd, base, count)
}
