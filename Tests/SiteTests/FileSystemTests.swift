import Foundation
import SitePages
import Testing

/// `FileSystem.readBytes` reads into an array of the size `fstat` gives: a file of any size comes
/// back whole, also one whose size the kernel does not know in advance (`/proc`).
@Suite struct FileSystemTests {
    @Test func readsFilesOfEverySizeWhole() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("kaitori-fs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        for size in [0, 1, 4095, 4096, 65_537, 300_000] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let path = folder.appendingPathComponent("f\(size)").path
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            #expect(try FileSystem.readBytes(path) == bytes, "\(size) bytes")
        }
    }

    @Test func readsAFileWhoseSizeIsNotKnownBeforehand() throws {
        let status = try FileSystem.readBytes("/proc/self/status")
        #expect(status.count > 100)
        #expect(String(decoding: status, as: UTF8.self).hasSuffix("\n"))
        #expect(String(decoding: status, as: UTF8.self).contains("VmRSS"))
    }

    @Test func aMissingFileIsAnError() {
        #expect(throws: SiteError.self) { try FileSystem.readBytes("/nonexistent/kaitori/file") }
    }
}
