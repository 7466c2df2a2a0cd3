#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The multipart parser's single read buffer.
///
/// Body bytes are read into it and handed from it straight to the upload file or field, so a
/// file is never whole in memory nor copied on its way. It keeps the unconsumed bytes
/// `start..<end`; offsets in its interface are relative to `start`.
final class ReadBuffer {
    private let storage: UnsafeMutableRawBufferPointer
    private let chunkSize: Int
    private var start = 0
    private var end = 0

    /// - Parameters:
    ///   - chunkSize: the most bytes asked of the source at once.
    ///   - reserve: the most unconsumed bytes the parser may hold while asking for more.
    init(chunkSize: Int, reserve: Int) {
        // Twice the chunk size, so compaction (a move of at most `reserve` bytes) happens at most
        // once per chunk read even when the source returns a few bytes at a time.
        storage = UnsafeMutableRawBufferPointer.allocate(byteCount: 2 * chunkSize + reserve, alignment: 1)
        self.chunkSize = chunkSize
    }

    deinit {
        storage.deallocate()
    }

    /// Unconsumed bytes.
    var count: Int { end - start }

    subscript(offset: Int) -> UInt8 {
        storage[start + offset]
    }

    /// The unconsumed bytes in `range`, valid until the next `fill`.
    func bytes(_ range: Range<Int>) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: storage[(start + range.lowerBound)..<(start + range.upperBound)])
    }

    /// Adds bytes without reading, to put a line break before the body (see `MultipartSession`).
    func append(_ bytes: [UInt8]) {
        precondition(storage.count - end >= bytes.count, "read buffer has no room for \(bytes.count) bytes")
        for byte in bytes {
            storage[end] = byte
            end += 1
        }
    }

    func consume(_ byteCount: Int) {
        precondition(byteCount <= count, "consuming \(byteCount) of \(count) buffered bytes")
        start += byteCount
        if start == end {
            start = 0
            end = 0
        }
    }

    /// Reads up to one chunk more from `source`.
    ///
    /// - Returns: `false` at end of input.
    /// - Throws: whatever the source throws; `CGIError.io` if it claims more bytes than asked for.
    func fill<Source: ByteSource>(from source: inout Source) throws -> Bool {
        if storage.count - end < chunkSize {
            let kept = count
            if kept > 0, start > 0 {
                storage.baseAddress!.copyMemory(from: storage.baseAddress! + start, byteCount: kept)
            }
            start = 0
            end = kept
        }
        let wanted = min(chunkSize, storage.count - end)
        precondition(wanted > 0, "read buffer full: the parser kept more than its reserve")
        let read = try source.read(into: UnsafeMutableRawBufferPointer(rebasing: storage[end..<(end + wanted)]))
        guard read >= 0, read <= wanted else {
            throw CGIError.io("byte source returned \(read) for a \(wanted)-byte buffer")
        }
        end += read
        return read > 0
    }

    /// The offset of the first occurrence of `pattern` at or after `offset`.
    func firstOffset(of pattern: [UInt8], from offset: Int) -> Int? {
        guard let base = storage.baseAddress, !pattern.isEmpty else { return nil }
        let lastStart = end - pattern.count
        var position = start + offset
        return pattern.withUnsafeBytes { needle -> Int? in
            while position <= lastStart {
                // memchr finds candidates at memory speed; most bytes of an upload are skipped there.
                guard let hit = memchr(base + position, Int32(pattern[0]), lastStart - position + 1) else {
                    return nil
                }
                let index = UnsafeRawPointer(hit) - UnsafeRawPointer(base)
                if memcmp(base + index, needle.baseAddress!, pattern.count) == 0 {
                    return index - start
                }
                position = index + 1
            }
            return nil
        }
    }
}
