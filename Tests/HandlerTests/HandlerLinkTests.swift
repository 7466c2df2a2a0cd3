import Foundation
import Testing

/// The customer handler is spawned once per request: it must not carry Foundation (whose
/// ICU-backed parts double a process's start-up, and whose static parts alone added 9 MB to the
/// static executable) nor Yams. A dynamically linked build names such a library in its dynamic
/// section; a static one carries the module's mangled symbol and type names.
@Suite struct HandlerLinkTests {
    private static let forbidden = ["FoundationEssentials", "FoundationInternationalization", "_FoundationICU",
                                    "libFoundation.so", "Yams"]

    private func mentions(_ path: String) throws -> [String] {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        return Self.forbidden.filter { bytes.range(of: Data($0.utf8)) != nil }
    }

    @Test func theCustomerHandlersLinkNeitherFoundationNorYams() throws {
        try Products.require()
        for program in [Products.handler, Products.directory + "/kaitori-fcgi"]
        where FileManager.default.isExecutableFile(atPath: program) {
            let found = try mentions(program)
            #expect(found.isEmpty, "\(program) carries \(found)")
        }
    }

    @Test func theCheckFindsFoundationWhereItIsLinked() throws {
        // The CLI links Foundation and Yams: the check must see them there.
        try Products.require()
        let found = try mentions(Products.cli)
        #expect(found.contains("FoundationEssentials") && found.contains("Yams"), "\(found)")
    }
}
