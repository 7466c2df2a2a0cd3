import CGI
import Testing

@Suite struct RequestBodyTests {
    /// Claims to have read more than it was given room for.
    private struct OverclaimingSource: ByteSource {
        mutating func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int { buffer.count + 1 }
    }

    @Test func neverAsksTheSourceForMoreThanRemains() throws {
        let source = RecordingSource(Array(repeating: 7, count: 100))
        var body = RequestBody(source: source, contentLength: 10)
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = try buffer.withUnsafeMutableBytes { try body.read(into: $0) }
        #expect(count == 10)
        #expect(body.remaining == 0)
        #expect(try buffer.withUnsafeMutableBytes { try body.read(into: $0) } == 0)
        #expect(source.bytesServed == 10)
        #expect(source.readCount == 1)
    }

    @Test func readAllGathersSmallReads() throws {
        let bytes = (0..<1000).map { UInt8(truncatingIfNeeded: $0) }
        var body = RequestBody(source: DribbleSource(bytes), contentLength: 1000)
        #expect(try body.readAll() == bytes)
        #expect(body.bytesRead == 1000)
    }

    @Test func refusesASourceThatOverclaims() {
        var body = RequestBody(source: OverclaimingSource(), contentLength: 10)
        #expect(throws: CGIError.io("byte source returned 5 for a 4-byte buffer")) {
            var buffer = [UInt8](repeating: 0, count: 4)
            _ = try buffer.withUnsafeMutableBytes { try body.read(into: $0) }
        }
    }
}
