import CGI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Serves bytes a few at a time (1 to 7 per read, in a fixed pseudo-random order), the way a slow
/// pipe might, so that every boundary and header terminator falls across read edges.
struct DribbleSource: ByteSource {
    private var bytes: [UInt8]
    private var position = 0
    private var state: UInt64
    private(set) var reads = 0

    init(_ bytes: [UInt8], seed: UInt64 = 0x9E37_79B9_7F4A_7C15) {
        self.bytes = bytes
        state = seed
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        reads += 1
        // xorshift: deterministic, so a failure reproduces.
        state ^= state << 13
        state ^= state >> 7
        state ^= state << 17
        let size = min(Int(state % 7) + 1, buffer.count, bytes.count - position)
        guard size > 0 else { return 0 }
        for index in 0..<size { buffer[index] = bytes[position + index] }
        position += size
        return size
    }
}

/// Serves bytes in reads of exactly `size` (the last may be shorter).
struct FixedChunkSource: ByteSource {
    let bytes: [UInt8]
    let size: Int
    private var position = 0

    init(_ bytes: [UInt8], size: Int) {
        self.bytes = bytes
        self.size = size
    }

    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(size, buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        for index in 0..<count { buffer[index] = bytes[position + index] }
        position += count
        return count
    }
}

/// Records every read, to show that a refused request was not read at all.
final class RecordingSource: ByteSource {
    private var inner: ByteArraySource
    private(set) var readCount = 0
    private(set) var bytesServed = 0

    init(_ bytes: [UInt8]) {
        inner = ByteArraySource(bytes)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        readCount += 1
        let count = try inner.read(into: buffer)
        bytesServed += count
        return count
    }
}

/// A fresh directory under /tmp, removed with its files by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        var template = Array("/tmp/cgi-tests-XXXXXX".utf8CString)
        let created = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        guard created != nil else { throw CGIError.io("mkdtemp failed: errno \(errno)") }
        path = String(cString: template)
    }

    /// The names of the files in it, sorted.
    func fileNames() -> [String] {
        guard let directory = opendir(path) else { return [] }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.baseAddress!.assumingMemoryBound(to: CChar.self))
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names.sorted()
    }

    func remove() {
        for name in fileNames() { unlink(path + "/" + name) }
        rmdir(path)
    }
}

/// The whole content of a file.
func contentsOfFile(_ path: String) throws -> [UInt8] {
    let fd = open(path, O_RDONLY)
    guard fd >= 0 else { throw CGIError.io("open \(path): errno \(errno)") }
    defer { close(fd) }
    var source = FileDescriptorSource(fd: fd)
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 4096)
    while true {
        let count = try chunk.withUnsafeMutableBytes { try source.read(into: $0) }
        if count == 0 { return bytes }
        bytes += chunk[0..<count]
    }
}

/// The permission bits of a file.
func permissions(of path: String) -> UInt32? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return UInt32(info.st_mode) & 0o7777
}

/// One part of a multipart test body.
struct TestPart {
    var headers: [String]
    var body: [UInt8]

    static func field(_ name: String, _ value: String) -> TestPart {
        TestPart(headers: ["Content-Disposition: form-data; name=\"\(name)\""], body: Array(value.utf8))
    }

    static func file(_ name: String, fileName: String, type: String = "application/octet-stream", _ body: [UInt8]) -> TestPart {
        TestPart(
            headers: ["Content-Disposition: form-data; name=\"\(name)\"; filename=\"\(fileName)\"", "Content-Type: \(type)"],
            body: body)
    }
}

/// A multipart body as browsers write it: no preamble, CRLF line breaks, a closing boundary and
/// a final CRLF.
func multipartBody(boundary: String, _ parts: [TestPart], close: Bool = true) -> [UInt8] {
    var bytes: [UInt8] = []
    for part in parts {
        bytes += Array("--\(boundary)\r\n".utf8)
        for header in part.headers { bytes += Array("\(header)\r\n".utf8) }
        bytes += Array("\r\n".utf8)
        bytes += part.body
        bytes += Array("\r\n".utf8)
    }
    if close { bytes += Array("--\(boundary)--\r\n".utf8) }
    return bytes
}

/// Bytes that look like the start of a JPEG, then a counting pattern, `count` in all.
func jpegLikeBytes(_ count: Int) -> [UInt8] {
    let signature: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, 0x4A, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0x00, 0x00, 0x01]
    return (0..<count).map { $0 < signature.count ? signature[$0] : UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
}
