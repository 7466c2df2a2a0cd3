/// Exactly `contentLength` bytes of a source: it never reads past them, and a source that ends
/// before them is a malformed request rather than a silently shorter body.
public struct RequestBody<Source: ByteSource>: ByteSource {
    public private(set) var source: Source
    public let contentLength: Int
    public private(set) var bytesRead: Int = 0

    /// Bytes still to come.
    public var remaining: Int { contentLength - bytesRead }

    public init(source: Source, contentLength: Int) {
        precondition(contentLength >= 0, "a content length cannot be negative")
        self.source = source
        self.contentLength = contentLength
    }

    /// - Throws: `CGIError.malformed` when the source ends early; whatever the source throws.
    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let wanted = min(buffer.count, remaining)
        guard wanted > 0 else { return 0 }
        let window = UnsafeMutableRawBufferPointer(rebasing: buffer[0..<wanted])
        let count = try source.read(into: window)
        guard count >= 0, count <= wanted else {
            throw CGIError.io("byte source returned \(count) for a \(wanted)-byte buffer")
        }
        guard count > 0 else {
            throw CGIError.malformed(
                "request body ended after \(bytesRead) of \(contentLength) bytes (CONTENT_LENGTH)")
        }
        bytesRead += count
        return count
    }

    /// Reads the rest of the body into one array.
    ///
    /// - Throws: as `read(into:)`.
    public mutating func readAll() throws -> [UInt8] {
        let count = remaining
        var filled = 0
        let bytes = try [UInt8](unsafeUninitializedCapacity: count) { storage, initialized in
            let raw = UnsafeMutableRawBufferPointer(storage)
            // Mark what is filled so far as initialized even if a read throws midway.
            defer { initialized = filled }
            while filled < count {
                filled += try read(into: UnsafeMutableRawBufferPointer(rebasing: raw[filled...]))
            }
        }
        return bytes
    }
}
