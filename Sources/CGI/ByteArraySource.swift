/// Serves bytes held in memory, so the streaming parsers can be driven by tests and fuzzers.
public struct ByteArraySource: ByteSource, Sendable {
    public let bytes: [UInt8]
    /// How many bytes have been handed out so far.
    public private(set) var position: Int = 0

    public init(_ bytes: [UInt8]) {
        self.bytes = bytes
    }

    public mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        let count = min(buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.copyMemory(from: UnsafeRawBufferPointer(rebasing: source[position..<(position + count)]))
        }
        position += count
        return count
    }
}
