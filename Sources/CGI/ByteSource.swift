/// Where request body bytes come from: standard input in production, memory in tests and fuzzing.
public protocol ByteSource {
    /// Reads up to `buffer.count` bytes into the start of `buffer`.
    ///
    /// - Returns: the number of bytes read, `0` only at end of input.
    /// - Throws: `CGIError.io` when the underlying read fails.
    mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}
