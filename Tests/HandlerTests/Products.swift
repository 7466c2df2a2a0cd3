import Foundation

/// The built executables and the sample shop these tests run against.
enum Products {
    static let repoRoot: String = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<3 { url.deleteLastPathComponent() }
        return url.path
    }()

    /// Where SwiftPM put this build's products: the folder holding the test bundle
    /// (`.build/debug/`), unless `KAITORI_BIN_DIR` names another.
    static let directory: String = {
        if let dir = ProcessInfo.processInfo.environment["KAITORI_BIN_DIR"] { return dir }
        var url = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                      ?? CommandLine.arguments[0])
        // `swift test` runs `.build/debug/<package>PackageTests.xctest`; a bundle folder may wrap it.
        while url.path != "/", !FileManager.default.fileExists(atPath: url.appendingPathComponent("kaitori-cgi").path) {
            url.deleteLastPathComponent()
        }
        return url.path
    }()

    static var handler: String { directory + "/kaitori-cgi" }
    static var cli: String { directory + "/kaitori" }

    /// Fails the calling test with instructions when the products were not built.
    static func require() throws {
        for path in [handler, cli] where !FileManager.default.isExecutableFile(atPath: path) {
            throw ProductsMissing(path: path)
        }
    }

    struct ProductsMissing: Error, CustomStringConvertible {
        var path: String
        var description: String { "\(path) is not built: run `swift build` before `swift test` (or set KAITORI_BIN_DIR)" }
    }
}
